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

Split by a person characteristic (geslacht, leeftijd; `suppress_uitsplitsing`): the values of one
characteristic add up to the published figure without split, so that figure is a third kind of total.
The same rule then runs over the split cells together with those totals (as they were published, hidden
or not): within each characteristic no lone hidden cell remains, and a figure hidden in
`mart_indicatoren_publicatie` can never be rebuilt by adding up its split. Totals are never hidden
further (there are always at least two parts to choose from), so the main table stays as published.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

MIN_COUNT = 5
MIN_NOEMER = 10
PARTS = ("asiel", "gezin", "overig")
KEY_COLUMNS = {"indicator", "gemeente_code", "periode", "doelgroep", "categorie"}
TOTAAL = "totaal"
# the order in which cells of equal value are chosen for secondary suppression
TIE_COLUMNS = ("indicator", "gemeente_code", "kenmerk", "kenmerk_waarde", "periode", "doelgroep", "categorie")


def suppress(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of tidy indicator rows with `onderdrukt` set and hidden values blanked."""
    out = df.copy().reset_index(drop=True)
    teller, is_count, hidden = _primary(out)
    if len(out) and KEY_COLUMNS <= set(out.columns):
        hidden = _secondary(out, teller, is_count, hidden)
    return _blank(out, hidden)


def suppress_uitsplitsing(rows: pd.DataFrame, totalen: pd.DataFrame) -> pd.DataFrame:
    """Protect indicator rows split by a person characteristic (columns of `suppress` plus `kenmerk`,
    `kenmerk_waarde`), given the published rows without split (`totalen`, with `onderdrukt`).

    Returns `rows` with `onderdrukt` set and hidden values blanked (see the module docstring)."""
    parts = rows.copy().reset_index(drop=True)
    if parts.empty:
        return _blank(parts, pd.Series(False, index=parts.index))
    teller, is_count, hidden = _primary(parts)
    # Each characteristic gets the published totals as its 'totaal' cells, hidden as they were published.
    tot = totalen[totalen["indicator"].isin(parts["indicator"].unique())
                  & totalen["periode"].isin(parts["periode"].unique())]
    tot = pd.concat([tot.assign(kenmerk=k, kenmerk_waarde=TOTAAL) for k in parts["kenmerk"].unique()],
                    ignore_index=True)
    frame = pd.concat([parts.assign(onderdrukt=False), tot], ignore_index=True)
    t_teller = pd.to_numeric(tot["teller"], errors="coerce")
    # a hidden total has no teller or noemer left: its kind is that of its indicator's split cells
    t_is_count = tot["indicator"].isin(parts.loc[is_count, "indicator"].unique())
    all_teller = pd.concat([teller, t_teller], ignore_index=True)
    all_is_count = pd.concat([is_count, t_is_count], ignore_index=True)
    all_hidden = pd.concat([hidden, tot["onderdrukt"].astype(bool)], ignore_index=True)
    is_totaal = frame["kenmerk_waarde"] == TOTAAL
    all_hidden = _secondary(frame, all_teller, all_is_count, all_hidden,
                            unit=("gemeente_code", "kenmerk", "kenmerk_waarde"),
                            verdeling=(("indicator", "gemeente_code", "kenmerk", "periode", "doelgroep", "categorie"),
                                       is_totaal),
                            vast=is_totaal)
    return _blank(parts, all_hidden[: len(parts)].reset_index(drop=True))


def _primary(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(teller, is_count, hidden by the primary rule) of tidy rows: a count (no noemer) of 1 to
    MIN_COUNT - 1, or a share or median over fewer than MIN_NOEMER cases."""
    teller = pd.to_numeric(rows["teller"], errors="coerce")
    noemer = pd.to_numeric(rows["noemer"], errors="coerce")
    is_count = noemer.isna() & teller.notna()
    return teller, is_count, (is_count & teller.between(1, MIN_COUNT - 1)) | (~is_count & (noemer < MIN_NOEMER))


def _blank(out: pd.DataFrame, hidden: pd.Series) -> pd.DataFrame:
    out["onderdrukt"] = hidden.astype(bool).to_numpy()
    for col in ("teller", "noemer", "waarde"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Float64")
        out.loc[out["onderdrukt"], col] = pd.NA
    return out


def _secondary(df: pd.DataFrame, teller: pd.Series, is_count: pd.Series, hidden: pd.Series,
               unit: tuple[str, ...] = ("gemeente_code",),
               verdeling: tuple[tuple[str, ...], pd.Series] | None = None,
               vast: pd.Series | None = None) -> pd.Series:
    """Hide extra count cells until no additive group (with its total present) has exactly one hidden cell.

    The groups are the doelgroepen and the quarters within one `unit` (columns; default: the gemeente) and,
    when `verdeling` = (columns, is_total) is given, the rows that share those columns. Rows marked `vast`
    (published elsewhere) keep their state: they only serve as totals of the `verdeling` groups.
    `df` and the series share a 0..n-1 index. Columns become integer codes once; the group arithmetic runs
    on numpy arrays (np.bincount, np.lexsort)."""
    out = hidden.to_numpy(dtype=bool).copy()
    rows = np.flatnonzero(is_count.to_numpy(dtype=bool))
    if not out[rows].any():   # no count cell hidden: no group can have a lone hidden cell
        return pd.Series(out, index=hidden.index)
    # codes in sorted order of the values, for the rows that are counts
    codes, uniques = {}, {}
    for column in [c for c in TIE_COLUMNS if c in df.columns]:
        values = df[column].fillna("").astype(str) if column == "categorie" else df[column]
        code, unique = pd.factorize(values, sort=True)
        codes[column], uniques[column] = code[rows], pd.Index(unique).astype(str)
    periode_code, periode_values = codes["periode"], uniques["periode"]
    jaar = pd.factorize(periode_values.str[:4])[0][periode_code]
    is_year = ~np.asarray(periode_values.str.contains("-Q", regex=False), dtype=bool)[periode_code]
    doelgroep = uniques["doelgroep"]
    in_doelgroep_group = np.asarray(doelgroep.isin((*PARTS, "alle")), dtype=bool)[codes["doelgroep"]]
    is_alle = np.asarray(doelgroep == "alle", dtype=bool)[codes["doelgroep"]]
    gemeente = _group_numbers([codes[c] for c in unit], np.ones(len(rows), dtype=bool))
    vast_rows = (np.zeros(len(rows), dtype=bool) if vast is None else vast.to_numpy(dtype=bool)[rows])
    groups = [
        # doelgroepen within one indicator x gemeente x periode x categorie; the total is 'alle'
        (_group_numbers([codes["indicator"], gemeente, periode_code, codes["categorie"]],
                        in_doelgroep_group & ~vast_rows), is_alle),
        # quarters within one indicator x gemeente x year x doelgroep x categorie; the total is the year
        (_group_numbers([codes["indicator"], gemeente, jaar, codes["doelgroep"], codes["categorie"]], ~vast_rows),
         is_year),
    ]
    if verdeling is not None:
        columns, is_total = verdeling
        groups.append((_group_numbers([codes[c] for c in columns], np.ones(len(rows), dtype=bool)),
                       is_total.to_numpy(dtype=bool)[rows]))
    values = teller.to_numpy(dtype=float, na_value=np.nan)[rows]
    # on a tie (several smallest parts), the first cell in the order of TIE_COLUMNS: the same cells are
    # hidden whatever the order of the rows
    rank = np.empty(len(rows), dtype=np.int64)
    rank[np.lexsort(tuple(reversed(codes.values())))] = np.arange(len(rows))
    out[rows] = hide_lone_cells(values, out[rows], groups, rank, vast_rows)
    return pd.Series(out, index=hidden.index)


def hide_lone_cells(values: np.ndarray, hidden: np.ndarray, groups: list[tuple[np.ndarray, np.ndarray]],
                    rank: np.ndarray, vast: np.ndarray | None = None) -> np.ndarray:
    """The secondary rule on cells given as arrays; returns the new hidden flags.

    `groups`: (group number per cell, -1 for none; is the cell its group's total). While a group with a total
    has exactly one hidden cell, its smallest visible part is hidden too (lowest `rank` on a tie), its total
    only when no part is left, never a `vast` cell; the groups are taken in turn until nothing changes."""
    h = np.asarray(hidden, dtype=bool).copy()
    vast = np.zeros(len(h), dtype=bool) if vast is None else vast
    while True:
        changed = False
        for key, is_total in groups:
            lone = _lone_hidden(key, h, is_total)
            if not lone.any():
                continue
            # prefer the smallest visible part; a total only when no part is left to hide
            picks = _smallest_per_group(key, values, rank, lone & ~h & ~is_total)
            need_total = np.setdiff1d(np.unique(key[lone]), key[picks])
            if len(need_total):
                candidates = lone & ~h & ~vast & np.isin(key, need_total)
                picks = np.concatenate([picks, _smallest_per_group(key, values, rank, candidates)])
            if len(picks):
                h[picks] = True
                changed = True
        if not changed:
            return h


def _group_numbers(codes: list[np.ndarray], member: np.ndarray) -> np.ndarray:
    """A group number per row for the combination of `codes`; -1 for rows in no group (member False)."""
    numbers = pd.DataFrame(dict(enumerate(codes))).groupby(list(range(len(codes))), sort=False).ngroup()
    return np.where(member, numbers.to_numpy(dtype=np.int64), -1)


def _lone_hidden(key: np.ndarray, hidden: np.ndarray, is_total: np.ndarray) -> np.ndarray:
    """Rows of groups (key >= 0) with exactly one hidden cell and a total present."""
    valid = key >= 0
    if not valid.any():
        return valid
    bucket = np.where(valid, key, key.max() + 1)
    n_hidden = np.bincount(bucket, weights=hidden & valid)[bucket]
    n_total = np.bincount(bucket, weights=is_total & valid)[bucket]
    return valid & (n_hidden == 1) & (n_total > 0)


def _smallest_per_group(key: np.ndarray, values: np.ndarray, rank: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Per group, the position of the candidate with the smallest value; on a tie, the lowest `rank`."""
    positions = np.flatnonzero(candidate)
    if not len(positions):
        return positions
    order = positions[np.lexsort((rank[positions], values[positions], key[positions]))]
    _, first = np.unique(key[order], return_index=True)
    return order[first]
