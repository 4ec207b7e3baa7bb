"""Small-number protection for published views."""
from __future__ import annotations

import pandas as pd

from pipelines.indicators.suppression import suppress


def test_small_counts_and_small_noemers_are_hidden_not_zeroed():
    rows = pd.DataFrame({"teller": [3, 0, 7, 2, 4], "noemer": [None, None, None, 8, 20],
                         "waarde": [3.0, 0.0, 7.0, 25.0, 20.0]})
    out = suppress(rows)
    assert out["onderdrukt"].tolist() == [True, False, False, True, False]
    assert out["waarde"].isna().tolist() == [True, False, False, True, False]
    assert out.loc[1, "waarde"] == 0 and out.loc[4, "waarde"] == 20
    assert rows["waarde"].tolist() == [3.0, 0.0, 7.0, 25.0, 20.0]   # the input is untouched


def _rows(cells):
    return pd.DataFrame([{"indicator": "instroom", "gemeente_code": "GM0384", "periode": p, "doelgroep": d,
                          "categorie": None, "teller": t, "noemer": None, "waarde": float(t)} for p, d, t in cells])


def test_a_lone_hidden_doelgroep_cannot_be_recovered_from_the_total():
    out = suppress(_rows([("2025-Q1", "alle", 30), ("2025-Q1", "asiel", 20), ("2025-Q1", "gezin", 7),
                          ("2025-Q1", "overig", 3)]))
    hidden = dict(zip(out["doelgroep"], out["onderdrukt"]))
    # overig (3) is hidden by the primary rule; gezin (the smallest other part) must go too, the total stays
    assert hidden == {"alle": False, "asiel": False, "gezin": True, "overig": True}


def test_a_lone_hidden_quarter_cannot_be_recovered_from_the_year():
    cells = [("2025", "alle", 40), ("2025-Q1", "alle", 12), ("2025-Q2", "alle", 2), ("2025-Q3", "alle", 11),
             ("2025-Q4", "alle", 15)]
    out = suppress(_rows(cells))
    hidden = dict(zip(out["periode"], out["onderdrukt"]))
    assert hidden == {"2025": False, "2025-Q1": False, "2025-Q2": True, "2025-Q3": True, "2025-Q4": False}


def test_secondary_suppression_propagates_across_both_groupings():
    cells = [(p, d, t) for p, d, t in [
        ("2025", "alle", 60), ("2025", "asiel", 40), ("2025", "gezin", 20), ("2025", "overig", 0),
        ("2025-Q1", "alle", 30), ("2025-Q1", "asiel", 27), ("2025-Q1", "gezin", 3), ("2025-Q1", "overig", 0),
        ("2025-Q2", "alle", 30), ("2025-Q2", "asiel", 13), ("2025-Q2", "gezin", 17), ("2025-Q2", "overig", 0)]]
    out = suppress(_rows(cells)).set_index(["periode", "doelgroep"])["onderdrukt"]
    # every additive group has either no hidden cell or at least two
    for _, group in out.groupby(level=0):
        assert group.sum() != 1
    for _, group in out.groupby(level=1):
        assert group.sum() != 1
    assert out[("2025-Q1", "gezin")]
