"""BSN handling at the door: check (elfproef), pseudonymise (HMAC) and encrypt (AES-GCM).

After `protect_frame` no clear BSN is left in a frame: only `bsn__geldig`, `bsn_pseudoniem` and
`bsn_versleuteld`. A client_id that is itself a valid BSN is replaced by its pseudonym as well.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os

import pandas as pd
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pipelines.privacy.keys import BSN_KEY, PSEUDONYM_KEY, get_key

AAD = b"inburgering-monitor:bsn:v1"
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


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
    """A BSN as 9 digits: spreadsheets drop the leading zero of an 8-digit number."""
    if isinstance(value, str) and len(value) == 8 and value.isdigit():
        return "0" + value
    return value


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
