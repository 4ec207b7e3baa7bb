"""Small-number protection for published views."""
from __future__ import annotations

import pandas as pd

from pipelines.indicators.suppression import suppress, suppress_uitsplitsing


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


# --- Split by geslacht / leeftijd -------------------------------------------------------------

def _split(cells, kenmerk="geslacht"):
    """Split count cells (waarde, doelgroep, teller) of instroom 2025 for one gemeente."""
    return pd.DataFrame([{"indicator": "instroom", "gemeente_code": "GM0384", "kenmerk": kenmerk, "kenmerk_waarde": w,
                          "periode": "2025", "doelgroep": d, "categorie": None, "teller": t, "noemer": None,
                          "waarde": float(t)} for w, d, t in cells])


def _published(cells):
    out = _rows([("2025", d, t) for d, t, _ in cells])
    out["onderdrukt"] = [h for _, _, h in cells]
    out.loc[out["onderdrukt"], ["teller", "waarde"]] = None
    return out


def _hidden(out):
    return {(r.kenmerk_waarde, r.doelgroep): bool(r.onderdrukt) for r in out.itertuples()}


def test_a_lone_hidden_split_cell_cannot_be_recovered_from_the_published_total():
    split = _split([("man", "alle", 20), ("vrouw", "alle", 17), ("x_onbekend", "alle", 3)])
    out = suppress_uitsplitsing(split, _published([("alle", 40, False)]))
    # X/onbekend (3) is hidden by the primary rule; vrouwen (17) must go too, else 40 - 20 - 17 = 3
    assert _hidden(out) == {("man", "alle"): False, ("vrouw", "alle"): True, ("x_onbekend", "alle"): True}
    assert out["waarde"].isna().tolist() == [False, True, True]


def test_a_total_hidden_in_the_main_table_is_not_rebuilt_from_its_split():
    # asiel (30) was hidden in mart_indicatoren_publicatie (secondary suppression); its split is large
    split = _split([("man", "asiel", 16), ("vrouw", "asiel", 14), ("x_onbekend", "asiel", 0)])
    out = suppress_uitsplitsing(split, _published([("asiel", 30, True)]))
    hidden = _hidden(out)
    assert sum(hidden.values()) >= 1   # 16 + 14 + 0 no longer adds up to the hidden 30
    assert hidden[("x_onbekend", "asiel")]   # the smallest part goes first


def test_split_cells_keep_the_doelgroep_rule_and_never_show_small_numbers():
    split = _split([("vrouw", "alle", 25), ("vrouw", "asiel", 12), ("vrouw", "gezin", 9), ("vrouw", "overig", 4),
                    ("man", "alle", 30), ("man", "asiel", 30), ("man", "gezin", 0), ("man", "overig", 0),
                    ("x_onbekend", "alle", 0), ("x_onbekend", "asiel", 0), ("x_onbekend", "gezin", 0),
                    ("x_onbekend", "overig", 0)])
    totals = _published([("alle", 55, False), ("asiel", 42, False), ("gezin", 9, False), ("overig", 4, True)])
    out = suppress_uitsplitsing(split, totals)
    hidden = _hidden(out)
    assert hidden[("vrouw", "overig")]                       # 4: primary
    assert hidden[("vrouw", "gezin")]                        # else 25 - 12 - 9 = 4 (doelgroep rule)
    published = out[~out["onderdrukt"]]
    assert not published["teller"].between(1, 4).any()
    # no (kenmerk value) row and no (doelgroep) column of the table has exactly one hidden cell
    for _, group in out.groupby("kenmerk_waarde"):
        assert group["onderdrukt"].sum() != 1
    for d, group in out.groupby("doelgroep"):
        total_hidden = bool(totals.loc[totals["doelgroep"] == d, "onderdrukt"].iloc[0])
        assert group["onderdrukt"].sum() + total_hidden != 1


def test_shares_in_a_split_follow_the_noemer_rule():
    split = pd.DataFrame([{"indicator": "duaal_pct", "gemeente_code": "GM0384", "kenmerk": "leeftijd",
                           "kenmerk_waarde": w, "periode": "2025", "doelgroep": "alle", "categorie": None,
                           "teller": t, "noemer": n, "waarde": 100.0 * t / n} for w, t, n in
                          [("tot-25", 2, 9), ("25-34", 5, 40), ("onbekend", 1, 1)]])
    out = suppress_uitsplitsing(split, pd.DataFrame(columns=[*split.columns.drop(["kenmerk", "kenmerk_waarde"]),
                                                             "onderdrukt"]))
    assert out["onderdrukt"].tolist() == [True, False, True]
    assert out.loc[1, "waarde"] == 12.5


# --- The same cells whatever the order of the rows ----------------------------------------------

def _many_ties():
    """Instroom of 6 gemeenten x 4 quarters + year x doelgroepen with many small and zero cells (ties)."""
    rows = []
    for g in range(6):
        for q in range(1, 5):
            parts = {"asiel": (g + q) % 3, "gezin": 0, "overig": 0 if (g + q) % 2 else 6 + g}
            for d, t in {**parts, "alle": sum(parts.values())}.items():
                rows.append(("GM%04d" % (100 + g), f"2025-Q{q}", d, t))
        for d in ("asiel", "gezin", "overig", "alle"):
            rows.append(("GM%04d" % (100 + g), "2025", d, sum(t for gm, p, dd, t in rows
                                                              if gm == "GM%04d" % (100 + g) and dd == d)))
    return pd.DataFrame([{"indicator": "instroom", "gemeente_code": g, "periode": p, "doelgroep": d,
                          "categorie": None, "teller": t, "noemer": None, "waarde": float(t)} for g, p, d, t in rows])


def _in_key_order(out, keys):
    return out.sort_values(keys).reset_index(drop=True)


def test_the_same_cells_are_hidden_whatever_the_order_of_the_rows():
    # ties between equal parts (zeros, equal small counts) are broken by the cells' keys, not their position
    rows = _many_ties()
    keys = ["gemeente_code", "periode", "doelgroep"]
    expected = _in_key_order(suppress(rows), keys)
    assert 0 < expected["onderdrukt"].sum() < len(expected)
    for seed in range(5):
        shuffled = suppress(rows.sample(frac=1, random_state=seed))
        pd.testing.assert_frame_equal(_in_key_order(shuffled, keys), expected)


def test_the_same_split_cells_are_hidden_whatever_the_order_of_the_rows():
    year = _many_ties().query("periode == '2025'")
    split = pd.concat([year.assign(kenmerk="geslacht", kenmerk_waarde=w, teller=year["teller"] // n,
                                   waarde=(year["teller"] // n).astype(float))
                       for w, n in (("man", 2), ("vrouw", 3), ("x_onbekend", 6))], ignore_index=True)
    totals = suppress(year)
    keys = ["gemeente_code", "kenmerk_waarde", "doelgroep"]
    expected = _in_key_order(suppress_uitsplitsing(split, totals), keys)
    assert 0 < expected["onderdrukt"].sum() < len(expected)
    for seed in range(5):
        out = suppress_uitsplitsing(split.sample(frac=1, random_state=seed),
                                    totals.sample(frac=1, random_state=seed))
        pd.testing.assert_frame_equal(_in_key_order(out, keys), expected)
