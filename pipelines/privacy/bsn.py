"""BSN handling at the door: check (elfproef), pseudonymise (HMAC) and encrypt (AES-GCM), and scrub.

After `protect_frame` no clear BSN is left in a frame: only `bsn__geldig`, `bsn_pseudoniem` and
`bsn_versleuteld`. A client_id that is itself a valid BSN is replaced by its pseudonym as well.

`scrub` is the one scrubber for every other exit (quarantine records, messages, exceptions): it removes
anything that could be a BSN in any written form: 9 digits, 8 digits (a spreadsheet dropped the
leading zero), grouped with dots, spaces or dashes (`2934.00.647`, `222 439 385`, `123-456-782`) and
prefixed (`BSN 636538801`: the digits go). Calendar dates such as `2026-06-30` or `30-09-2026` stay.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import sys
import traceback
from datetime import date

import pandas as pd
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pipelines.privacy.keys import BSN_KEY, PSEUDONYM_KEY, get_key

AAD = b"inburgering-monitor:bsn:v1"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
REMOVED = "[verwijderd: mogelijk BSN]"
# digit groups joined by one kind of separator (a dot, a space, a no-break space, a dash or a slash)
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:([. \u00a0/-])\d+(?:\1\d+)*)?(?!\d)")
_BSN_PREFIX = re.compile(r"^\s*(?:bsn|burgerservicenummer)\s*(?:nr\.?|nummer)?\s*[:.#-]?\s*", re.IGNORECASE)


def elfproef(bsn: object) -> bool:
    """True for 9 digits whose weighted sum (9..2, -1) is divisible by 11 and not all zeros."""
    if not isinstance(bsn, str) or len(bsn) != 9 or not bsn.isdigit() or bsn == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(bsn, WEIGHTS)) % 11 == 0


def pseudonym(bsn: str, key: bytes) -> str:
    """The keyed pseudonym of a BSN: stable for one key, useless without it."""
    return hmac.new(key, bsn.encode(), hashlib.sha256).hexdigest()


def encrypt(bsn: str, key: bytes) -> str:
    """AES-256-GCM ciphertext of a BSN as base64(nonce + ciphertext)."""
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, bsn.encode(), AAD)).decode()


def decrypt(token: str, key: bytes) -> str:
    """Recover a BSN; raises when the key is wrong or the token was altered."""
    raw = base64.b64decode(token)
    return AESGCM(key).decrypt(raw[:12], raw[12:], AAD).decode()


def normalise(value: str | None) -> str | None:
    """A BSN as 9 digits: without a 'BSN' prefix and separators (`2934.00.647`, `222 439 385`), with
    the leading zero a spreadsheet drops from an 8-digit number. Anything else is returned unchanged."""
    if not isinstance(value, str):
        return value
    digits = _BSN_PREFIX.sub("", value).strip()
    match = _DIGIT_RUN.fullmatch(digits)
    if match:
        digits = re.sub(r"\D", "", digits)
        if len(digits) == 9 or len(digits) == 8 and not _is_date(match.group(0), match.group(1)):
            return digits.zfill(9)
    return value


def _is_date(text: str, separator: str | None) -> bool:
    """A calendar date written as YYYY-MM-DD / DD-MM-YYYY (any one separator) or, unseparated,
    YYYYMMDD that is not also an 8-digit BSN without its leading zero."""
    parts = text.split(separator) if separator else [text[:4], text[4:6], text[6:]]
    if [len(p) for p in parts] == [2, 2, 4]:
        parts = parts[::-1]
    if [len(p) for p in parts] != [4, 2, 2]:
        return False
    try:
        date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return False
    return bool(separator) or not elfproef("0" + text)


def _scrub_run(match: re.Match) -> str:
    text, separator = match.group(0), match.group(1)
    groups = text.split(separator) if separator else [text]
    if len(re.sub(r"\D", "", text)) in (8, 9):
        return text if _is_date(text, separator) else REMOVED
    # a longer run of groups ('12 222 439 385'): remove every window of groups holding 8 or 9 digits
    remove = [False] * len(groups)
    for start in range(len(groups)):
        total = 0
        for end in range(start, len(groups)):
            total += len(groups[end])
            if total > 9:
                break
            if total >= 8:
                remove[start:end + 1] = [True] * (end + 1 - start)
    if not any(remove):
        return text
    out = [REMOVED if gone else g for g, gone in zip(groups, remove)]
    return (separator or "").join(o for i, o in enumerate(out) if not (o == REMOVED and i and out[i - 1] == REMOVED))


def scrub(text: object) -> object:
    """Text with anything that could be a BSN (see the module doc) replaced; other values unchanged."""
    if not isinstance(text, str) or not any(c.isdigit() for c in text):
        return text
    return _DIGIT_RUN.sub(_scrub_run, text)


def scrubbing_excepthook(kind, value, tb) -> None:
    """sys.excepthook for the command line: a traceback with every BSN-like value scrubbed."""
    sys.stderr.write(scrub("".join(traceback.format_exception(kind, value, tb))))


def scrub_record(record: dict) -> dict:
    """A record (keys and values) with `scrub` applied to every text."""
    return {scrub(k): scrub(v) for k, v in record.items()}


def protect_frame(frame: pd.DataFrame, file_type: str) -> pd.DataFrame:
    """Replace `bsn` (and BSN-like client ids) by pseudonym and ciphertext; drop the clear value."""
    out = frame.copy()
    hkey = get_key(PSEUDONYM_KEY, create=True)
    if "client_id" in out:
        ids = out["client_id"].map(normalise)
        looks_like_bsn = ids.map(elfproef)
        if looks_like_bsn.any():
            out.loc[looks_like_bsn, "client_id"] = ids[looks_like_bsn].map(lambda v: "P-" + pseudonym(v, hkey)[:20])
    if file_type != "personen":
        return out
    ekey = get_key(BSN_KEY, create=True)
    bsn = out.pop("bsn").map(normalise) if "bsn" in out else pd.Series([None] * len(out), index=out.index, dtype=object)
    valid = bsn.map(elfproef)
    out["bsn__geldig"] = valid.where(bsn.notna(), None).astype(object)
    out["bsn_pseudoniem"] = [pseudonym(b, hkey) if ok else None for b, ok in zip(bsn, valid)]
    out["bsn_versleuteld"] = [encrypt(b, ekey) if ok else None for b, ok in zip(bsn, valid)]
    return out
