"""Small-number protection for published views (pages, reports, exports that leave the analyst).

Primary rule (CBS spirit): a count of 1 to 4 is hidden; a share or a median whose noemer (number of
cases) is under 10 is hidden. Zero counts are shown: they reveal no person.

Secondary rule: a hidden count must not be recoverable by subtraction. Counts add up in two ways in
the tidy rows: the doelgroepen (asiel + gezin + overig = alle) and the quarters of a year (Q1..Q4 = the
year). Within such a group, when exactly one cell is hidden, the smallest other visible part is hidden
too (a total is never chosen when a part can be); this repeats until no group has a lone hidden cell.

It runs once, over the complete indicator table, into `mart_indicatoren_publicatie`; every page, report
and export that leaves the analyst reads that table. The unsuppressed figures stay in
`mart_indicatoren` for analysts.
"""
from __future__ import annotations

import pandas as pd

MIN_COUNT = 5
MIN_NOEMER = 10
PARTS = ("asiel", "gezin", "overig")
KEY_COLUMNS = {"indicator", "gemeente_code", "periode", "doelgroep", "categorie"}


def suppress(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of tidy indicator rows with `onderdrukt` set and hidden values blanked."""
    out = df.copy().reset_index(drop=True)
    teller = pd.to_numeric(out["teller"], errors="coerce")
    noemer = pd.to_numeric(out["noemer"], errors="coerce")
    is_count = noemer.isna() & teller.notna()
    hidden = (is_count & teller.between(1, MIN_COUNT - 1)) | (~is_count & (noemer < MIN_NOEMER))
    if len(out) and KEY_COLUMNS <= set(out.columns):
        hidden = _secondary(out, teller, is_count, hidden)
    out["onderdrukt"] = hidden.astype(bool)
    for col in ("teller", "noemer", "waarde"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Float64")
        out.loc[out["onderdrukt"], col] = pd.NA
    return out


def _secondary(df: pd.DataFrame, teller: pd.Series, is_count: pd.Series, hidden: pd.Series) -> pd.Series:
    """Hide extra count cells until no additive group (with its total present) has exactly one hidden cell."""
    hidden = hidden.copy()
    counts = df[is_count]
    if counts.empty:
        return hidden
    periode = counts["periode"].astype(str)
    frame = pd.DataFrame({"indicator": counts["indicator"], "gemeente": counts["gemeente_code"],
                          "periode": periode, "jaar": periode.str[:4], "doelgroep": counts["doelgroep"],
                          "categorie": counts["categorie"].fillna("")})
    in_doelgroep_group = frame["doelgroep"].isin((*PARTS, "alle"))
    pairs = [
        # doelgroepen within one indicator x gemeente x periode x categorie; the total is 'alle'
        (frame.groupby(["indicator", "gemeente", "periode", "categorie"], sort=False).ngroup()
         .where(in_doelgroep_group), frame["doelgroep"] == "alle"),
        # quarters within one indicator x gemeente x year x doelgroep x categorie; the total is the year
        (frame.groupby(["indicator", "gemeente", "jaar", "doelgroep", "categorie"], sort=False).ngroup(),
         ~periode.str.contains("-Q", regex=False)),
    ]
    values = teller[counts.index]
    while True:
        changed = False
        for key, is_total in pairs:
            h = hidden[counts.index]
            valid = key.notna()
            n_hidden = h.where(valid).groupby(key).transform("sum")
            has_total = is_total.where(valid, False).groupby(key).transform("any")
            lone = valid & (n_hidden == 1) & has_total
            if not lone.any():
                continue
            # prefer the smallest visible part; a total only when no part is left to hide
            part = values[lone & ~h & ~is_total]
            picks = part.groupby(key[part.index]).idxmin()
            need_total = set(key[lone].unique()) - set(picks.index)
            if need_total:
                total = values[lone & ~h & key.isin(need_total)]
                picks = pd.concat([picks, total.groupby(key[total.index]).idxmin()])
            if len(picks):
                hidden.loc[picks.to_numpy()] = True
                changed = True
        if not changed:
            return hidden
