"""Shared test set-up: keys and warehouses live in temporary folders, never in the user's home."""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


# One key folder for the whole session (module-scoped warehouses share the same pseudonym key), never
# the user's own key folder.
os.environ["INBURGERING_KEY_DIR"] = tempfile.mkdtemp(prefix="inburgering-keys-")
os.environ.pop("INBURGERING_PSEUDONYM_KEY", None)
os.environ.pop("INBURGERING_BSN_KEY", None)


def write_csv(path: Path, header: list[str], rows: list[list], sep: str = ",", bom: bool = False) -> Path:
    """Write a small export file the way a case system would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        writer = csv.writer(fh, delimiter=sep)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    """Run one read-only query against a warehouse file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def kenmerk_publicatie(warehouse: Path, indicator: str, gemeente: str, kenmerk: str, waarde: str, periode: str,
                       doelgroep: str, categorie: str | None = None) -> tuple | None:
    """(waarde, onderdrukt) of one published split cell (mart_indicatoren_kenmerken_publicatie)."""
    rows = query(warehouse,
                 "SELECT waarde, onderdrukt FROM mart_indicatoren_kenmerken_publicatie WHERE indicator = ? AND "
                 "gemeente_code = ? AND kenmerk = ? AND kenmerk_waarde = ? AND periode = ? AND doelgroep = ? AND "
                 "categorie IS NOT DISTINCT FROM ?", [indicator, gemeente, kenmerk, waarde, periode, doelgroep, categorie])
    return rows[0] if rows else None


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The bundled demo exports loaded through the real pipeline (copy it before changing it)."""
    from pipelines.load import build_demo_warehouse

    return build_demo_warehouse(tmp_path_factory.mktemp("demo") / "warehouse.duckdb")
