"""Warehouse tables that the load step owns: raw_* per file type, load_log, quarantine, dq_results,
snapshot_current and key_fingerprints."""
from __future__ import annotations

import duckdb

from pipelines.settings import FILE_TYPES
from pipelines.validate.contract import column_types

SQL_TYPES = {"date": "DATE", "integer": "INTEGER", "decimal": "DOUBLE", "bool": "BOOLEAN", "month": "VARCHAR"}
LINEAGE = {"load_id": "VARCHAR", "file_name": "VARCHAR", "row_number": "INTEGER"}
PRIVACY = {"bsn_pseudoniem": "VARCHAR", "bsn_versleuteld": "VARCHAR"}

BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS load_log (
    load_id VARCHAR, file_name VARCHAR, file_sha256 VARCHAR, gemeente_codes VARCHAR[], peildatum DATE,
    target_table VARCHAR, profile VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT,
    status VARCHAR, message VARCHAR, loaded_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS quarantine (
    load_id VARCHAR, file_name VARCHAR, target_table VARCHAR, row_number INTEGER, reasons VARCHAR[], record JSON);
CREATE TABLE IF NOT EXISTS dq_results (
    load_id VARCHAR, file_name VARCHAR, target_table VARCHAR, expectation VARCHAR, kolom VARCHAR,
    niveau VARCHAR, regel VARCHAR, reden VARCHAR, success BOOLEAN, element_count BIGINT,
    unexpected_count BIGINT, validated_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS snapshot_current (
    gemeente_code VARCHAR, target_table VARCHAR, peildatum DATE, load_id VARCHAR, file_name VARCHAR,
    file_sha256 VARCHAR, loaded_at TIMESTAMP, PRIMARY KEY (gemeente_code, target_table));
ALTER TABLE snapshot_current ADD COLUMN IF NOT EXISTS personen_load_id VARCHAR;
CREATE TABLE IF NOT EXISTS key_fingerprints (key_name VARCHAR PRIMARY KEY, fingerprint VARCHAR, recorded_at TIMESTAMP);
"""


def raw_columns(file_type: str) -> dict[str, str]:
    """Column -> SQL type of raw_<file_type>: canonical columns (no BSN), privacy columns, lineage."""
    cols = {}
    for name, kind in column_types(file_type).items():
        if kind == "bsn":
            cols.update(PRIVACY)
        else:
            cols[name] = SQL_TYPES.get(kind, "VARCHAR")
    return {**cols, **LINEAGE}


def cast_expression(name: str, kind: str) -> str:
    """SQL that turns a validated text column into its warehouse type."""
    if kind == "bool":
        return f"({name} = 'ja')"
    if kind == "decimal":
        return f"CAST({name} AS DOUBLE)"
    if kind in ("date", "integer"):
        return f"CAST({name} AS {SQL_TYPES[kind]})"
    return name


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every load-owned table that does not exist yet."""
    con.execute(BOOKKEEPING)
    for file_type in FILE_TYPES:
        cols = ", ".join(f"{n} {t}" for n, t in raw_columns(file_type).items())
        con.execute(f"CREATE TABLE IF NOT EXISTS raw_{file_type} ({cols})")
