"""No BSN from any export in the warehouse file, in any table, or in the command output."""
from __future__ import annotations

import re
from datetime import date

from click.testing import CliRunner

from pipelines.cli import main
from pipelines.extract.files import discover, read_source
from pipelines.extract.profiles import available_profiles
from pipelines.settings import DEMO_EXPORTS_DIR, SAMPLE_EXPORTS_DIR
from tests.conftest import query


def export_bsns(*folders) -> set[str]:
    """Every BSN value in the exports, read with the real reader before pseudonymisation."""
    profiles = available_profiles()
    found = set()
    sources, _ = discover(list(folders))
    for source in sources:
        try:
            tables = read_source(source, profiles)
        except Exception:
            continue
        for table in tables:
            if "bsn" in table.frame:
                found |= {v for v in table.frame["bsn"].dropna() if re.fullmatch(r"\d{8,9}", v)}
    return found


def test_no_bsn_anywhere_after_loading_demo_and_defects(tmp_path):
    bsns = export_bsns(DEMO_EXPORTS_DIR, SAMPLE_EXPORTS_DIR / "defect")
    assert len(bsns) > 1000
    wh = tmp_path / "wh.duckdb"
    runner = CliRunner()
    out = runner.invoke(main, ["load", str(DEMO_EXPORTS_DIR), str(SAMPLE_EXPORTS_DIR / "defect"),
                               "--warehouse", str(wh), "--vandaag", "2026-11-23"])
    assert out.exit_code == 1   # the defect set holds rejected files
    csv_path = tmp_path / "indicatoren.csv"
    out2 = runner.invoke(main, ["indicators", "--out", str(csv_path), "--warehouse", str(wh)])
    assert out2.exit_code == 0
    texts = out.output + out2.output + csv_path.read_text()
    blob = wh.read_bytes()
    for bsn in bsns:
        assert bsn not in texts
        # DuckDB's string compression stores its symbol table as the ASCII run "0123456789:;<=>":
        # a made-up "BSN" like 123456789 sits in it by coincidence; the column check below covers it
        if bsn not in "0123456789":
            assert bsn.encode() not in blob
    con_tables = query(wh, "SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE data_type IN ('VARCHAR', 'JSON', 'VARCHAR[]')")
    for table, column in con_tables:
        runs = query(wh, f'SELECT DISTINCT unnest(regexp_extract_all(CAST("{column}" AS VARCHAR), '
                         f"'[0-9]{{8,9}}')) FROM \"{table}\"")
        assert not {r[0] for r in runs} & bsns, f"a BSN in {table}.{column}"
    assert query(wh, "SELECT count(*) FROM raw_personen WHERE bsn_pseudoniem IS NOT NULL")[0][0] > 1000


def test_indicator_export_has_exactly_the_tidy_columns(demo_warehouse, tmp_path):
    out = tmp_path / "ind.csv"
    result = CliRunner().invoke(main, ["indicators", "--out", str(out), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "indicator,gemeente_code,periode,doelgroep,categorie,teller,noemer,waarde"
    n = query(demo_warehouse, "SELECT count(*) FROM mart_indicatoren")[0][0]
    assert len(lines) == n + 1 and f"{n} rijen" in result.output
    from pipelines.indicators.engine import registry

    assert {line.split(",")[0] for line in lines[1:]} == {e["id"] for e in registry()}
    # a count row: noemer empty; a share row: waarde = 100 * teller / noemer
    rows = [line.split(",") for line in lines[1:]]
    count = next(r for r in rows if r[0] == "instroom")
    assert count[6] == "" and float(count[7]) == float(count[5])
    share = next(r for r in rows if r[0] == "leerroute_aandeel_pct" and r[6] not in ("", "0"))
    assert abs(float(share[7]) - 100 * int(share[5]) / int(share[6])) < 1e-9
    assert date.fromisoformat("2026-09-30")  # the demo peildatum: periods run up to 2026-Q3
    assert max(r[2] for r in rows if "-Q" in r[2]) == "2026-Q3"
