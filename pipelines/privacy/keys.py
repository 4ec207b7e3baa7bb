"""The two secrets of the monitor, kept outside the warehouse.

- the pseudonym key (HMAC-SHA256) turns a BSN into a stable pseudonym at ingest;
- the BSN key (AES-256-GCM) encrypts the BSN so that only the CBS delivery can recover it.

Each comes from an environment variable (hex or base64, 32 bytes) or from a key file in the key folder
($INBURGERING_KEY_DIR, default ~/.config/inburgering-monitor/keys), created with mode 0600 on first use.
The BSN key is never created implicitly when it is needed for decryption: without it, refuse.
"""
from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from pipelines.settings import key_dir

PSEUDONYM_KEY = ("INBURGERING_PSEUDONYM_KEY", "pseudoniem.key")
BSN_KEY = ("INBURGERING_BSN_KEY", "bsn.key")


class KeyError_(RuntimeError):
    """A key that is missing or malformed."""


def _decode(text: str, origin: str) -> bytes:
    text = text.strip()
    for decoder in (bytes.fromhex, base64.b64decode):
        try:
            raw = decoder(text)
        except (ValueError, binascii.Error):
            continue
        if len(raw) == 32:
            return raw
    raise KeyError_(f"{origin}: verwacht een sleutel van 32 bytes (hex of base64)")


def get_key(which: tuple[str, str], create: bool) -> bytes:
    """Return a key from its environment variable or key file; create the file when allowed."""
    env_name, file_name = which
    if os.environ.get(env_name):
        return _decode(os.environ[env_name], env_name)
    path = key_dir() / file_name
    if path.exists():
        return _decode(path.read_text(), str(path))
    if not create:
        raise KeyError_(f"sleutel ontbreekt: zet {env_name} of plaats {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return _decode(path.read_text(), str(path))


def key_file(which: tuple[str, str]) -> Path:
    """Where a key file lives (for messages and docs)."""
    return key_dir() / which[1]
