"""The two secrets of the monitor, kept outside the warehouse.

- the pseudonym key (HMAC-SHA256) turns a BSN into a stable pseudonym at ingest;
- the BSN key (AES-256-GCM) encrypts the BSN so that only the CBS delivery can recover it.

Each comes from an environment variable (hex or base64, 32 bytes) or from a key file in the key folder
($INBURGERING_KEY_DIR, default ~/.config/inburgering-monitor/keys). Key files are created (mode 0600)
only when the caller allows it: for a new, empty warehouse or by `inburgering sleutels maak`
(pipelines/load/keyguard.py decides). The warehouse records a fingerprint of each key, never the key.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from pipelines.settings import key_dir

PSEUDONYM_KEY = ("INBURGERING_PSEUDONYM_KEY", "pseudoniem.key")
BSN_KEY = ("INBURGERING_BSN_KEY", "bsn.key")
# name in the warehouse's key_fingerprints table -> key, and the Dutch word users read
KEYS = {"pseudoniem": PSEUDONYM_KEY, "bsn": BSN_KEY}
KEY_LABELS = {"pseudoniem": "pseudoniemsleutel", "bsn": "BSN-sleutel"}
FINGERPRINT_LABEL = b"inburgering-monitor:sleutel-vingerafdruk:v1"


class KeyError_(RuntimeError):
    """A key that is missing, unreadable, malformed or does not fit the warehouse."""


def _decode(text: str, origin: str) -> bytes:
    text = text.strip()
    for decoder in (bytes.fromhex, base64.b64decode):
        try:
            raw = decoder(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == 32:
            return raw
    raise KeyError_(f"{origin}: verwacht een sleutel van 32 bytes (64 hextekens of base64); corrigeer de "
                    "sleutel of zet de juiste sleutel terug uit de back-up")


def key_origin(which: tuple[str, str]) -> str:
    """Where a key comes from, for messages: the variable when set, else the key file."""
    env_name, _ = which
    return env_name if os.environ.get(env_name) else str(key_file(which))


def key_exists(which: tuple[str, str]) -> bool:
    """True when the key's variable is set or its key file is present (readable or not)."""
    try:
        return bool(os.environ.get(which[0])) or key_file(which).exists()
    except OSError:
        return True


def get_key(which: tuple[str, str], create: bool) -> bytes:
    """Return a key from its environment variable or key file; create the file when allowed."""
    env_name, file_name = which
    if os.environ.get(env_name):
        return _decode(os.environ[env_name], env_name)
    path = key_dir() / file_name
    try:
        if path.exists():
            return _decode(path.read_text(encoding="ascii"), str(path))
        if not create:
            raise KeyError_(f"sleutel ontbreekt: zet {env_name} of plaats {file_name} in de sleutelmap {path.parent} "
                            "(INBURGERING_KEY_DIR)")
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        return _decode(path.read_text(encoding="ascii"), str(path))
    except FileExistsError:
        return get_key(which, create=False)          # made at the same moment by a parallel process
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise KeyError_(f"sleutelmap {path.parent} of sleutelbestand {file_name} is niet leesbaar ({reason}); "
                        "controleer de map en de rechten, of zet INBURGERING_KEY_DIR naar de juiste map") from None


def fingerprint(key: bytes) -> str:
    """A short public fingerprint of a key (HMAC-SHA256 of a fixed label): tells keys apart, reveals nothing."""
    return hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()[:16]


def key_file(which: tuple[str, str]) -> Path:
    """Where a key file lives (for messages and docs)."""
    return key_dir() / which[1]
