"""The Monitor Sociaal Domein export: known answers on a hand-made export, suppression, the demo set."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipelines.deliverables.commands import msd
from pipelines.deliverables.msd import COLUMNS, HIDDEN, MsdError, compute_msd, export_msd, suppress_months
from pipelines.load import load_paths
from tests.conftest import query, write_csv

TODAY = date(2026, 11, 23)
GM = "GM0384"
PEIL = "2025-03-20"
P_HEADER = ["peildatum", "gemeente_code", "client_id", "doelgroep", "datum_plicht", "datum_koppeling",
            "datum_inschrijving_brp", "datum_pip_initieel", "leerroute_initieel", "leerroute_actueel",
            "datum_wijziging_leerroute", "datum_voldaan", "datum_ontheffing", "reden_ontheffing", "datum_uitstroom",
            "reden_uitstroom"]


def p(client_id, doelgroep, **values) -> list:
    row = {"peildatum": PEIL, "gemeente_code": GM, "client_id": client_id, "doelgroep": doelgroep, **values}
    return [row.get(c, "") for c in P_HEADER]


PERSONEN = [
    p("P1", "asiel", datum_plicht="2024-11-01", datum_koppeling="2025-01-10", datum_inschrijving_brp="2025-02-05",
      datum_pip_initieel="2025-02-20", leerroute_initieel="B1"),
    p("P2", "asiel", datum_plicht="2024-12-01", datum_koppeling="2025-02-15"),
    p("P3", "gezin", datum_plicht="2024-06-01", datum_inschrijving_brp="2024-06-10", datum_pip_initieel="2024-08-01",
      leerroute_initieel="Z", leerroute_actueel="B1", datum_wijziging_leerroute="2025-02-10"),
    p("P4", "gezin", datum_plicht="2024-01-01", datum_inschrijving_brp="2024-01-05", datum_pip_initieel="2024-02-01",
      leerroute_initieel="ONDERWIJS", datum_voldaan="2025-02-20"),
    p("P5", "overig", datum_plicht="2021-06-01", datum_inschrijving_brp="2021-06-02"),            # Wi2013
    p("P6", "overig", datum_plicht="2025-01-05", datum_inschrijving_brp="2025-01-06", datum_uitstroom="2025-03-01",
      reden_uitstroom="verhuisd"),
    p("P7", "asiel", datum_plicht="2025-03-01", datum_koppeling="2025-03-18"),
    p("P8", "gezin", datum_plicht="2024-05-01", datum_inschrijving_brp="2024-05-02", datum_ontheffing="2025-01-31",
      reden_ontheffing="medisch"),
]
ACTIVITEITEN = [
    ["P1", "vrijwilligerswerk", "2025-01-20"], ["P3", "betaald_werk", "2025-02-01"],
    ["P3", "vrijwilligerswerk", "2025-02-03"], ["P2", "werkervaringsplek", "2025-03-03"],
    ["P1", "stage", "2025-03-10"], ["P5", "vrijwilligerswerk", "2025-01-15"],      # Wi2013: not counted
    ["P6", "vrijwilligerswerk", "2024-12-01"], ["P3", "opleiding", "2025-01-07"],  # before the range / other soort
]

EXPECTED = pd.DataFrame([
    # maand,  tot, asiel, gezin, overig, B1, OND, Z, geen, vw, bw, wep, stage
    ["2025-01", 4, 1, 2, 1, 0, 1, 1, 2, 1, 0, 0, 0],
    ["2025-02", 4, 2, 1, 1, 2, 0, 0, 2, 1, 1, 0, 0],
    ["2025-03", 4, 3, 1, 0, 2, 0, 0, 2, 0, 0, 1, 1],
], columns=["maand", "totaal", "asiel", "gezin", "overig", "route_b1", "route_onderwijs", "route_z", "route_geen",
            "vrijwilligerswerk", "betaald_werk", "werkervaringsplek", "stage"])


@pytest.fixture(scope="module")
def msd_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("msd")
    write_csv(folder / "export" / "personen.csv", P_HEADER, PERSONEN)
    write_csv(folder / "export" / "activiteiten.csv", ["peildatum", "gemeente_code", "client_id", "soort", "datum_start"],
              [[PEIL, GM, *a] for a in ACTIVITEITEN])
    wh = folder / "wh.duckdb"
    report = load_paths([folder / "export"], wh, today=TODAY)
    assert not report.rejected and all(f.rows_quarantined == 0 for f in report.files), report.files
    return wh


def test_known_answers(msd_warehouse):
    figures = compute_msd(msd_warehouse, GM, "2025-01", "2025-03")
    got = figures[EXPECTED.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, EXPECTED, check_dtype=False)
    # the peildatum month is a stand at the peildatum, not at the end of the month
    assert list(figures["standdatum"]) == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 20)]


def test_written_file_is_suppressed_with_dutch_headers(msd_warehouse, tmp_path):
    out = tmp_path / "msd.csv"
    result = export_msd(msd_warehouse, GM, out, van="2025-01", tot="2025-03")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [h for h, _ in COLUMNS.values()]
    assert [r["Maand"] for r in rows] == ["2025-01", "2025-02", "2025-03"]
    # every count here is 0..4: the non-zero ones are hidden, zeros are shown
    for row, (_, exp) in zip(rows, EXPECTED.iterrows()):
        for col, (header, _) in COLUMNS.items():
            if col in EXPECTED.columns and col != "maand":
                assert row[header] == (HIDDEN if exp[col] else "0"), (row["Maand"], header)
    assert result.hidden_cells == int((EXPECTED.drop(columns="maand") > 0).to_numpy().sum())
    assert "2025-03-20" in out.read_text(encoding="utf-8-sig")


def test_secondary_suppression_protects_a_lone_hidden_cell():
    frame = pd.DataFrame([
        # total 20 = 3 + 10 + 7: asiel hidden, so the smallest other part (overig 7) is hidden too
        {"totaal": 20, "asiel": 3, "gezin": 10, "overig": 7, "route_b1": 10, "route_onderwijs": 5, "route_z": 5,
         "route_geen": 0, "vrijwilligerswerk": 2, "betaald_werk": 0, "werkervaringsplek": 9, "stage": 5},
        # nothing small: nothing hidden
        {"totaal": 30, "asiel": 10, "gezin": 10, "overig": 10, "route_b1": 10, "route_onderwijs": 10, "route_z": 5,
         "route_geen": 5, "vrijwilligerswerk": 0, "betaald_werk": 0, "werkervaringsplek": 0, "stage": 0},
        # route Z hidden: the smallest visible route (geen 6) goes too; doelgroepen untouched
        {"totaal": 40, "asiel": 20, "gezin": 10, "overig": 10, "route_b1": 20, "route_onderwijs": 10, "route_z": 4,
         "route_geen": 6, "vrijwilligerswerk": 0, "betaald_werk": 0, "werkervaringsplek": 0, "stage": 0},
    ])
    hidden = suppress_months(frame)
    assert sorted(hidden.columns[hidden.iloc[0]]) == ["asiel", "overig", "vrijwilligerswerk"]
    assert not hidden.iloc[1].any()
    assert sorted(hidden.columns[hidden.iloc[2]]) == ["route_geen", "route_z"]


def test_xlsx_and_cli(msd_warehouse, tmp_path):
    out = tmp_path / "msd.xlsx"
    result = CliRunner().invoke(msd, ["--gemeente", GM, "--van", "2025-01", "--tot", "2025-03", "--out", str(out),
                                      "--warehouse", str(msd_warehouse)])
    assert result.exit_code == 0, result.output
    assert "3 maand(en)" in result.output
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert set(sheets) == {"Monitor Sociaal Domein", "Toelichting"}
    assert list(sheets["Monitor Sociaal Domein"]["Inburgeraars"]) == [HIDDEN] * 3
    assert "Monitor Sociaal Domein" in CliRunner().invoke(msd, ["--help"]).output

    bad = CliRunner().invoke(msd, ["--gemeente", GM, "--van", "2025-01", "--tot", "2025-04", "--out",
                                   str(tmp_path / "x.csv"), "--warehouse", str(msd_warehouse)])
    assert bad.exit_code == 1 and "peildatum" in bad.output and not (tmp_path / "x.csv").exists()
    with pytest.raises(MsdError, match="JJJJ-MM"):
        export_msd(msd_warehouse, GM, tmp_path / "y.csv", van="2025-1", tot="2025-03")
    with pytest.raises(MsdError, match=".csv of .xlsx"):
        export_msd(msd_warehouse, GM, tmp_path / "y.json", van="2025-01", tot="2025-03")


def test_demo_export_adds_up_and_nothing_small_leaves(demo_warehouse, tmp_path):
    out = tmp_path / "almelo.csv"
    result = export_msd(demo_warehouse, "GM0141", out, van="2024-01", tot="2026-09")
    figures = result.figures
    assert len(figures) == 33
    assert (figures["totaal"] == figures[["asiel", "gezin", "overig"]].sum(axis=1)).all()
    assert (figures["totaal"] == figures[["route_b1", "route_onderwijs", "route_z", "route_geen"]].sum(axis=1)).all()

    # independent recount of one month from the raw tables
    e = date(2025, 6, 30)
    (n,) = query(demo_warehouse, """
        SELECT count(*) FROM raw_personen WHERE gemeente_code = 'GM0141' AND datum_plicht >= DATE '2022-01-01'
          AND datum_plicht <= $e
          AND CASE WHEN doelgroep = 'asiel' THEN coalesce(datum_koppeling, datum_inschrijving_brp, datum_plicht)
                   ELSE coalesce(datum_inschrijving_brp, datum_plicht) END <= $e
          AND NOT coalesce(datum_voldaan <= $e, false) AND NOT coalesce(datum_ontheffing <= $e, false)
          AND NOT coalesce(datum_uitstroom <= $e, false)""", {"e": e})[0]
    (vw,) = query(demo_warehouse, """
        SELECT count(*) FROM raw_activiteiten a JOIN raw_personen p USING (gemeente_code, client_id)
        WHERE a.gemeente_code = 'GM0141' AND p.datum_plicht >= DATE '2022-01-01' AND a.soort = 'vrijwilligerswerk'
          AND a.datum_start BETWEEN DATE '2025-06-01' AND DATE '2025-06-30'""")[0]
    june = figures.set_index("maand").loc["2025-06"]
    assert june["totaal"] == n and june["vrijwilligerswerk"] == vw

    published = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    counts = published.drop(columns=["Maand", "Gemeente", "Standdatum"])
    numeric = counts.replace(HIDDEN, pd.NA).apply(pd.to_numeric)
    assert not numeric.isin([1, 2, 3, 4]).any().any()
    hidden = counts == HIDDEN
    groups = [["Inburgeraars", "Inburgeraars asiel", "Inburgeraars gezin", "Inburgeraars overig"],
              ["Inburgeraars", "Leerroute B1", "Leerroute onderwijs", "Leerroute Z", "Nog geen leerroute"]]
    for cols in groups:
        assert not (hidden[cols].sum(axis=1) == 1).any()
