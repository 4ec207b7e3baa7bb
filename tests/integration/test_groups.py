"""Peer-group rows are sums of the member gemeenten' tellers and noemers; medians pool the cases."""
from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.indicators.engine import MACROS, registry
from tests.conftest import query

SOORT = {e["id"]: e["soort"] for e in registry()}


def test_all_loaded_group_is_the_sum_of_its_gemeenten(demo_warehouse):
    additive = [i for i, s in SOORT.items() if s in ("aantal", "aandeel", "per_1000")]
    mismatches = query(demo_warehouse, """
        WITH leden AS (
            SELECT indicator, periode, doelgroep, categorie, sum(teller) AS teller, sum(noemer) AS noemer
            FROM mart_indicatoren GROUP BY ALL)
        SELECT g.indicator, g.periode, g.doelgroep, g.categorie, g.teller, l.teller, g.noemer, l.noemer
        FROM mart_indicatoren_groepen g
        JOIN leden l ON l.indicator = g.indicator AND l.periode = g.periode AND l.doelgroep = g.doelgroep
                    AND l.categorie IS NOT DISTINCT FROM g.categorie
        WHERE g.groep_code = 'GELADEN' AND list_contains(?, g.indicator)
          AND (g.teller <> l.teller OR g.noemer IS DISTINCT FROM l.noemer)""", [additive])
    assert mismatches == []
    counts = query(demo_warehouse, "SELECT count(*) FROM mart_indicatoren_groepen WHERE groep_code = 'GELADEN'")
    assert counts[0][0] > 1000


def test_group_share_is_summed_not_averaged(demo_warehouse):
    rows = query(demo_warehouse, """
        SELECT g.waarde, 100.0 * sum(m.teller) / sum(m.noemer), avg(m.waarde)
        FROM mart_indicatoren_groepen g JOIN mart_indicatoren m USING (indicator, periode, doelgroep)
        WHERE g.groep_code = 'GELADEN' AND g.indicator = 'pip_binnen_10_weken_pct' AND g.periode = '2024'
          AND g.doelgroep = 'alle'
        GROUP BY g.waarde""")
    (group, pooled, averaged), = rows
    assert group == pytest.approx(pooled) and group != pytest.approx(averaged)


def test_group_median_pools_the_cases(demo_warehouse):
    (group, n), = query(demo_warehouse, """
        SELECT waarde, noemer FROM mart_indicatoren_groepen WHERE groep_code = 'GELADEN'
          AND indicator = 'doorlooptijd_pip_mediaan' AND periode = '2024' AND doelgroep = 'alle'""")
    (expected, cases), = query(demo_warehouse, """
        SELECT quantile_cont(datum_pip_initieel - datum_inschrijving_brp, 0.5), count(*) FROM mart_personen
        WHERE NOT wi2013 AND year(datum_pip_initieel) = 2024 AND datum_inschrijving_brp IS NOT NULL""")
    assert (group, n) == (pytest.approx(expected), cases)


def test_wilson_interval_matches_the_formula():
    con = duckdb.connect()
    con.execute(MACROS)
    lo, hi = con.execute("SELECT wilson_onder(8, 10), wilson_boven(8, 10)").fetchone()
    assert lo == pytest.approx(49.02, abs=0.01) and hi == pytest.approx(94.33, abs=0.01)
    lo, hi = con.execute("SELECT wilson_onder(0, 25), wilson_boven(0, 25)").fetchone()
    assert lo == pytest.approx(0.0, abs=1e-9) and hi == pytest.approx(13.32, abs=0.01)


def test_group_export_from_the_cli(demo_warehouse, tmp_path):
    result = CliRunner().invoke(main, ["indicators", "--out", str(tmp_path / "g.csv"), "--groepen",
                                       str(tmp_path / "groepen.csv"), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    header = (tmp_path / "groepen.csv").read_text().splitlines()[0].split(",")
    assert header[:4] == ["indicator", "groep_code", "groep_soort", "groep_naam"]
    assert {"teller", "noemer", "waarde", "ci_onder", "ci_boven", "aantal_gemeenten", "inwoners"} <= set(header)
