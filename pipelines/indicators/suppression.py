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

import pandas as pd

MIN_COUNT = 5
MIN_NOEMER = 10
PARTS = ("asiel", "gezin", "overig")
KEY_COLUMNS = {"indicator", "gemeente_code", "periode", "doelgroep", "categorie"}
TOTAAL = "totaal"


def suppress(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of tidy indicator rows with `onderdrukt` set and hidden values blanked."""
    out = df.copy().reset_index(drop=True)
    teller = pd.to_numeric(out["teller"], errors="coerce")
    noemer = pd.to_numeric(out["noemer"], errors="coerce")
    is_count = noemer.isna() & teller.notna()
    hidden = (is_count & teller.between(1, MIN_COUNT - 1)) | (~is_count & (noemer < MIN_NOEMER))
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
    teller = pd.to_numeric(parts["teller"], errors="coerce")
    noemer = pd.to_numeric(parts["noemer"], errors="coerce")
    is_count = noemer.isna() & teller.notna()
    hidden = (is_count & teller.between(1, MIN_COUNT - 1)) | (~is_count & (noemer < MIN_NOEMER))
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
    frame["categorie"] = frame["categorie"].fillna("")
    unit = frame.groupby(["gemeente_code", "kenmerk", "kenmerk_waarde"], sort=False).ngroup()
    verdeling = frame.groupby(["indicator", "gemeente_code", "kenmerk", "periode", "doelgroep", "categorie"],
                              sort=False).ngroup()
    is_totaal = frame["kenmerk_waarde"] == TOTAAL
    all_hidden = _secondary(frame, all_teller, all_is_count, all_hidden, unit=unit,
                            verdeling=(verdeling, is_totaal), vast=is_totaal)
    return _blank(parts, all_hidden[: len(parts)].reset_index(drop=True))


def _blank(out: pd.DataFrame, hidden: pd.Series) -> pd.DataFrame:
    out["onderdrukt"] = hidden.astype(bool).to_numpy()
    for col in ("teller", "noemer", "waarde"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("Float64")
        out.loc[out["onderdrukt"], col] = pd.NA
    return out


def _secondary(df: pd.DataFrame, teller: pd.Series, is_count: pd.Series, hidden: pd.Series,
               unit: pd.Series | None = None, verdeling: tuple[pd.Series, pd.Series] | None = None,
               vast: pd.Series | None = None) -> pd.Series:
    """Hide extra count cells until no additive group (with its total present) has exactly one hidden cell.

    The groups are the doelgroepen and the quarters within one `unit` (default: the gemeente) and, when
    `verdeling` = (group number, is_total) is given, the rows sharing a group number. Rows marked `vast`
    (published elsewhere) keep their state: they only serve as totals of the `verdeling` groups."""
    hidden = hidden.copy()
    counts = df[is_count]
    if counts.empty:
        return hidden
    periode = counts["periode"].astype(str)
    frame = pd.DataFrame({"indicator": counts["indicator"],
                          "gemeente": (unit if unit is not None else df["gemeente_code"])[counts.index],
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
    if verdeling is not None:
        label, is_total = verdeling
        pairs.append((label[counts.index], is_total[counts.index]))
    vast = (vast if vast is not None else pd.Series(False, index=df.index))[counts.index]
    pairs = [(key.where(~vast), is_total) for key, is_total in pairs[:2]] + pairs[2:]
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
                total = values[lone & ~h & ~vast & key.isin(need_total)]
                picks = pd.concat([picks, total.groupby(key[total.index]).idxmin()])
            if len(picks):
                hidden.loc[picks.to_numpy()] = True
                changed = True
        if not changed:
            return hidden
