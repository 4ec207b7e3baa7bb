"""Reference data on gemeenten (data_contracts/reference/, with provenance in gemeenten_SOURCES.md)."""
from __future__ import annotations

import duckdb

from pipelines.settings import REFERENCE_DIR

# CBS gemeentegrootte classes (inhabitants), used as a peer group
SIZE_CLASSES = [(0, "< 5.000"), (5_000, "5.000 - 10.000"), (10_000, "10.000 - 20.000"),
                (20_000, "20.000 - 50.000"), (50_000, "50.000 - 100.000"), (100_000, "100.000 - 150.000"),
                (150_000, "150.000 - 250.000"), (250_000, "250.000 of meer")]


def size_class_sql(column: str) -> str:
    """SQL CASE giving the CBS size class of a population column."""
    whens = " ".join(f"WHEN {column} >= {lo} THEN '{label}'" for lo, label in reversed(SIZE_CLASSES))
    return f"CASE {whens} END"


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create ref_gemeenten and ref_herindelingen from the shipped CSV files."""
    gemeenten = (REFERENCE_DIR / "gemeenten.csv").as_posix()
    herindelingen = (REFERENCE_DIR / "herindelingen.csv").as_posix()
    con.execute(f"""
        CREATE OR REPLACE TABLE ref_gemeenten AS
        SELECT gemeente_code, gemeente_naam, provincie, arbeidsmarktregio, CAST(inwoners AS INTEGER) AS inwoners,
               CAST(inwoners_peiljaar AS INTEGER) AS inwoners_peiljaar, {size_class_sql('CAST(inwoners AS INTEGER)')} AS grootteklasse,
               bron
        FROM read_csv('{gemeenten}', header = true, all_varchar = true)""")
    con.execute(f"""
        CREATE OR REPLACE TABLE ref_herindelingen AS
        SELECT CAST(datum_ingang AS DATE) AS datum_ingang, oude_gemeente_code, oude_gemeente_naam,
               nieuwe_gemeente_code, nieuwe_gemeente_naam
        FROM read_csv('{herindelingen}', header = true, all_varchar = true)""")
