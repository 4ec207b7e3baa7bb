"""Source profiles: other layouts load to exactly the same warehouse as the canonical layout."""
from __future__ import annotations

from datetime import date

import pytest

from pipelines.load import load_paths
from pipelines.samples import generate_cases, write_delivery
from tests.conftest import query

TODAY = date(2026, 11, 23)
COMPARE = {
    "mart_personen": "SELECT * EXCLUDE (load_id, file_name, row_number) FROM mart_personen "
                     "ORDER BY persoon_id",
    "mart_examens": "SELECT * EXCLUDE (load_id, file_name, row_number) FROM mart_examens "
                    "ORDER BY ALL",
    "mart_activiteiten": "SELECT * EXCLUDE (load_id, file_name, row_number) FROM mart_activiteiten ORDER BY ALL",
    "mart_gesprekken": "SELECT * EXCLUDE (load_id, file_name, row_number) FROM mart_gesprekken ORDER BY ALL",
    "mart_uren": "SELECT * EXCLUDE (load_id, file_name, row_number) FROM mart_uren ORDER BY ALL",
    "mart_indicatoren": "SELECT * FROM mart_indicatoren ORDER BY ALL",
}


@pytest.fixture(scope="module")
def frames():
    return generate_cases(["GM0384", "GM0183"], date(2026, 6, 30), seed=7, scale=0.5)


@pytest.fixture(scope="module")
def canonical_warehouse(frames, tmp_path_factory):
    folder = tmp_path_factory.mktemp("canoniek")
    write_delivery(frames, folder / "levering", profile="canoniek", separator=";")
    wh = folder / "wh.duckdb"
    report = load_paths([folder / "levering"], wh, today=TODAY)
    assert not report.rejected and all(f.rows_quarantined == 0 for f in report.files)
    return wh


@pytest.mark.parametrize("profile", ["regiesysteem_csv", "dossier_xlsx"])
def test_profile_layout_gives_the_same_warehouse_as_canonical(frames, canonical_warehouse, tmp_path, profile):
    write_delivery(frames, tmp_path / "levering", profile=profile)
    wh = tmp_path / "wh.duckdb"
    report = load_paths([tmp_path / "levering"], wh, today=TODAY)
    assert not report.rejected, [f.message for f in report.rejected]
    assert {f.target_table for f in report.files} == {"personen", "examens", "activiteiten", "gesprekken", "uren"}
    assert all(f.rows_quarantined == 0 for f in report.files)
    assert query(wh, "SELECT DISTINCT profile FROM load_log") == [(profile,)]
    for name, sql in COMPARE.items():
        assert query(wh, sql) == query(canonical_warehouse, sql), name


def test_a_new_layout_needs_only_a_new_yaml_file(tmp_path, monkeypatch):
    own = tmp_path / "mijn_profielen"
    own.mkdir()
    (own / "engels_systeem.yaml").write_text("""
name: engels_systeem
description: an imaginary system with English headers, '|' as separator and d/m/Y dates
format: csv
separator: "|"
date_format: "%d/%m/%Y"
booleans: {"Y": ja, "N": nee}
files:
  personen:
    match: "clients*.txt"
    columns:
      "Snapshot": peildatum
      "Municipality": gemeente_code
      "Client": client_id
      "Group": doelgroep
      "Obligation start": datum_plicht
      "Registered": datum_inschrijving_brp
      "Plan date": datum_pip_initieel
      "Route": leerroute_initieel
      "Benefit": bijstand
    values:
      doelgroep: {"refugee": asiel, "family": gezin}
      leerroute_initieel: {"Self-reliance": Z, "B1 route": B1}
""", encoding="utf-8")
    monkeypatch.setenv("INBURGERING_PROFILES_DIR", str(own))
    export = tmp_path / "export" / "clients_2025.txt"
    export.parent.mkdir()
    export.write_text(
        "Snapshot|Municipality|Client|Group|Obligation start|Registered|Plan date|Route|Benefit|Team\n"
        "30/06/2025|GM0384|A1|refugee|10/01/2023|05/06/2023|01/08/2023|B1 route|Y|noord\n"
        "30/06/2025|GM0384|A2|family|01/03/2024|10/03/2024|01/05/2024|Self-reliance|N|zuid\n"
        "30/06/2025|GM0384|A3|tourist|01/03/2024|31/02/2024|||N|zuid\n", encoding="utf-8")
    wh = tmp_path / "wh.duckdb"
    report = load_paths([export.parent], wh, today=TODAY)
    f = report.files[0]
    assert (f.status, f.target_table, f.rows_loaded, f.rows_quarantined) == ("geladen", "personen", 2, 1)
    assert "Team" in f.message
    assert query(wh, "SELECT client_id, doelgroep, datum_pip_initieel, leerroute_initieel, bijstand "
                     "FROM raw_personen ORDER BY 1") == [
        ("A1", "asiel", date(2023, 8, 1), "B1", True), ("A2", "gezin", date(2024, 5, 1), "Z", False)]
    reasons = query(wh, "SELECT reasons FROM quarantine")[0][0]
    assert set(reasons) == {"doelgroep: waarde niet in de codelijst (asiel, gezin, overig)",
                            "datum_inschrijving_brp: geen geldige datum (JJJJ-MM-DD)"}
    assert query(wh, "SELECT profile FROM load_log") == [("engels_systeem",)]
