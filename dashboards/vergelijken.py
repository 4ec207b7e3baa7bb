"""Vergelijken: one indicator across the gemeenten of a peer group (queries, figures, table views).

Pages never compute an indicator. Gemeente figures come from `mart_indicatoren_publicatie` (already
suppressed); the peer-group figure from `mart_indicatoren_groepen`, which is NOT suppressed in the
table, so it goes through `pipelines.indicators.suppression.suppress` here, plus one extra rule: when
exactly one member of the group is hidden, the group figure is hidden too (else the hidden member could
be recovered by subtracting the visible members from the group). Counts are shown per 1,000 inhabitants
(teller / inwoners of `ref_gemeenten`, as published next to each row), so gemeenten of different size
can be compared; a hidden count stays hidden.

The funnel plot draws the 95 % and 99.8 % control limits around the group value p0:
p0 ± z·sqrt(p0(1 − p0)/n) (normal approximation of the binomial), clipped to 0–100 %.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboards import figures as fg
from dashboards import warehouse
from dashboards.warehouse import memo
from pipelines.indicators.suppression import MIN_NOEMER, suppress

PathLike = str | os.PathLike | None

GELADEN = "GELADEN"
# Up to this many loaded gemeenten the page compares with all of them by default; with more, with the
# gemeente's provincie (see standaard_groep). `groep=GELADEN` in the URL always shows all loaded gemeenten.
STANDAARD_ALLE_MAX = 40
GROEP_SOORTEN = ("alle_geladen", "provincie", "arbeidsmarktregio", "grootteklasse", "regio")
GROEP_SOORT_LABELS = {
    "alle_geladen": "Alle geladen gemeenten",
    "provincie": "Provincie",
    "arbeidsmarktregio": "Arbeidsmarktregio",
    "grootteklasse": "Grootteklasse",
    "regio": "Samenwerkingsregio",
}
Z95 = 1.959963984540054
Z998 = 3.090232306167813
KLEUR_GEKOZEN = fg.OKABE_ITO["vermiljoen"]
KLEUR_ANDER = fg.OKABE_ITO["blauw"]
KLEUR_GROEP = fg.OKABE_ITO["zwart"]
KLEUR_LANDELIJK = fg.OKABE_ITO["roodpaars"]

# National reference figures (docs: /work/shared/docs/domain.md §3). Only where the published figure
# measures the same thing for the same period and doelgroep; always shown with its source.
BRON_CBS_SWI = "CBS, Statistiek Wet inburgering (SWI) 2022–2024"
BRON_SZW = "Ministerie van SZW: aandeel van een maandelijkse instroom met een PIP binnen 10 weken"
LANDELIJK: dict[tuple[str, str, str], tuple[float, str, str]] = {
    # (indicator, periode, doelgroep): (waarde %, label, bron)
    ("brede_intake_gestart_pct", "2022", "asiel"): (35.0, "Landelijk, asielstatushouders cohort 2022, eind 2022",
                                                    BRON_CBS_SWI),
    ("brede_intake_gestart_pct", "2022", "gezin"): (55.0, "Landelijk, gezins- en overige migranten samen, cohort "
                                                    "2022, eind 2022", BRON_CBS_SWI),
    ("brede_intake_gestart_pct", "2022", "overig"): (55.0, "Landelijk, gezins- en overige migranten samen, cohort "
                                                     "2022, eind 2022", BRON_CBS_SWI),
    ("brede_intake_gestart_pct", "2023", "asiel"): (45.0, "Landelijk, asielstatushouders cohort 2023, eind 2023",
                                                    BRON_CBS_SWI),
    ("brede_intake_gestart_pct", "2023", "gezin"): (55.0, "Landelijk, gezins- en overige migranten samen, cohort "
                                                    "2023, eind 2023", BRON_CBS_SWI),
    ("brede_intake_gestart_pct", "2023", "overig"): (55.0, "Landelijk, gezins- en overige migranten samen, cohort "
                                                     "2023, eind 2023", BRON_CBS_SWI),
    ("pip_binnen_10_weken_pct", "2022-Q1", "alle"): (12.0, "Landelijk, instroom maart 2022 (SZW)", BRON_SZW),
    ("pip_binnen_10_weken_pct", "2023-Q1", "alle"): (37.0, "Landelijk, instroom januari 2023 (SZW)", BRON_SZW),
}

# Rates per 1,000 inhabitants and the count they are computed from (for small-number protection).
PER_1000_BRON = {"instroom_per_1000_inwoners": "instroom"}

# 'instroom' is offered as its published rate per 1,000 inhabitants (same figure, comparable scale).
NIET_IN_KEUZE = {"instroom"}
CATEGORIE_LABELS = {
    **fg.LEERROUTE_LABELS,
    "alle": "alle onderdelen", "lezen": "lezen", "luisteren": "luisteren", "schrijven": "schrijven",
    "spreken": "spreken", "knm": "KNM", "12": "12 maanden", "24": "24 maanden", "36": "36 maanden",
    "taal": "taal", "participatie": "participatie", "medisch": "medisch",
    "aantoonbare_inspanning": "aantoonbare inspanning", "overig": "overig", "onbekend": "onbekend",
}


@memo
def gemeenten_frame(path: PathLike = None) -> pd.DataFrame:
    """Gemeenten with published figures (controls.gemeenten_frame, memoized)."""
    from dashboards import controls

    return controls.gemeenten_frame(path)


@memo
def beschikbare_periodes(gemeente: str, indicator: str, path: PathLike = None) -> list[str]:
    """Periods with published rows of one indicator for the gemeente (memoized)."""
    from dashboards import controls

    return controls.beschikbare_periodes(gemeente, [indicator], path)


@memo
def peildatum(gemeente: str, path: PathLike = None):
    """The gemeente's peildatum (memoized)."""
    from dashboards import queries

    return queries.peildatum(gemeente, path)


# --- Indicator registry -----------------------------------------------------------------------

@memo
def definities(path: PathLike = None) -> pd.DataFrame:
    """The indicator registry (mart_indicator_definities), in registry order."""
    df = warehouse.query("SELECT * FROM mart_indicator_definities", path=path)
    return df.reset_index(drop=True)


def categorieen(defn: pd.Series | dict) -> list[str]:
    """The categories of an indicator ('B1, ONDERWIJS, Z' in the registry) as a list."""
    raw = defn.get("categorieen") if isinstance(defn, dict) else defn["categorieen"]
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or raw is pd.NA:
        return []
    return [c.strip() for c in str(raw).split(",") if c.strip()]


def indicator_keuzes(defs: pd.DataFrame) -> list[dict]:
    """Options for the indicator choice: one per indicator (x categorie), value 'id' or 'id:categorie'."""
    out = []
    for d in defs.to_dict("records"):
        if d["id"] in NIET_IN_KEUZE:
            continue
        cats = categorieen(d)
        if not cats:
            out.append({"label": str(d["titel"]), "value": str(d["id"])})
        for c in cats:
            out.append({"label": f"{d['titel']}: {CATEGORIE_LABELS.get(c, c)}", "value": f"{d['id']}:{c}"})
    return out


def parse_indicator(value, keuzes: list[dict]) -> tuple[str, str | None]:
    """('id', categorie or None) from 'id' or 'id:categorie'; an unknown value gives the first option.
    `keuzes` as from indicator_keuzes."""
    options = [o["value"] for o in keuzes]
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if not isinstance(value, str) or value not in options:
        value = "pip_binnen_10_weken_pct" if "pip_binnen_10_weken_pct" in options else options[0]
    ind, _, cat = value.partition(":")
    return ind, (cat or None)


def weergave_eenheid(soort: str, eenheid: str) -> str:
    """The unit as shown on this page: counts become 'per 1.000 inwoners'."""
    if soort == "aantal":
        return f"{eenheid} per 1.000 inwoners"
    return eenheid


# --- Peer groups ------------------------------------------------------------------------------

@memo
def groepen_van(gemeente: str, path: PathLike = None) -> pd.DataFrame:
    """The peer groups of a gemeente (groep_code, groep_soort, groep_naam), 'alle geladen' first."""
    rows = [{"groep_code": GELADEN, "groep_soort": "alle_geladen", "groep_naam": "Alle geladen gemeenten"}]
    try:
        df = warehouse.query(
            "SELECT DISTINCT groep_code, groep_soort, groep_naam FROM ref_groepen WHERE gemeente_code = ?",
            [gemeente], path=path)
    except duckdb.CatalogException:   # a warehouse built without reference groups: only 'alle geladen'
        return pd.DataFrame(rows)
    order = {s: i for i, s in enumerate(GROEP_SOORTEN)}
    df = df[df["groep_soort"].isin(GROEP_SOORTEN[1:])].copy()
    df["_o"] = df["groep_soort"].map(order)
    rows += df.sort_values(["_o", "groep_naam"]).drop(columns="_o").to_dict("records")
    return pd.DataFrame(rows)


def standaard_groep(groepen: pd.DataFrame, geladen: int) -> pd.Series:
    """The peer group shown when the URL names none (or an unknown one): all loaded gemeenten for a small,
    regional set (at most STANDAARD_ALLE_MAX gemeenten), else the gemeente's provincie (a chart of hundreds
    of gemeenten is neither readable nor quick to draw). `groepen` as from groepen_van (GELADEN first)."""
    if geladen > STANDAARD_ALLE_MAX:
        provincie = groepen[groepen["groep_soort"] == "provincie"]
        if len(provincie):
            return provincie.iloc[0]
    return groepen.iloc[0]


def standaard_uitleg(geladen: int) -> str:
    """The sentence under the page title that explains the default group ('' for a small set)."""
    if geladen <= STANDAARD_ALLE_MAX:
        return ""
    return (f" Er zijn {geladen} gemeenten geladen; zonder andere keuze vergelijkt de pagina met de gemeenten in "
            "dezelfde provincie. Bij ‘Vergelijken met’ kiest u een andere groep, zoals alle geladen gemeenten.")


def groep_label(groep: pd.Series | dict) -> str:
    """'Provincie Flevoland', 'Alle geladen gemeenten'."""
    if groep["groep_soort"] == "alle_geladen":
        return str(groep["groep_naam"])
    return f"{GROEP_SOORT_LABELS.get(groep['groep_soort'], groep['groep_soort'])} {groep['groep_naam']}"


@memo
def groep_leden(groep_code: str, path: PathLike = None) -> list[str]:
    """Member gemeente codes of a group that have published figures (all of them for GELADEN)."""
    geladen = gemeenten_frame(path=path)["gemeente_code"].tolist()
    if groep_code == GELADEN:
        return sorted(geladen)
    try:
        df = warehouse.query("SELECT DISTINCT gemeente_code FROM ref_groepen WHERE groep_code = ?", [groep_code],
                             path=path)
    except duckdb.CatalogException:   # without reference groups every group is 'alle geladen'
        return sorted(geladen)
    return sorted(set(df["gemeente_code"]) & set(geladen))


# --- The data behind the page -----------------------------------------------------------------

@dataclass(frozen=True)
class VergelijkData:
    """Everything the Vergelijken page shows for one indicator, periode, doelgroep and peer group."""

    indicator: str
    categorie: str | None
    titel: str
    definitie: str
    soort: str
    eenheid: str
    hoger_is_beter: bool | None
    gemeente_code: str
    gemeente_naam: str
    periode: str
    doelgroep: str
    groep_code: str
    groep_label: str
    leden: pd.DataFrame           # one row per member gemeente: naam, teller, noemer, waarde, ci, onderdrukt, toon
    groep: dict | None            # the peer-group figure after protection (None when there is no row)
    landelijk: tuple[float, str, str] | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_aandeel(self) -> bool:
        """True for shares (percent, with intervals and a funnel plot)."""
        return self.soort == "aandeel"

    @property
    def eenheid_weergave(self) -> str:
        """The unit of the shown value."""
        return weergave_eenheid(self.soort, self.eenheid)


def _bool_or_none(value) -> bool | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


@memo
def leden_rows(indicator: str, categorie: str | None, periode: str, doelgroep: str, leden: list[str],
               path: PathLike = None) -> pd.DataFrame:
    """Published (suppressed) rows of the members, with gemeente name and inhabitants."""
    if not leden:
        return pd.DataFrame(columns=["gemeente_code", "gemeente_naam", "teller", "noemer", "waarde", "ci_onder",
                                     "ci_boven", "onderdrukt", "inwoners"])
    cat_sql = "p.categorie IS NULL" if categorie is None else "p.categorie = ?"
    # A rate per 1,000 inhabitants carries its count as teller, which mart_indicatoren_publicatie does not
    # protect (its noemer is the population): take the protection of the underlying count row, and hide
    # tellers of 1-4 as for any count.
    bron = PER_1000_BRON.get(indicator, indicator)
    params: list = [leden, indicator, periode, doelgroep] + ([] if categorie is None else [categorie])
    if bron == indicator:   # the row protects itself: no second read of the table
        onderdrukt, bron_join = "coalesce(p.onderdrukt, false)", ""
    else:
        onderdrukt = """coalesce(p.onderdrukt, false) OR coalesce(c.onderdrukt, false)
                        OR (p.noemer IS NOT NULL AND p.indicator <> c.indicator AND p.teller BETWEEN 1 AND 4)"""
        bron_join = """LEFT JOIN mart_indicatoren_publicatie c
               ON c.gemeente_code = p.gemeente_code AND c.indicator = ? AND c.periode = p.periode
              AND c.doelgroep = p.doelgroep AND c.categorie IS NOT DISTINCT FROM p.categorie"""
        params.append(bron)
    df = warehouse.query(
        f"""
        SELECT g.gemeente_code, coalesce(r.gemeente_naam, g.gemeente_code) AS gemeente_naam,
               p.teller, p.noemer, p.waarde, p.ci_onder, p.ci_boven, {onderdrukt} AS onderdrukt,
               coalesce(p.inwoners, r.inwoners) AS inwoners, p.indicator IS NOT NULL AS heeft_rij
        FROM (SELECT unnest(?::VARCHAR[]) AS gemeente_code) g
        LEFT JOIN mart_indicatoren_publicatie p
               ON p.gemeente_code = g.gemeente_code AND p.indicator = ? AND p.periode = ? AND p.doelgroep = ?
              AND {cat_sql}
        {bron_join}
        LEFT JOIN ref_gemeenten r ON r.gemeente_code = g.gemeente_code
        ORDER BY gemeente_naam
        """,
        params,
        path=path,
    )
    for col in ("teller", "noemer", "waarde", "ci_onder", "ci_boven"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Float64")
        df.loc[df["onderdrukt"], col] = pd.NA
    return df


def toon_waarde(soort: str, row) -> float | None:
    """The value this page shows for a published row: counts per 1,000 inhabitants, else the waarde."""
    if bool(row["onderdrukt"]) or not bool(row.get("heeft_rij", True)):
        return None
    if soort == "aantal":
        teller, inwoners = row["teller"], row["inwoners"]
        if fg.is_missing(teller) or fg.is_missing(inwoners) or not inwoners:
            return None
        return 1000.0 * float(teller) / float(inwoners)
    return None if fg.is_missing(row["waarde"]) else float(row["waarde"])


def toon_waarden(soort: str, leden: pd.DataFrame) -> pd.Series:
    """toon_waarde for every row at once (vectorised)."""
    if leden.empty:
        return pd.Series(dtype="float64")
    hidden = leden["onderdrukt"].astype(bool) | ~leden.get("heeft_rij", pd.Series(True, index=leden.index)).astype(bool)
    if soort == "aantal":
        inw = pd.to_numeric(leden["inwoners"], errors="coerce").astype("float64")
        values = 1000.0 * pd.to_numeric(leden["teller"], errors="coerce").astype("float64") / inw.where(inw > 0)
    else:
        values = pd.to_numeric(leden["waarde"], errors="coerce").astype("float64")
    return values.where(~hidden & values.notna())


@memo
def groep_row(indicator: str, categorie: str | None, periode: str, doelgroep: str, groep_code: str,
              path: PathLike = None) -> pd.DataFrame:
    """The raw (unsuppressed) peer-group row from mart_indicatoren_groepen (0 or 1 row)."""
    cat_sql = "categorie IS NULL" if categorie is None else "categorie = ?"
    return warehouse.query(
        f"SELECT indicator, groep_code, groep_soort, groep_naam, periode, doelgroep, categorie, teller, noemer, "
        f"waarde, ci_onder, ci_boven, aantal_gemeenten, inwoners FROM mart_indicatoren_groepen "
        f"WHERE indicator = ? AND periode = ? AND doelgroep = ? AND groep_code = ? AND {cat_sql}",
        [indicator, periode, doelgroep, groep_code] + ([] if categorie is None else [categorie]),
        path=path,
    )


def beschermde_groep_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Peer-group rows with small-number protection: `suppress` on the rows (groep_code as unit)."""
    if rows.empty:
        out = rows.copy()
        out["onderdrukt"] = pd.Series(dtype=bool)
        return out
    tidy = rows.rename(columns={"groep_code": "gemeente_code"})
    extra = [c for c in tidy.columns if c not in ("indicator", "gemeente_code", "periode", "doelgroep", "categorie",
                                                   "teller", "noemer", "waarde")]
    out = suppress(tidy)
    for col in ("ci_onder", "ci_boven"):
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("Float64")
            out.loc[out["onderdrukt"], col] = pd.NA
    return out.rename(columns={"gemeente_code": "groep_code"})[
        ["indicator", "groep_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde", *extra,
         "onderdrukt"]]


def groep_figuur(rows: pd.DataFrame, leden: pd.DataFrame, soort: str) -> dict | None:
    """The peer-group figure to show, or None without a row. Hidden when the row is small (suppress) or
    when exactly one member is hidden (the group minus the visible members would reveal it)."""
    prot = beschermde_groep_rows(rows)
    if prot.empty:
        return None
    r = prot.iloc[0]
    n_hidden = int(leden["onderdrukt"].astype(bool).sum()) if len(leden) else 0
    klein = soort == "per_1000" and not fg.is_missing(r["teller"]) and 1 <= float(r["teller"]) <= 4
    hidden = bool(r["onderdrukt"]) or klein or n_hidden == 1
    reden = None
    if bool(r["onderdrukt"]) or klein:
        reden = "te klein aantal in de groep"
    elif n_hidden == 1:
        reden = "één gemeente in de groep is onderdrukt; de groepswaarde zou die verraden"
    waarde = None
    if not hidden:
        if soort == "aantal":
            inw = r.get("inwoners")
            waarde = None if fg.is_missing(inw) or not inw else 1000.0 * float(r["teller"]) / float(inw)
        else:
            waarde = None if fg.is_missing(r["waarde"]) else float(r["waarde"])
    num = lambda v: None if hidden or fg.is_missing(v) else float(v)  # noqa: E731
    return {
        "onderdrukt": hidden,
        "reden": reden,
        "waarde": waarde,
        "teller": num(r["teller"]),
        "noemer": num(r["noemer"]),
        "ci_onder": num(r.get("ci_onder")),
        "ci_boven": num(r.get("ci_boven")),
        "aantal_gemeenten": None if fg.is_missing(r.get("aantal_gemeenten")) else int(r["aantal_gemeenten"]),
    }


def landelijk(indicator: str, categorie: str | None, periode: str, doelgroep: str) -> tuple[float, str, str] | None:
    """The national reference (value, label, source) for this selection, when domain.md §3 has one."""
    if categorie is not None:
        return None
    return LANDELIJK.get((indicator, periode, doelgroep))


def vergelijk_data(indicator: str, categorie: str | None, gemeente: str, gemeente_naam: str, periode: str,
                   doelgroep: str, groep: dict, defs: pd.DataFrame, path: PathLike = None) -> VergelijkData:
    """Read everything the page shows (published rows only; group rows protected here)."""
    d = defs.loc[defs["id"] == indicator].iloc[0]
    leden = leden_rows(indicator, categorie, periode, doelgroep, groep_leden(groep["groep_code"], path=path),
                       path=path)
    soort = str(d["soort"])
    leden = leden.copy()
    leden["toon"] = toon_waarden(soort, leden)
    leden["gekozen"] = leden["gemeente_code"] == gemeente
    leden["label"] = leden["gemeente_naam"].astype(str).where(~leden["gekozen"],
                                                              leden["gemeente_naam"].astype(str) + " (gekozen)")
    groep_fig = groep_figuur(groep_row(indicator, categorie, periode, doelgroep, groep["groep_code"], path=path),
                             leden, soort)
    notes = []
    if soort == "aantal":
        notes.append("Aantallen zijn omgerekend naar 1.000 inwoners (inwoners volgens CBS, 1 januari van het "
                     "peiljaar), zodat gemeenten van verschillende grootte te vergelijken zijn.")
    if soort in ("mediaan", "aantal", "per_1000"):
        notes.append("Voor deze soort indicator is geen betrouwbaarheidsinterval beschikbaar.")
    return VergelijkData(
        indicator=indicator, categorie=categorie,
        titel=str(d["titel"]) + (f": {CATEGORIE_LABELS.get(categorie, categorie)}" if categorie else ""),
        definitie=str(d["definitie"]), soort=soort, eenheid=str(d["eenheid"]),
        hoger_is_beter=_bool_or_none(d["hoger_is_beter"]), gemeente_code=gemeente, gemeente_naam=gemeente_naam,
        periode=periode, doelgroep=doelgroep, groep_code=str(groep["groep_code"]), groep_label=groep_label(groep),
        leden=leden, groep=groep_fig, landelijk=landelijk(indicator, categorie, periode, doelgroep),
        notes=tuple(notes),
    )


# --- Funnel limits ----------------------------------------------------------------------------

def funnel_limits(p0_pct: float, noemers, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Control limits (percent) around the group share p0 for each noemer n: p0 ± z·sqrt(p0(1−p0)/n)."""
    n = np.asarray(noemers, dtype=float)
    p0 = p0_pct / 100.0
    half = z * np.sqrt(p0 * (1 - p0) / n)
    return np.clip(100 * (p0 - half), 0, 100), np.clip(100 * (p0 + half), 0, 100)


# --- Formatting -------------------------------------------------------------------------------

def fmt_waarde(value, soort: str) -> str:
    """A shown value in Dutch notation with its unit."""
    if fg.is_missing(value):
        return fg.ONTBREEKT
    if soort == "aandeel":
        return fg.fmt_pct(value)
    if soort == "mediaan":
        return fg.fmt_getal(value, 0 if float(value).is_integer() else 1, " dagen")
    return fg.fmt_getal(value, 2)


def _cell(value, soort: str, onderdrukt: bool = False) -> fg.Cell:
    if onderdrukt:
        return fg.GetalCell(None, "pct", True)
    v = None if fg.is_missing(value) else float(value)
    if soort == "aandeel":
        return fg.GetalCell(v, "pct", decimals=1, suffix=" %")
    if soort == "mediaan":
        return fg.GetalCell(v, "pct", decimals=1, suffix=" dagen")
    return fg.GetalCell(v, "pct", decimals=2)


def _aantal(value, onderdrukt: bool = False, marker: str | None = None) -> fg.Cell:
    if onderdrukt:
        return fg.Cell(None, "aantal", True, marker)
    return fg.Cell(None if fg.is_missing(value) else float(value), "aantal")


def naam_label(row) -> str:
    """The gemeente's name, marked when it is the chosen one."""
    return f"{row['gemeente_naam']} (gekozen)" if bool(row["gekozen"]) else str(row["gemeente_naam"])


# --- Table views ------------------------------------------------------------------------------

def _ordered(leden: pd.DataFrame) -> pd.DataFrame:
    shown = leden[leden["toon"].notna()].sort_values(["toon", "gemeente_naam"], ascending=[False, True])
    rest = leden[leden["toon"].isna()].sort_values("gemeente_naam")
    return pd.concat([shown, rest])


def rang_table(data: VergelijkData) -> fg.TableView:
    """Table view of the ranked chart: every member, the group figure and the national reference."""
    is_pct = data.is_aandeel
    teller_kol = "Aantal" if data.soort == "aantal" else ("Teller" if is_pct else None)
    noemer_kol = {"aandeel": "Noemer", "mediaan": "Aantal gevallen", "aantal": "Inwoners",
                  "per_1000": "Inwoners"}[data.soort]
    columns = ["Gemeente", f"Waarde ({data.eenheid_weergave})"]
    if is_pct:
        columns += ["95%-interval ondergrens", "95%-interval bovengrens"]
    if teller_kol:
        columns.append(teller_kol)
    columns.append(noemer_kol)
    rows = []
    for r in _ordered(data.leden).to_dict("records"):
        hidden = bool(r["onderdrukt"])
        no_row = not bool(r.get("heeft_rij", True))
        cells = [_cell(None if no_row else r["toon"], data.soort, hidden)]
        if is_pct:
            cells += [_cell(r["ci_onder"], "aandeel", hidden), _cell(r["ci_boven"], "aandeel", hidden)]
        if teller_kol:
            cells.append(_aantal(r["teller"], hidden,
                                 fg.ONDERDRUKT_AANTAL if data.soort == "aantal" else fg.ONDERDRUKT_AANDEEL))
        if data.soort in ("aantal", "per_1000"):
            cells.append(_aantal(r["inwoners"]))
        else:
            cells.append(_aantal(r["noemer"], hidden, f"<{MIN_NOEMER}"))
        rows.append((r["label"], tuple(cells)))
    g = data.groep
    if g is not None:
        hidden = g["onderdrukt"]
        cells = [_cell(g["waarde"], data.soort, hidden)]
        if is_pct:
            cells += [_cell(g["ci_onder"], "aandeel", hidden), _cell(g["ci_boven"], "aandeel", hidden)]
        if teller_kol:
            cells.append(_aantal(g["teller"], hidden, fg.ONDERDRUKT_AANDEEL))
        cells.append(_aantal(g["noemer"], hidden, fg.ONDERDRUKT_AANDEEL) if data.soort not in ("aantal", "per_1000")
                     else _aantal(None))
        rows.append((f"Groep: {data.groep_label}", tuple(cells)))
    notes = list(data.notes)
    if data.landelijk is not None:
        waarde, label, bron = data.landelijk
        cells = [_cell(waarde, data.soort)]
        if is_pct:
            cells += [_cell(None, "aandeel"), _cell(None, "aandeel")]
        if teller_kol:
            cells.append(_aantal(None))
        cells.append(_aantal(None))
        rows.append((label, tuple(cells)))
        notes.append(f"Landelijke referentie: {bron}.")
    if g is not None and g["reden"]:
        notes.append(f"Groepswaarde niet getoond: {g['reden']}.")
    caption = (f"{data.titel}, {fg.DOELGROEP_LABELS.get(data.doelgroep, data.doelgroep).lower()}, "
               f"{fg.fmt_periode(data.periode, lang=True)}: gemeenten in {data.groep_label}")
    return fg.TableView(caption, tuple(columns), tuple(rows), tuple(notes))


def trechter_table(data: VergelijkData) -> fg.TableView:
    """Table view of the funnel plot: share, noemer and the control limits at each gemeente's noemer."""
    g = data.groep
    p0 = None if g is None or g["onderdrukt"] else g["waarde"]
    columns = ("Gemeente", "Aandeel", "Noemer", "95%-grens onder", "95%-grens boven", "99,8%-grens onder",
               "99,8%-grens boven", "Ligt")
    rows = []
    leden = _ordered(data.leden)
    n = pd.to_numeric(leden["noemer"], errors="coerce").astype("float64").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        lo95, hi95 = funnel_limits(p0 if p0 is not None else 0.0, n, Z95)
        lo998, hi998 = funnel_limits(p0 if p0 is not None else 0.0, n, Z998)
    for i, r in enumerate(leden.to_dict("records")):
        hidden = bool(r["onderdrukt"])
        if hidden or fg.is_missing(r["noemer"]) or p0 is None:
            limits = [_cell(None, "aandeel")] * 4
            ligt = fg.tekst_cell("onderdrukt" if hidden else None)
        else:
            limits = [_cell(lo95[i], "aandeel"), _cell(hi95[i], "aandeel"), _cell(lo998[i], "aandeel"),
                      _cell(hi998[i], "aandeel")]
            ligt = fg.tekst_cell(ligging(float(r["waarde"]), lo95[i], hi95[i], lo998[i], hi998[i]))
        rows.append((r["label"], (_cell(r["waarde"], "aandeel", hidden),
                                  _aantal(r["noemer"], hidden, f"<{MIN_NOEMER}"), *limits, ligt)))
    notes = [f"Groepswaarde ({data.groep_label}): {fmt_waarde(p0, 'aandeel')}." if p0 is not None else
             "Zonder groepswaarde geen grenzen."]
    return fg.TableView(f"Trechterdiagram {data.titel.lower()}, {fg.fmt_periode(data.periode, lang=True)}: "
                        f"aandeel en controlegrenzen rond de groepswaarde", columns, tuple(rows), tuple(notes))


def ligging(waarde: float, lo95: float, hi95: float, lo998: float, hi998: float) -> str:
    """Where a share lies relative to the funnel's control limits, in words."""
    if waarde > hi998:
        return "ver boven de grens (99,8 %)"
    if waarde > hi95:
        return "boven de grens (95 %)"
    if waarde < lo998:
        return "ver onder de grens (99,8 %)"
    if waarde < lo95:
        return "onder de grens (95 %)"
    return "binnen de grenzen"


# --- Figures ----------------------------------------------------------------------------------

def rang_figure(data: VergelijkData) -> dict | go.Figure:
    """Ranked dot chart: one row per gemeente (highest on top), 95 % intervals, chosen gemeente
    highlighted, vertical lines for the group value and the national reference; hidden ones marked.
    A plain figure dict (figures.figuur_json): a group can have all 342 gemeenten."""
    leden = _ordered(data.leden)
    if leden.empty:
        return fg.empty_figure("Geen gemeenten met gegevens in deze groep.")
    shown = leden[leden["toon"].notna()].iloc[::-1]   # plotly draws the first category at the bottom
    hidden = leden[leden["toon"].isna()]
    labels_hidden = hidden["label"].tolist()
    categories = labels_hidden[::-1] + shown["label"].tolist()
    traces = []
    for gekozen, name, colour, symbol, size in ((False, "Andere gemeenten", KLEUR_ANDER, "circle", 10),
                                                (True, data.gemeente_naam, KLEUR_GEKOZEN, "diamond", 14)):
        part = shown[shown["gekozen"] == gekozen]
        if part.empty:
            continue
        x = part["toon"].astype(float)
        trace = dict(type="scatter", name=name, x=x.to_numpy(), y=part["label"].tolist(), mode="markers",
                     marker=dict(color=colour, symbol=symbol, size=size, line=dict(color="#ffffff", width=1)),
                     customdata=[fmt_waarde(v, data.soort) for v in x],
                     hovertemplate="%{y}: %{customdata}<extra></extra>")
        if data.is_aandeel:
            hi = pd.to_numeric(part["ci_boven"], errors="coerce").astype(float)
            lo = pd.to_numeric(part["ci_onder"], errors="coerce").astype(float)
            trace["error_x"] = dict(type="data", symmetric=False, array=(hi - x).fillna(0).to_numpy(),
                                    arrayminus=(x - lo).fillna(0).to_numpy(), color=colour, thickness=1.5, width=4)
        traces.append(trace)
    if labels_hidden:
        texts = ["onderdrukt" if o else "geen gegevens" for o in hidden["onderdrukt"].astype(bool)]
        traces.append(dict(type="scatter", name=fg.ONDERDRUKT_NOOT, x=[0] * len(labels_hidden), y=labels_hidden,
                           mode="text", text=texts, textposition="middle right",
                           textfont=dict(color=fg.TEXT_COLOUR, size=13), hoverinfo="skip", showlegend=False))
    shapes, annotations = [], []
    lines = []
    if data.groep is not None and data.groep["waarde"] is not None:
        lines.append((data.groep["waarde"], KLEUR_GROEP, KLEUR_GROEP, "dash", "Groep", 1.0, "bottom"))
    if data.landelijk is not None:
        lines.append((data.landelijk[0], KLEUR_LANDELIJK, "#8a3d6b", "dot", "Landelijk", 0.0, "top"))
    for value, colour, text_colour, dash, label, y, anchor in lines:
        shapes.append(dict(type="line", xref="x", yref="paper", x0=value, x1=value, y0=0, y1=1,
                           line=dict(color=colour, width=2, dash=dash)))
        annotations.append(dict(text=f"{label}: {fmt_waarde(value, data.soort)}", x=value, xref="x", y=y,
                                yref="paper", yanchor=anchor, showarrow=False, xanchor="left",
                                font=dict(color=text_colour, size=13)))
    height = max(280, 110 + 26 * len(categories))
    xaxis = dict(title=dict(text=data.eenheid_weergave), showgrid=True, gridcolor="#e3e3e3", zeroline=True,
                 zerolinecolor="#6f6f6f", rangemode="tozero", showline=True, ticks="outside")
    if data.is_aandeel:
        xaxis.update(range=[0, 100], ticksuffix=" %", dtick=20)
    # Fonts, separators and colours come from the house template (figures.HOUSE_TEMPLATE).
    layout = dict(height=height, margin=dict(l=16, r=24, t=64, b=56), legend=dict(y=1.06),
                  shapes=shapes, annotations=annotations, xaxis=xaxis,
                  yaxis=dict(type="category", categoryorder="array", categoryarray=categories, automargin=True,
                             title=dict(text=""), showline=True, ticks="outside"))
    return fg.figuur_json(traces, layout)


def trechter_figure(data: VergelijkData) -> dict | go.Figure:
    """Funnel plot: share against noemer per gemeente, with 95 % and 99,8 % control limits around the
    group value; the chosen gemeente highlighted and labelled (a plain figure dict, see rang_figure)."""
    g = data.groep
    leden = data.leden[(~data.leden["onderdrukt"].astype(bool)) & data.leden["noemer"].notna()
                       & data.leden["waarde"].notna()]
    if not data.is_aandeel:
        return fg.empty_figure("Een trechterdiagram bestaat alleen voor percentages.")
    if leden.empty or g is None or g["waarde"] is None:
        return fg.empty_figure("Geen groepswaarde of geen gemeenten met gegevens: geen trechterdiagram.")
    p0 = float(g["waarde"])
    n_max = float(leden["noemer"].max()) * 1.1
    n_min = max(MIN_NOEMER, float(leden["noemer"].min()) * 0.8)
    grid = np.unique(np.concatenate([np.geomspace(n_min, n_max, 160), leden["noemer"].astype(float).to_numpy()]))
    traces = []
    for z, label, dash in ((Z998, "99,8%-grens", "dot"), (Z95, "95%-grens", "dash")):
        lo, hi = funnel_limits(p0, grid, z)
        for ys, show in ((hi, True), (lo, False)):
            traces.append(dict(type="scatter", name=label, x=grid, y=ys, mode="lines",
                               line=dict(color=fg.MUTED_COLOUR, dash=dash, width=1.5), hoverinfo="skip",
                               legendgroup=label, showlegend=show))
    traces.append(dict(type="scatter", name=f"Groep: {fmt_waarde(p0, 'aandeel')}", x=[grid[0], grid[-1]], y=[p0, p0],
                       mode="lines", line=dict(color=KLEUR_GROEP, width=2), hoverinfo="skip"))
    for gekozen, name, colour, symbol, size in ((False, "Andere gemeenten", KLEUR_ANDER, "circle", 10),
                                                (True, data.gemeente_naam, KLEUR_GEKOZEN, "diamond", 15)):
        part = leden[leden["gekozen"] == gekozen]
        if part.empty:
            continue
        trace = dict(
            type="scatter", name=name, x=part["noemer"].to_numpy(float), y=part["waarde"].to_numpy(float),
            mode="markers", marker=dict(color=colour, symbol=symbol, size=size, line=dict(color="#ffffff", width=1)),
            customdata=[[naam, fmt_waarde(w, "aandeel"), fg.fmt_aantal(n)]
                        for naam, w, n in zip(part["gemeente_naam"], part["waarde"], part["noemer"])],
            hovertemplate="%{customdata[0]}: %{customdata[1]} van %{customdata[2]}<extra></extra>",
        )
        if gekozen:   # the chosen gemeente is labelled with its name
            trace.update(mode="markers+text", text=part["gemeente_naam"].tolist(), textposition="top left",
                         textfont=dict(color=fg.TEXT_COLOUR, size=13))
        traces.append(trace)
    layout = dict(height=420, margin=dict(l=76, r=24, t=56, b=60),
                  xaxis=dict(title=dict(text="Noemer (aantal personen of gevallen)"), showgrid=True,
                             gridcolor="#e3e3e3", rangemode="tozero", tickformat=",d", showline=True, ticks="outside"),
                  yaxis=dict(title=dict(text="Aandeel"), range=[0, 100], ticksuffix=" %", dtick=20, showgrid=True,
                             gridcolor="#e3e3e3", showline=True, ticks="outside"))
    return fg.figuur_json(traces, layout)


# --- Page state and layout --------------------------------------------------------------------

PAGINA = "vergelijken"


@dataclass(frozen=True)
class VergelijkPagina:
    """The page's state from the URL: filters, options and the data."""

    filters: object                 # controls.Filters
    gemeenten: pd.DataFrame
    periodes: list[str]
    keuzes: list[dict]
    indicator_waarde: str
    groepen: pd.DataFrame
    data: VergelijkData | None
    peildatum: object


def lees_pagina(query: dict, path: PathLike = None) -> VergelijkPagina | None:
    """Everything the page needs for a URL query (None when no gemeente has data)."""
    from dashboards import controls, queries

    gemeenten = gemeenten_frame(path=path)
    filters = controls.parse_filters(query, gemeenten["gemeente_code"].tolist())
    if filters.gemeente is None:
        return None
    defs = definities(path=path)
    keuzes = indicator_keuzes(defs)
    indicator, categorie = parse_indicator(query.get("indicator"), keuzes)
    periodes = beschikbare_periodes(filters.gemeente, indicator, path=path)
    filters = controls.parse_filters(query, gemeenten["gemeente_code"].tolist(), periodes)
    peil = peildatum(filters.gemeente, path=path)
    filters = controls.met_periode(filters, periodes, standaard=queries.laatste_volledige_jaar(peil))
    groepen = groepen_van(filters.gemeente, path=path)
    groep_code = query.get("groep")
    if isinstance(groep_code, (list, tuple)):
        groep_code = groep_code[0] if groep_code else None
    match = groepen[groepen["groep_code"] == groep_code]
    groep = (match.iloc[0] if len(match) else standaard_groep(groepen, len(gemeenten))).to_dict()
    naam = gemeenten.loc[gemeenten["gemeente_code"] == filters.gemeente, "gemeente_naam"].iloc[0]
    data = None
    if filters.periode:
        data = vergelijk_data(indicator, categorie, filters.gemeente, str(naam), filters.periode, filters.doelgroep,
                              groep, defs, path)
    value = indicator + (f":{categorie}" if categorie else "")
    return VergelijkPagina(filters, gemeenten, periodes, keuzes, value, groepen, data, peil)


def table_view(state: VergelijkPagina, key: str) -> fg.TableView | None:
    """The table behind one chart ('rang' or 'trechter'); None when the page has no such chart. Builds
    only that table (the one a user opens; over 342 gemeenten each takes ~20 ms)."""
    if state.data is None:
        return None
    if key == "rang":
        return rang_table(state.data)
    if key == "trechter" and state.data.is_aandeel:
        return trechter_table(state.data)
    return None


def table_views(state: VergelijkPagina) -> dict[str, fg.TableView]:
    """The table behind each chart, by key (for the downloads)."""
    views = {key: table_view(state, key) for key in ("rang", "trechter")}
    return {key: view for key, view in views.items() if view is not None}


def bestandsnaam(key: str, state: VergelijkPagina) -> str:
    """vergelijken_rang_GM0034_pip_binnen_10_weken_pct_2025_alle_GELADEN (without extension)."""
    d = state.data
    ind = state.indicator_waarde.replace(":", "-")
    return f"vergelijken_{key}_{state.filters.gemeente}_{ind}_{d.periode}_{d.doelgroep}_{d.groep_code}"


def _kerncijfer(label: str, value: str, toelichting, value_id: str) -> "html.Div":
    from dash import html

    return html.Div(className="col-12 col-sm-6 col-xl-3", children=html.Div(className="kerncijfer h-100", children=[
        html.P(label, className="kerncijfer__label"),
        html.P(value, id=value_id, className="kerncijfer__waarde"),
        html.P(toelichting, className="kerncijfer__toelichting"),
    ]))


def positie(data: VergelijkData) -> tuple[int, int] | None:
    """(place, number of gemeenten with a shown value), place 1 = highest value; None when hidden."""
    shown = data.leden[data.leden["toon"].notna()].sort_values("toon", ascending=False).reset_index(drop=True)
    hit = shown.index[shown["gekozen"]].tolist()
    return (hit[0] + 1, len(shown)) if hit else None


def kerncijfers(data: VergelijkData):
    """The chosen gemeente's value, the group value, the national reference and the place in the group."""
    from dash import html

    eigen = data.leden[data.leden["gekozen"]]
    eigen_row = eigen.iloc[0] if len(eigen) else None
    if eigen_row is None or not bool(eigen_row.get("heeft_rij", True)):
        eigen_txt, eigen_toel = fg.ONTBREEKT, "geen gegevens voor deze keuze"
    elif bool(eigen_row["onderdrukt"]):
        eigen_txt, eigen_toel = (fg.ONDERDRUKT_AANTAL if data.soort in ("aantal", "per_1000")
                                 else fg.ONDERDRUKT_AANDEEL), fg.ONDERDRUKT_NOOT
    else:
        eigen_txt = fmt_waarde(eigen_row["toon"], data.soort)
        if data.is_aandeel:
            eigen_toel = (f"95%-interval {fmt_waarde(eigen_row['ci_onder'], 'aandeel')} – "
                          f"{fmt_waarde(eigen_row['ci_boven'], 'aandeel')}; {fg.fmt_aantal(eigen_row['teller'])} van "
                          f"{fg.fmt_aantal(eigen_row['noemer'])}")
        else:
            eigen_toel = data.eenheid_weergave
    g = data.groep
    if g is None:
        groep_txt, groep_toel = fg.ONTBREEKT, "geen gegevens voor de groep"
    elif g["onderdrukt"]:
        groep_txt, groep_toel = fg.ONDERDRUKT_AANDEEL, f"niet getoond: {g['reden']}"
    else:
        groep_txt = fmt_waarde(g["waarde"], data.soort)
        groep_toel = f"{data.groep_label} ({g['aantal_gemeenten'] or 0} geladen gemeenten)"
    if data.landelijk is None:
        land_txt, land_toel = fg.ONTBREEKT, "geen landelijk vergelijkingscijfer voor deze keuze"
    else:
        land_txt, land_toel = fmt_waarde(data.landelijk[0], data.soort), f"{data.landelijk[1]}. Bron: {data.landelijk[2]}"
    pos = positie(data)
    richting = {True: "hoger is beter", False: "lager is beter", None: "hoger is niet per se beter of slechter"}
    pos_txt = f"{pos[0]} van {pos[1]}" if pos else fg.ONTBREEKT
    pos_toel = f"gerangschikt van hoog naar laag ({richting[data.hoger_is_beter]})"
    return html.Section(className="kerncijfers", **{"aria-labelledby": "vergelijken-kerncijfers-titel"}, children=[
        html.H2("Kerncijfers", id="vergelijken-kerncijfers-titel", className="visually-hidden"),
        html.Div(className="row g-3", children=[
            _kerncijfer(data.gemeente_naam, eigen_txt, eigen_toel, "vk-gemeente"),
            _kerncijfer("Groep", groep_txt, groep_toel, "vk-groep"),
            _kerncijfer("Landelijk", land_txt, land_toel, "vk-landelijk"),
            _kerncijfer("Plaats in de groep", pos_txt, pos_toel, "vk-plaats"),
        ]),
    ])


def keuzes(state: VergelijkPagina):
    """The page's own choices: indicator and peer group (native selects, labelled)."""
    import dash_bootstrap_components as dbc
    from dash import html

    groep_opties = [{"label": groep_label(g), "value": g["groep_code"]} for g in state.groepen.to_dict("records")]
    groep_value = state.data.groep_code if state.data is not None else state.groepen.iloc[0]["groep_code"]
    return html.Div(className="filter-balk mb-4 p-3 bg-white border rounded", role="group",
                    **{"aria-label": "Indicator en vergelijkingsgroep"}, children=html.Div(className="row g-3", children=[
        html.Div(className="col-12 col-lg-7", children=[
            html.Label("Indicator", htmlFor="vergelijken-indicator", className="form-label fw-semibold mb-1"),
            dbc.Select(id="vergelijken-indicator", options=state.keuzes, value=state.indicator_waarde, required=True),
        ]),
        html.Div(className="col-12 col-lg-5", children=[
            html.Label("Vergelijken met", htmlFor="vergelijken-groep", className="form-label fw-semibold mb-1"),
            dbc.Select(id="vergelijken-groep", options=groep_opties, value=groep_value, required=True),
        ]),
    ]))


def pagina(state: VergelijkPagina):
    """The Vergelijken page."""
    from dash import dcc, html

    from dashboards import controls, layouts

    f = state.filters
    naam = state.gemeenten.loc[state.gemeenten["gemeente_code"] == f.gemeente, "gemeente_naam"].iloc[0]
    head = [
        dcc.Location(id="vergelijken-url", refresh="callback-nav"),
        dcc.Store(id="page-meta", data={"peildatum": fg.fmt_datum(state.peildatum), "gemeente": str(naam)}),
        dcc.Download(id="vergelijken-download"),
        html.Div(className="pagina-kop", children=html.Div(className="pagina-kop__tekst", children=[
            html.H1(f"Hoe doet {naam} het vergeleken met andere gemeenten?"),
            html.P("Eén indicator naast die van vergelijkbare gemeenten: de waarde van elke gemeente met het "
                   "95%-betrouwbaarheidsinterval, de waarde van de gekozen groep en, waar die bestaat, het landelijke "
                   f"cijfer. Peildatum {fg.fmt_datum(state.peildatum)}." + standaard_uitleg(len(state.gemeenten)),
                   className="pagina-kop__intro"),
        ])),
        controls.filter_bar(f, state.gemeenten, state.periodes),
        keuzes(state),
    ]
    d = state.data
    if d is None:
        return html.Div(className="vergelijken", children=[
            *head, html.Div("Voor deze indicator zijn nog geen perioden met gegevens.", className="alert alert-warning",
                            role="status")])
    hidden = bool(d.leden["onderdrukt"].astype(bool).any()) or bool(d.groep and d.groep["onderdrukt"])
    uitleg = html.P([html.Strong("Definitie. "), d.definitie, " ", layouts.definitie_link(d.indicator),
                     f". Eenheid: {d.eenheid_weergave}."])
    bron = ("Bron: eigen gemeentelijke registratie (gemeenten), groepswaarde uit de opgetelde tellers en noemers "
            "van de groep; peildatum " + fg.fmt_datum(state.peildatum) + "."
            + (f" Landelijk: {d.landelijk[2]}." if d.landelijk else ""))
    periode_txt = fg.fmt_periode(d.periode, lang=True)
    doelgroep_txt = fg.DOELGROEP_LABELS.get(d.doelgroep, d.doelgroep).lower()
    sections = [kerncijfers(d), layouts.grafiek_sectie(
        PAGINA, "rang", f"{d.titel}: {naam} en de gemeenten in {d.groep_label} ({periode_txt}, {doelgroep_txt})",
        rang_figure(d), None, uitleg=uitleg, bron=bron, lazy=True, onderdrukt=hidden,
        noten=[*d.notes, "De lijnen om de punten zijn 95%-betrouwbaarheidsintervallen." if d.is_aandeel else ""]
        if d.is_aandeel else list(d.notes))]
    if d.is_aandeel:
        sections.append(layouts.grafiek_sectie(
            PAGINA, "trechter", f"Trechterdiagram: wijkt {naam} af van de groep?", trechter_figure(d),
            None, lazy=True, onderdrukt=hidden,
            uitleg=html.P("Elke stip is een gemeente: het aandeel tegen het aantal personen waarop het berust. "
                          "De lijnen zijn de 95%- en 99,8%-controlegrenzen rond de groepswaarde: bij weinig personen "
                          "liggen ze ver uit elkaar, want kleine aantallen schommelen meer. Een gemeente buiten de "
                          "grenzen wijkt meer af dan toeval waarschijnlijk maakt. Onderdrukte gemeenten staan er "
                          "niet in."), bron=bron))
    else:
        sections.append(html.P("Een trechterdiagram is er alleen voor percentages (aandelen): voor deze indicator "
                               "bestaat geen controlegrens.", className="grafiek-noot"))
    return html.Div(className="vergelijken", children=[*head, *sections])
