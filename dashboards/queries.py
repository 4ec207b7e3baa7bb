"""Plain SQL query functions over the warehouse marts; each returns a small pandas frame or value.

Pages never compute an indicator: they read `mart_indicatoren_publicatie`, where small-number protection
(primary and secondary, `pipelines.indicators.suppression`) was applied once over the complete table, so
unsuppressed small numbers never reach a page.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd

from dashboards import controls, warehouse
from pipelines.indicators.suppression import suppress

PathLike = str | os.PathLike | None

INDICATOR_COLUMNS = ["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]


# --- Periods ----------------------------------------------------------------------------------

def laatste_volledige_jaar(peildatum: dt.date | None) -> str | None:
    """The latest calendar year that ended on or before the peildatum ('2024')."""
    if peildatum is None:
        return None
    year = peildatum.year if (peildatum.month, peildatum.day) == (12, 31) else peildatum.year - 1
    return str(year)


def laatste_volledige_kwartaal(peildatum: dt.date | None) -> str | None:
    """The latest quarter that ended on or before the peildatum ('2025-Q3')."""
    if peildatum is None:
        return None
    q = (peildatum.month - 1) // 3 + 1
    if peildatum + dt.timedelta(days=1) == _kwartaal_start(peildatum.year, q + 1):
        return f"{peildatum.year}-Q{q}"
    return f"{peildatum.year - 1}-Q4" if q == 1 else f"{peildatum.year}-Q{q - 1}"


def _kwartaal_start(year: int, q: int) -> dt.date:
    return dt.date(year + 1, 1, 1) if q == 5 else dt.date(year, 3 * q - 2, 1)


def lopend_jaar(peildatum: dt.date | None) -> str | None:
    """The year that holds the peildatum when it is not complete yet, else None."""
    if peildatum is None or (peildatum.month, peildatum.day) == (12, 31):
        return None
    return str(peildatum.year)


# --- Reference and snapshot -------------------------------------------------------------------

def gemeente_naam(gemeente_code: str, path: PathLike = None) -> str:
    """The gemeente's name from ref_gemeenten (the code itself when unknown)."""
    df = warehouse.query("SELECT gemeente_naam FROM ref_gemeenten WHERE gemeente_code = ?", [gemeente_code], path=path)
    return str(df.iloc[0, 0]) if len(df) else gemeente_code


def peildatum(gemeente_code: str, path: PathLike = None) -> dt.date | None:
    """The peildatum of the gemeente's current personen snapshot."""
    df = warehouse.query(
        "SELECT max(peildatum) AS peildatum FROM snapshot_current WHERE gemeente_code = ? AND target_table = 'personen'",
        [gemeente_code],
        path=path,
    )
    return _as_date(df.iloc[0, 0]) if len(df) else None


def peildatum_bereik(path: PathLike = None) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest peildatum over all gemeenten currently loaded."""
    df = warehouse.query(
        "SELECT min(peildatum) AS van, max(peildatum) AS tot FROM snapshot_current WHERE target_table = 'personen'",
        path=path,
    )
    return (_as_date(df.iloc[0, 0]), _as_date(df.iloc[0, 1])) if len(df) else (None, None)


def _as_date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


# --- Indicator rows ---------------------------------------------------------------------------

def indicator_rows(
    indicator: str,
    gemeente_code: str,
    *,
    periode_soort: str | None = None,
    doelgroepen: tuple[str, ...] | None = None,
    tot_en_met: str | None = None,
    periode: str | None = None,
    path: PathLike = None,
) -> pd.DataFrame:
    """Suppressed tidy rows of one indicator for one gemeente (periode_soort 'jaar' or 'kwartaal').

    One query per indicator and gemeente (cached per warehouse version); the filters select from it."""
    if periode_soort not in (None, "jaar", "kwartaal"):
        raise ValueError(f"unknown periode_soort {periode_soort!r}")
    df = warehouse.query(
        f"SELECT {', '.join(INDICATOR_COLUMNS)}, onderdrukt FROM mart_indicatoren_publicatie "
        "WHERE indicator = ? AND gemeente_code = ? ORDER BY periode, doelgroep, categorie",
        [indicator, gemeente_code],
        path=path,
    )
    keep = pd.Series(True, index=df.index)
    if periode_soort == "jaar":
        keep &= df["periode"].str.len() == 4
    elif periode_soort == "kwartaal":
        keep &= df["periode"].str.fullmatch(r"[0-9]{4}-Q[1-4]")
    if doelgroepen:
        keep &= df["doelgroep"].isin(doelgroepen)
    if tot_en_met:
        # 'YYYY' and 'YYYY-Qn' both sort correctly as text within one periode_soort.
        keep &= df["periode"] <= tot_en_met
    if periode:
        keep &= df["periode"] == periode
    return df[keep].reset_index(drop=True)


# --- Everything the Overzicht page shows ------------------------------------------------------

@dataclass(frozen=True)
class OverzichtData:
    """The (suppressed) figures behind the Overzicht page for one gemeente."""

    gemeente_code: str
    gemeente_naam: str
    gemeenten: pd.DataFrame
    peildatum: dt.date | None
    jaar: str | None
    kwartaal: str | None
    lopend_jaar: str | None
    instroom_jaar: pd.DataFrame
    instroom_kwartaal: pd.DataFrame
    leerroute_jaar: pd.DataFrame
    instroom_per_kwartaal: pd.DataFrame
    leerroute_per_jaar: pd.DataFrame


def kies_gemeente(gemeente: str | None, gemeenten: pd.DataFrame) -> str | None:
    """The requested gemeente when it has data, else the first gemeente that has."""
    codes = gemeenten["gemeente_code"].tolist()
    if gemeente:
        gemeente = gemeente.strip().upper()
        if gemeente in codes:
            return gemeente
    return codes[0] if codes else None


def overzicht_data(gemeente: str | None, path: PathLike = None) -> OverzichtData | None:
    """Read everything for the Overzicht page; None when the warehouse has no indicator rows."""
    gemeenten = controls.gemeenten_frame(path)
    code = kies_gemeente(gemeente, gemeenten)
    if code is None:
        return None
    naam = gemeenten.loc[gemeenten["gemeente_code"] == code, "gemeente_naam"].iloc[0]
    peil = peildatum(code, path)
    jaar = laatste_volledige_jaar(peil)
    kwartaal = laatste_volledige_kwartaal(peil)

    def one(indicator: str, periode: str | None, doelgroepen=("alle",)) -> pd.DataFrame:
        if periode is None:
            return suppress(pd.DataFrame(columns=INDICATOR_COLUMNS))
        return indicator_rows(indicator, code, periode=periode, doelgroepen=doelgroepen, path=path)

    return OverzichtData(
        gemeente_code=code,
        gemeente_naam=str(naam),
        gemeenten=gemeenten,
        peildatum=peil,
        jaar=jaar,
        kwartaal=kwartaal,
        lopend_jaar=lopend_jaar(peil),
        instroom_jaar=one("instroom", jaar),
        instroom_kwartaal=one("instroom", kwartaal),
        leerroute_jaar=one("leerroute_aandeel_pct", jaar),
        # Only complete quarters: a running quarter would read as a drop in instroom.
        instroom_per_kwartaal=indicator_rows(
            "instroom", code, periode_soort="kwartaal", doelgroepen=("asiel", "gezin", "overig"),
            tot_en_met=kwartaal, path=path,
        ),
        leerroute_per_jaar=indicator_rows(
            "leerroute_aandeel_pct", code, periode_soort="jaar", doelgroepen=("alle",), path=path,
        ),
    )
