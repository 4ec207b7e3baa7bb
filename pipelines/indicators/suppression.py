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
    """Hide extra count cells until no additive group has exactly one hidden cell."""
    hidden = hidden.copy()
    counts = df[is_count]
    if counts.empty:
        return hidden
    periode = counts["periode"].astype(str)
    categorie = counts["categorie"].fillna("")
    groups = []
    # doelgroepen within one indicator x gemeente x periode x categorie
    key = counts["indicator"] + "|" + counts["gemeente_code"] + "|" + periode + "|" + categorie
    total = counts["doelgroep"] == "alle"
    for _, idx in key[counts["doelgroep"].isin((*PARTS, "alle"))].groupby(key).groups.items():
        groups.append((list(idx), [i for i in idx if total[i]]))
    # quarters within one indicator x gemeente x year x doelgroep x categorie
    year = periode.str[:4]
    key = counts["indicator"] + "|" + counts["gemeente_code"] + "|" + year + "|" + counts["doelgroep"] + "|" + categorie
    for _, idx in key.groupby(key).groups.items():
        groups.append((list(idx), [i for i in idx if "-Q" not in periode[i]]))
    changed = True
    while changed:
        changed = False
        for members, totals in groups:
            # without its total in the table a group reveals nothing by subtraction
            if not totals or len(members) < 2 or sum(hidden[i] for i in members) != 1:
                continue
            candidates = [i for i in members if not hidden[i] and i not in totals] or \
                         [i for i in members if not hidden[i]]
            pick = min(candidates, key=lambda i: (teller[i], i))
            hidden[pick] = True
            changed = True
    return hidden
