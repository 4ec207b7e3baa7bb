"""The published indicator table: nothing small shows, and nothing hidden can be recomputed."""
from __future__ import annotations

import pytest

from tests.conftest import query


@pytest.mark.parametrize("publicatie, bron", [("mart_indicatoren_publicatie", "mart_indicatoren"),
                                               ("mart_indicatoren_kenmerken_publicatie", "mart_indicatoren_kenmerken")])
def test_no_small_number_is_published(demo_warehouse, publicatie, bron):
    # the main table and its split by geslacht and leeftijd
    assert query(demo_warehouse, f"""
        SELECT count(*) FROM {publicatie}
        WHERE NOT onderdrukt AND ((noemer IS NULL AND teller BETWEEN 1 AND 4) OR noemer < 10)""") == [(0,)]
    assert query(demo_warehouse, f"SELECT count(*) FROM {publicatie} WHERE onderdrukt "
                                 "AND (teller IS NOT NULL OR waarde IS NOT NULL)") == [(0,)]
    total, hidden = query(demo_warehouse, f"SELECT count(*), count_if(onderdrukt) FROM {publicatie}")[0]
    assert total == query(demo_warehouse, f"SELECT count(*) FROM {bron}")[0][0] and 0 < hidden < total


def test_no_lone_hidden_cell_in_an_additive_group(demo_warehouse):
    lone_doelgroep = query(demo_warehouse, """
        SELECT indicator, gemeente_code, periode, categorie FROM mart_indicatoren_publicatie
        WHERE indicator IN (SELECT id FROM mart_indicator_definities WHERE soort = 'aantal')
        GROUP BY ALL HAVING count_if(onderdrukt) = 1 AND count_if(doelgroep = 'alle') = 1""")
    assert lone_doelgroep == []
    lone_quarter = query(demo_warehouse, """
        SELECT indicator, gemeente_code, left(periode, 4), doelgroep, categorie FROM mart_indicatoren_publicatie
        WHERE indicator IN (SELECT id FROM mart_indicator_definities WHERE soort = 'aantal')
        GROUP BY ALL HAVING count_if(onderdrukt) = 1 AND count_if(length(periode) = 4) = 1""")
    assert lone_quarter == []


def test_a_rate_per_1000_never_reveals_a_hidden_count(demo_warehouse):
    leaks = query(demo_warehouse, """
        SELECT r.gemeente_code, r.periode, r.doelgroep FROM mart_indicatoren_publicatie r
        JOIN mart_indicatoren_publicatie c ON c.gemeente_code = r.gemeente_code AND c.periode = r.periode
             AND c.doelgroep = r.doelgroep AND c.indicator = 'instroom'
        WHERE r.indicator = 'instroom_per_1000_inwoners' AND c.onderdrukt AND NOT r.onderdrukt""")
    assert leaks == []
    hidden = query(demo_warehouse, "SELECT count(*) FROM mart_indicatoren_publicatie "
                                   "WHERE indicator = 'instroom_per_1000_inwoners' AND onderdrukt")[0][0]
    assert hidden > 0
