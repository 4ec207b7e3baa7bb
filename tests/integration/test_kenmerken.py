"""Indicators split by geslacht and leeftijd: the demo exports through the real pipeline."""
from __future__ import annotations

import pytest

from pipelines.indicators import kenmerken
from pipelines.indicators.engine import registry
from tests.conftest import query

SPLIT = [e["id"] for e in registry() if e["kenmerken"]]


def test_split_indicators_are_the_marked_ones_per_year_with_every_value(demo_warehouse):
    rows = query(demo_warehouse, """
        SELECT DISTINCT indicator, kenmerk, kenmerk_waarde, length(periode) FROM mart_indicatoren_kenmerken""")
    assert {r[0] for r in rows} == set(SPLIT) and len(SPLIT) >= 10
    assert {r[3] for r in rows} == {4}   # years only
    for k in kenmerken.KENMERKEN:
        assert {r[2] for r in rows if r[1] == k} == set(kenmerken.waarden(k))


@pytest.mark.parametrize("kenmerk", list(kenmerken.KENMERKEN))
def test_the_values_of_a_characteristic_add_up_to_the_figure_without_split(demo_warehouse, kenmerk):
    mismatches = query(demo_warehouse, """
        WITH k AS (
            SELECT indicator, gemeente_code, periode, doelgroep, categorie,
                   sum(teller) AS teller, sum(noemer) AS noemer
            FROM mart_indicatoren_kenmerken WHERE kenmerk = ? GROUP BY ALL)
        SELECT m.indicator, m.gemeente_code, m.periode, m.doelgroep, m.categorie, m.teller, k.teller, m.noemer, k.noemer
        FROM mart_indicatoren m JOIN mart_indicator_definities d ON d.id = m.indicator
        LEFT JOIN k ON k.indicator = m.indicator AND k.gemeente_code = m.gemeente_code AND k.periode = m.periode
                   AND k.doelgroep = m.doelgroep AND k.categorie IS NOT DISTINCT FROM m.categorie
        WHERE length(m.periode) = 4 AND m.indicator IN (SELECT DISTINCT indicator FROM mart_indicatoren_kenmerken)
          AND (m.teller IS DISTINCT FROM k.teller
               OR (d.soort <> 'aantal' AND m.noemer IS DISTINCT FROM k.noemer))""", [kenmerk])
    assert mismatches == []


def test_a_split_figure_is_what_the_persons_themselves_give(demo_warehouse):
    """Instroom of women and of persons 45 and older per gemeente and year, counted straight from
    mart_personen (independent of the engine): the split must give the same numbers."""
    expected = query(demo_warehouse, """
        SELECT gemeente_code, CAST(year(instroomdatum) AS VARCHAR) AS periode, 'vrouw' AS w, count(*)
        FROM mart_personen WHERE NOT wi2013 AND geslacht = 'V' GROUP BY ALL
        UNION ALL
        SELECT gemeente_code, CAST(year(instroomdatum) AS VARCHAR), '45-plus', count(*)
        FROM mart_personen WHERE NOT wi2013 AND year(datum_plicht) - geboortejaar >= 45 GROUP BY ALL""")
    got = query(demo_warehouse, """
        SELECT gemeente_code, periode, kenmerk_waarde, teller FROM mart_indicatoren_kenmerken
        WHERE indicator = 'instroom' AND doelgroep = 'alle' AND kenmerk_waarde IN ('vrouw', '45-plus')
          AND teller > 0""")
    periodes = {r[0] for r in query(demo_warehouse, "SELECT DISTINCT periode FROM mart_perioden WHERE soort = 'jaar'")}
    assert sorted(r for r in expected if r[1] in periodes) == sorted((g, p, w, int(t)) for g, p, w, t in got)
    assert len(got) > 20


def test_no_hidden_count_can_be_recovered_by_adding_up_or_subtracting(demo_warehouse):
    counts = "(SELECT id FROM mart_indicator_definities WHERE soort = 'aantal')"
    # within one characteristic, with the published total: never exactly one hidden cell
    lone = query(demo_warehouse, f"""
        SELECT k.indicator, k.gemeente_code, k.kenmerk, k.periode, k.doelgroep, k.categorie
        FROM mart_indicatoren_kenmerken_publicatie k
        JOIN mart_indicatoren_publicatie p ON p.indicator = k.indicator AND p.gemeente_code = k.gemeente_code
             AND p.periode = k.periode AND p.doelgroep = k.doelgroep AND p.categorie IS NOT DISTINCT FROM k.categorie
        WHERE k.indicator IN {counts}
        GROUP BY ALL HAVING count_if(k.onderdrukt) + CAST(bool_or(p.onderdrukt) AS INTEGER) = 1""")
    assert lone == []
    # within one characteristic value: never exactly one hidden doelgroep
    lone_doelgroep = query(demo_warehouse, f"""
        SELECT indicator, gemeente_code, kenmerk, kenmerk_waarde, periode, categorie
        FROM mart_indicatoren_kenmerken_publicatie WHERE indicator IN {counts}
        GROUP BY ALL HAVING count_if(onderdrukt) = 1""")
    assert lone_doelgroep == []


def test_the_split_leaves_the_main_publication_as_it_was(demo_warehouse):
    """Protecting the split hides split cells only: mart_indicatoren_publicatie is the same as when it
    is built on its own (publish() again gives the same hidden cells)."""
    import shutil
    import tempfile
    from pathlib import Path

    import duckdb

    from pipelines.indicators.engine import publish

    before = query(demo_warehouse, "SELECT indicator, gemeente_code, periode, doelgroep, categorie, onderdrukt "
                                   "FROM mart_indicatoren_publicatie ORDER BY ALL")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "w.duckdb"
        shutil.copy(demo_warehouse, copy)
        con = duckdb.connect(str(copy))
        publish(con)
        con.close()
        after = query(copy, "SELECT indicator, gemeente_code, periode, doelgroep, categorie, onderdrukt "
                            "FROM mart_indicatoren_publicatie ORDER BY ALL")
    assert before == after
