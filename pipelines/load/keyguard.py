"""Keys and the warehouse: a warehouse remembers the fingerprint of each key it was loaded with.

A load may create keys only for a new warehouse (no file yet, or one without data and without recorded
fingerprints); for any other warehouse both keys must be present and match the fingerprints in
`key_fingerprints` (the fingerprint, never the key). A warehouse from before the fingerprints is checked
once against its own rows (decrypt one BSN, recompute its pseudonym) and then gets them recorded.
"""
from __future__ import annotations

import binascii
from datetime import datetime
from pathlib import Path

import duckdb
from cryptography.exceptions import InvalidTag

from pipelines.privacy.bsn import decrypt, pseudonym
from pipelines.privacy.keys import (KEY_LABELS, KEYS, KeyError_, fingerprint, get_key, key_exists, key_origin)
from pipelines.settings import FILE_TYPES, key_dir

RESTORE = ("Zet de sleutelmap uit de back-up terug (of laat INBURGERING_KEY_DIR naar die map wijzen), of zet "
           "{env} op de juiste sleutel; `inburgering sleutels controleer` laat zien welke sleutel past")


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def recorded_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """key name -> fingerprint recorded in the warehouse ({} when none)."""
    if "key_fingerprints" not in _tables(con):
        return {}
    return dict(con.execute("SELECT key_name, fingerprint FROM key_fingerprints").fetchall())


def holds_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when any raw_* table of the warehouse has a row."""
    present = _tables(con)
    return any(con.execute(f"SELECT EXISTS (SELECT 1 FROM raw_{t})").fetchone()[0]
               for t in FILE_TYPES if f"raw_{t}" in present)


def mismatch(name: str, key: bytes, recorded: str) -> KeyError_:
    env = KEYS[name][0]
    return KeyError_(f"de {KEY_LABELS[name]} past niet bij dit warehouse: de sleutel uit {key_origin(KEYS[name])} "
                     f"heeft vingerafdruk {fingerprint(key)}, het warehouse is geladen met vingerafdruk {recorded}. "
                     f"Er is niets geladen. {RESTORE.format(env=env)}.")


def missing(name: str, recorded: str | None) -> KeyError_:
    env, file_name = KEYS[name]
    known = f" (vingerafdruk {recorded})" if recorded else ""
    return KeyError_(f"de {KEY_LABELS[name]}{known} ontbreekt: dit warehouse bevat al gegevens, maar {env} is niet "
                     f"gezet en {file_name} staat niet in de sleutelmap {key_dir()}. Er is niets geladen en er worden "
                     f"geen nieuwe sleutels gemaakt voor een bestaand warehouse. {RESTORE.format(env=env)}.")


def guard_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Check both keys against the warehouse behind `con` (writable) and record their fingerprints.

    Creates missing key files only for a new warehouse; returns the names of the keys it created.
    Raises KeyError_ (Dutch message) for a missing, unreadable, malformed or non-matching key.
    """
    recorded, has_data = recorded_fingerprints(con), holds_data(con)
    new_warehouse = not recorded and not has_data
    keys, created = {}, []
    for name, which in KEYS.items():
        existed = key_exists(which)
        if not existed and not new_warehouse:
            raise missing(name, recorded.get(name))
        keys[name] = get_key(which, create=new_warehouse)
        if not existed:
            created.append(name)
        if name in recorded and recorded[name] != fingerprint(keys[name]):
            raise mismatch(name, keys[name], recorded[name])
    if has_data and not recorded:
        _check_against_rows(con, keys)
    now = datetime.now()
    for name, key in keys.items():
        if name not in recorded:
            con.execute("INSERT INTO key_fingerprints VALUES (?, ?, ?)", [name, fingerprint(key), now])
    return created


def _check_against_rows(con, keys: dict[str, bytes]) -> None:
    """A warehouse loaded before fingerprints existed: do the keys fit one of its encrypted BSNs?"""
    row = con.execute("SELECT bsn_pseudoniem, bsn_versleuteld FROM raw_personen WHERE bsn_versleuteld IS NOT NULL "
                      "LIMIT 1").fetchone()
    if not row:
        return
    try:
        bsn = decrypt(row[1], keys["bsn"])
    except (InvalidTag, ValueError, binascii.Error):
        raise mismatch("bsn", keys["bsn"], "onbekend (ontsleutelen mislukt)") from None
    if pseudonym(bsn, keys["pseudoniem"]) != row[0]:
        raise mismatch("pseudoniem", keys["pseudoniem"], "onbekend (pseudoniem klopt niet)")


def check_key(warehouse: Path, name: str, key: bytes) -> None:
    """Refuse (KeyError_) a key whose fingerprint differs from the one recorded in `warehouse` (read-only)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        recorded = recorded_fingerprints(con).get(name)
    finally:
        con.close()
    if recorded and recorded != fingerprint(key):
        raise mismatch(name, key, recorded)


def warehouse_state(warehouse: Path) -> tuple[dict[str, str], bool]:
    """(recorded fingerprints, holds data) of a warehouse file; ({}, False) when there is none."""
    if not Path(warehouse).exists():
        return {}, False
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return recorded_fingerprints(con), holds_data(con)
    finally:
        con.close()
