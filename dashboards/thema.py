"""Thematic pages (Instroom, Brede intake en PIP, Leerroutes, Voortgang en examens, Participatie):
queries, table views, figures and layouts. Page modules in dashboards/pages only wire these.

Pages never compute an indicator: every figure shown is a row of `mart_indicatoren_publicatie`
(suppressed, with its Wilson interval), `mart_indicator_definities` (titles and definitions) or
`mart_beleidsdoelen` (a gemeente's own expectation). Fixed national references (the Rijk's expected
route mix, the 10-week term) are constants quoted from the law or domain documentation.

Building blocks:
- `ThemaData` / `laad_data()`: one query for all published rows of a page's indicators for one gemeente.
- `Reeks` + `Grafiek`: a chart over periodes (line or bars), one series per indicator / categorie /
  doelgroep. `Vergelijking`: bars over categories in one periode (exam parts, route mix against
  expectations). Each has a `*_table()` giving exactly what the chart shows (TableView, for the HTML
  table, the CSV and the Excel download) and a `*_figure()`.
- `PAGINAS`: the five page specs; `pagina_layout(key, query)` builds a page from the URL query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, dcc, html, no_update

from dashboards import controls, warehouse
from dashboards import figures as fg
from dashboards import layouts
from dashboards.controls import Filters
from dashboards.figures import fmt_getal, is_missing
from dashboards.queries import laatste_volledige_jaar, peildatum
from pipelines.indicators.engine import registry

PathLike = object

# Colour-blind-safe series colours (Okabe-Ito, ≥ 3:1 against white), with dash patterns and marker
# symbols so that series stay apart in greyscale print too.
KLEUREN = (fg.OKABE_ITO["blauw"], fg.OKABE_ITO["vermiljoen"], fg.OKABE_ITO["blauwgroen"],
           fg.OKABE_ITO["roodpaars"], fg.OKABE_ITO["zwart"])
STREEPJES = ("solid", "dash", "dot", "dashdot", "longdash")
SYMBOLEN = ("circle", "square", "diamond", "triangle-up", "x")
DOELGROEP_KLEUR = {"alle": fg.OKABE_ITO["zwart"], **fg.DOELGROEP_KLEUREN}

# The Rijk's expected route mix (Diemen, Beleidskader Wet Inburgering 2022, §6.2, "Inschatting Rijk";
# docs/policy-goals.md and domain.md §2): B1 60 %, onderwijs 25 %, Z 15 %.
RIJK_ROUTEMIX = {"B1": 60.0, "ONDERWIJS": 25.0, "Z": 15.0}
RIJK_ROUTEMIX_BRON = ("Inschatting van het Rijk, zoals geciteerd in het Beleidskader Wet Inburgering 2022 "
                      "van de gemeente Diemen (§6.2): B1-route 60 %, onderwijsroute 25 %, Z-route 15 %.")
PIP_TERMIJN_DAGEN = 70  # Wi2021: PIP within 10 weeks after inschrijving BRP

ONDERDELEN = (("lezen", "Lezen"), ("luisteren", "Luisteren"), ("schrijven", "Schrijven"),
              ("spreken", "Spreken"), ("knm", "KNM"), ("alle", "Alle onderdelen"))
ALLEEN_ASIEL = ("wachttijd_huisvesting_mediaan", "ontzorgen_gestart_pct", "ontzorgen_verlengd_pct",
                "welkomgesprek_binnen_6_weken_pct")
# Indicators split by geslacht and leeftijd (definitions.yaml `kenmerken: true`).
GESPLITST = frozenset(e["id"] for e in registry() if e["kenmerken"])
NIET_UITGESPLITST = "Dit cijfer is niet uitgesplitst naar geslacht of leeftijd: kies 'Alle' om het te zien."
STATUS_LABELS = {"op_koers": "Op koers", "risico": "Risico", "niet_gehaald": "Niet gehaald",
                 "nog_niet_meetbaar": "Nog niet meetbaar"}
RICHTING_LABELS = {"minimaal": "minimaal", "maximaal": "maximaal", "ongeveer": "ongeveer",
                   "stijgend": "hoger dan een jaar eerder", "dalend": "lager dan een jaar eerder"}


# --- Cells and formatting -----------------------------------------------------------------------

def fmt_dagen(x) -> str:
    """A median in days: '45 dagen' or '45,5 dagen'."""
    if is_missing(x):
        return fg.ONTBREEKT
    x = float(x)
    n = fmt_getal(x, 0) if x == int(x) else fmt_getal(x, 1)
    return f"{n} dag" if x == 1 else f"{n} dagen"


def fmt_interval(lo, hi) -> str:
    """'57,2–83,9 %'."""
    if is_missing(lo) or is_missing(hi):
        return fg.ONTBREEKT
    return f"{fmt_getal(lo)}–{fmt_getal(hi)} %"


@dataclass(frozen=True)
class Waarde(fg.Cell):
    """A table cell of any unit of the thematic pages ('aantal', 'pct', 'dagen', 'per1000', 'tekst').

    Like `figures.Cell` (and accepted wherever one is): a suppressed cell shows '<5' for a count and
    '–' for anything computed over a population (share, median, rate), never 0."""

    eenheid: str = "pct"
    tekst: str | None = None

    def display(self) -> str:
        if self.onderdrukt:
            return self.suppressed_marker
        if self.eenheid == "tekst":
            return self.tekst if self.tekst is not None else fg.ONTBREEKT
        if self.value is None:
            return fg.ONTBREEKT
        if self.eenheid == "aantal":
            return fg.fmt_aantal(self.value)
        if self.eenheid == "pct":
            return fg.fmt_pct(self.value)
        if self.eenheid == "dagen":
            return fmt_dagen(self.value)
        if self.eenheid == "per1000":
            return fmt_getal(self.value, 2)
        return fmt_getal(self.value)

    def csv(self) -> str:
        if self.onderdrukt:
            return self.suppressed_marker
        if self.eenheid == "tekst":
            return self.tekst if self.tekst is not None else fg.ONTBREEKT
        if self.value is None:
            return fg.ONTBREEKT
        if self.eenheid == "aantal":
            return str(int(round(self.value)))
        decimals = 2 if self.eenheid == "per1000" else 1
        return f"{self.value:.{decimals}f}".replace(".", ",")

    def excel(self):
        """The cell for Excel: a number where there is one (rounded as shown), else the marker as text."""
        if self.onderdrukt:
            return self.suppressed_marker
        if self.eenheid == "tekst":
            return self.tekst if self.tekst is not None else fg.ONTBREEKT
        if self.value is None:
            return fg.ONTBREEKT
        if self.eenheid == "aantal":
            return int(round(self.value))
        # Exactly the number shown on screen (same rounding as the display string).
        return float(f"{float(self.value):.{2 if self.eenheid == 'per1000' else 1}f}")

    def excel_format(self) -> str:
        return "#,##0" if self.eenheid == "aantal" else "0.0#"


def _kind(eenheid: str) -> str:
    return "aantal" if eenheid == "aantal" else "pct"


def waarde_uit_rij(row: Mapping | None, eenheid: str) -> Waarde:
    """A Waarde from one published row (None: no row, shown as '.')."""
    if row is None:
        return Waarde(None, _kind(eenheid), eenheid=eenheid)
    if bool(row["onderdrukt"]):
        return Waarde(None, _kind(eenheid), True, eenheid=eenheid)
    v = row["waarde"]
    return Waarde(None if is_missing(v) else float(v), _kind(eenheid), eenheid=eenheid)


def tekst(s: str | None) -> Waarde:
    return Waarde(None, "pct", eenheid="tekst", tekst=s)


def fmt_waarde(value, eenheid: str) -> str:
    return Waarde(None if is_missing(value) else float(value), _kind(eenheid), eenheid=eenheid).display()


# --- Periods ------------------------------------------------------------------------------------

def periode_is_lopend(periode: str, peildatum: dt.date | None) -> bool:
    """True when the periode had not ended on the peildatum."""
    if peildatum is None:
        return False
    y = int(periode[:4])
    if len(periode) == 4:
        einde = dt.date(y, 12, 31)
    else:
        q = int(periode[6])
        einde = (dt.date(y, 3 * q + 1, 1) - dt.timedelta(days=1)) if q < 4 else dt.date(y, 12, 31)
    return peildatum < einde


def periode_tekst(periode: str, peildatum: dt.date | None = None, lang: bool = False) -> str:
    """'2025', '2025 K3' (or '3e kwartaal 2025'), with ' (lopend)' when not complete on the peildatum."""
    s = fg.fmt_periode(periode, lang=lang)
    return f"{s} (lopend)" if periode_is_lopend(periode, peildatum) else s


def reeks_periodes(alle: Sequence[str], filters: Filters, soort: str = "filter") -> list[str]:
    """The x-axis of a trend: periodes of the chosen kind (or years for soort='jaar') up to the chosen
    periode (a quarter's year for years)."""
    if filters.periode is None:
        return []
    jaar = soort == "jaar" or not filters.is_kwartaal
    tot = filters.periode[:4] if jaar else filters.periode
    return sorted(p for p in set(alle) if (len(p) == 4) == jaar and p <= tot)


# --- Data ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemaData:
    """Everything a thematic page reads for one gemeente (published rows only)."""

    filters: Filters
    gemeente_naam: str
    gemeenten: pd.DataFrame
    periodes: list[str]
    peildatum: dt.date | None
    rows: pd.DataFrame
    definities: dict[str, dict]
    doelen: pd.DataFrame
    kenmerk_actief: bool = False   # rows are split by the characteristic in filters.kenmerk (years only)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def uitgesplitst(self, indicatoren: Sequence[str]) -> bool:
        """False when a characteristic is chosen and none of these indicators is split by it."""
        return not self.kenmerk_actief or any(i in GESPLITST for i in indicatoren)

    def rij(self, indicator: str, periode: str, doelgroep: str, categorie: str | None = None) -> dict | None:
        """The published row, or None."""
        return self._index.get((indicator, periode, doelgroep, categorie or ""))

    def waarde(self, indicator: str, periode: str | None, doelgroep: str, categorie: str | None = None,
               eenheid: str = "pct") -> Waarde:
        if periode is None:
            return Waarde(None, _kind(eenheid), eenheid=eenheid)
        return waarde_uit_rij(self.rij(indicator, periode, doelgroep, categorie), eenheid)

    def indicator_periodes(self, indicatoren: Sequence[str]) -> list[str]:
        if not len(self.rows):
            return []
        return sorted(self.rows.loc[self.rows["indicator"].isin(list(indicatoren)), "periode"].unique().tolist())


def _make_index(rows: pd.DataFrame) -> dict:
    out = {}
    for r in rows.to_dict("records"):
        cat = r.get("categorie")
        out[(r["indicator"], r["periode"], r["doelgroep"], "" if is_missing(cat) else str(cat))] = r
    return out


def publicatie_rijen(gemeente: str, indicatoren: Sequence[str], path=None,
                     kenmerk: tuple[str, str] | None = None) -> pd.DataFrame:
    """All published (suppressed) rows of the indicators for the gemeente; with `kenmerk` (e.g.
    ('geslacht', 'vrouw')) the rows for that characteristic value (years only, split indicators only)."""
    marks = ", ".join("?" for _ in indicatoren)
    if kenmerk:
        return warehouse.query(
            "SELECT indicator, gemeente_code, periode, doelgroep, categorie, teller, noemer, waarde, onderdrukt, "
            "ci_onder, ci_boven, NULL::BIGINT AS inwoners FROM mart_indicatoren_kenmerken_publicatie "
            f"WHERE gemeente_code = ? AND kenmerk = ? AND kenmerk_waarde = ? AND indicator IN ({marks}) "
            "ORDER BY indicator, periode, doelgroep, categorie",
            [gemeente, *kenmerk, *indicatoren],
            path=path,
        )
    return warehouse.query(
        "SELECT indicator, gemeente_code, periode, doelgroep, categorie, teller, noemer, waarde, onderdrukt, "
        f"ci_onder, ci_boven, inwoners FROM mart_indicatoren_publicatie "
        f"WHERE gemeente_code = ? AND indicator IN ({marks}) ORDER BY indicator, periode, doelgroep, categorie",
        [gemeente, *indicatoren],
        path=path,
    )


def definities(indicatoren: Sequence[str], path=None) -> dict[str, dict]:
    """Title, definition, unit and convention per indicator from mart_indicator_definities."""
    marks = ", ".join("?" for _ in indicatoren)
    df = warehouse.query(
        f"SELECT id, titel, definitie, eenheid, soort, conventie FROM mart_indicator_definities WHERE id IN ({marks})",
        list(indicatoren),
        path=path,
    )
    return {r["id"]: r for r in df.to_dict("records")}


def beleidsdoelen(gemeente: str, indicatoren: Sequence[str], path=None) -> pd.DataFrame:
    """The gemeente's own goals on these indicators (mart_beleidsdoelen), one row per goal × periode."""
    marks = ", ".join("?" for _ in indicatoren)
    return warehouse.query(
        "SELECT gemeente_code, doel_id, titel, indicator, doelgroep, categorie, periode, streefwaarde, richting, "
        "marge, status, toelichting, bron, streefwaarde_herkomst FROM mart_beleidsdoelen "
        f"WHERE gemeente_code = ? AND indicator IN ({marks}) ORDER BY doel_id, periode",
        [gemeente, *indicatoren],
        path=path,
    )


def laad_data(indicatoren: Sequence[str], query: Mapping, path=None, kenmerken: bool = False) -> ThemaData | None:
    """Parse the URL filters and read everything a page shows; None when nothing is published.

    With `kenmerken` (the page supports the split) and a geslacht or leeftijd in the URL, the rows are
    those of that characteristic value: years only, so a chosen quarter becomes its year."""
    gemeenten = controls.gemeenten_frame(path)
    filters = controls.parse_filters(query, gemeenten["gemeente_code"].tolist())
    if filters.gemeente is None:
        return None
    actief = bool(kenmerken and filters.kenmerk)
    rows = publicatie_rijen(filters.gemeente, indicatoren, path, filters.kenmerk if actief else None)
    periodes = sorted(rows["periode"].dropna().unique().tolist()) if len(rows) else []
    peil = peildatum(filters.gemeente, path)
    if actief and filters.is_kwartaal:
        query = {**query, "periode": filters.jaar}
    filters = controls.met_periode(controls.parse_filters(query, gemeenten["gemeente_code"].tolist(), periodes),
                                   periodes, standaard=laatste_volledige_jaar(peil))
    naam = gemeenten.loc[gemeenten["gemeente_code"] == filters.gemeente, "gemeente_naam"].iloc[0]
    return ThemaData(
        filters=filters,
        gemeente_naam=str(naam),
        gemeenten=gemeenten,
        periodes=periodes,
        peildatum=peil,
        rows=rows,
        definities=definities(indicatoren, path),
        doelen=beleidsdoelen(filters.gemeente, indicatoren, path),
        kenmerk_actief=actief,
        _index=_make_index(rows),
    )


# --- Chart specs ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reeks:
    """One series: an indicator (and categorie) for a doelgroep (None: the chosen doelgroep)."""

    indicator: str
    label: str
    categorie: str | None = None
    doelgroep: str | None = None
    kleur: str | None = None


@dataclass(frozen=True)
class Referentie:
    """A horizontal reference line (a legal term, a gemeente's goal)."""

    waarde: float
    label: str


@dataclass(frozen=True)
class Grafiek:
    """A trend over periodes: lines, grouped bars or stacked bars."""

    key: str
    titel: str
    reeksen: tuple[Reeks, ...]
    eenheid: str  # aantal | pct | dagen | per1000
    y_titel: str
    soort: str = "lijn"  # lijn | staaf | stapel
    periode_soort: str = "filter"  # filter | jaar
    indicatoren: tuple[str, ...] = ()  # whose definitions are shown (default: those of the series)
    referenties: tuple[Referentie, ...] = ()
    noot: str | None = None
    interval: bool = True  # show the 95 % interval of a single share series

    @property
    def definitie_ids(self) -> tuple[str, ...]:
        return self.indicatoren or tuple(dict.fromkeys(r.indicator for r in self.reeksen))


@dataclass(frozen=True)
class VasteReeks:
    """A series of fixed values per categorie (an expectation), not from the data."""

    label: str
    waarden: Mapping[str, float | None]
    kleur: str | None = None
    bron: str = ""
    marge: Mapping[str, float | None] | None = None


@dataclass(frozen=True)
class Vergelijking:
    """Bars over categories (exam parts, leerroutes) in the chosen periode."""

    key: str
    titel: str
    categorieen: tuple[tuple[str, str], ...]  # (categorie, label)
    reeksen: tuple[Reeks | VasteReeks, ...]
    eenheid: str = "pct"
    y_titel: str = "Aandeel"
    indicatoren: tuple[str, ...] = ()
    noot: str | None = None

    @property
    def definitie_ids(self) -> tuple[str, ...]:
        return self.indicatoren or tuple(dict.fromkeys(r.indicator for r in self.reeksen if isinstance(r, Reeks)))


def _doelgroep(reeks: Reeks, filters: Filters) -> str:
    return reeks.doelgroep or filters.doelgroep


def doelgroep_reeksen(indicator: str, filters: Filters, categorie: str | None = None,
                      doelgroepen: Sequence[str] = fg.DOELGROEPEN) -> tuple[Reeks, ...]:
    """One series per doelgroep when 'alle' is chosen, else only the chosen doelgroep."""
    if filters.doelgroep == "alle":
        return tuple(Reeks(indicator, fg.DOELGROEP_LABELS[d], categorie, d, DOELGROEP_KLEUR[d]) for d in doelgroepen)
    d = filters.doelgroep
    return (Reeks(indicator, fg.DOELGROEP_LABELS[d], categorie, d, DOELGROEP_KLEUR[d]),)


# --- Table views --------------------------------------------------------------------------------

def _caption(titel: str, data: ThemaData, extra: str = "") -> str:
    dg = fg.DOELGROEP_LABELS[data.filters.doelgroep].lower()
    if data.kenmerk_actief:
        dg += f", {data.filters.kenmerk_label.lower()}"
    return f"{titel}, {data.gemeente_naam}" + (f", {extra}" if extra else f" ({dg})")


def grafiek_periodes(g: Grafiek, data: ThemaData) -> list[str]:
    """The periodes on the x-axis of a trend chart."""
    return reeks_periodes(data.indicator_periodes(tuple(r.indicator for r in g.reeksen)), data.filters, g.periode_soort)


def grafiek_table(g: Grafiek, data: ThemaData) -> fg.TableView:
    """What a trend chart shows: a row per periode, a column per series; a single share series also
    shows its 95 % interval and its population (noemer)."""
    periodes = grafiek_periodes(g, data)
    enkel = len(g.reeksen) == 1 and g.eenheid == "pct" and g.interval
    columns = ["Periode", *(r.label for r in g.reeksen)]
    if enkel:
        columns += ["95%-interval", "Aantal (noemer)"]
    body = []
    for p in periodes:
        cells = []
        for r in g.reeksen:
            cells.append(data.waarde(r.indicator, p, _doelgroep(r, data.filters), r.categorie, g.eenheid))
        if enkel:
            r = g.reeksen[0]
            row = data.rij(r.indicator, p, _doelgroep(r, data.filters), r.categorie)
            if row is None:
                cells += [tekst(None), Waarde(None, "aantal", eenheid="aantal")]
            elif bool(row["onderdrukt"]):
                cells += [Waarde(None, "pct", True, eenheid="tekst"),
                          Waarde(None, "aantal", True, f"<{fg.MIN_NOEMER}", eenheid="aantal")]
            else:
                cells += [tekst(fmt_interval(row["ci_onder"], row["ci_boven"])),
                          Waarde(None if is_missing(row["noemer"]) else float(row["noemer"]), "aantal", eenheid="aantal")]
        body.append((periode_tekst(p, data.peildatum), tuple(cells)))
    extra = "" if len({_doelgroep(r, data.filters) for r in g.reeksen}) == 1 and g.reeksen[0].doelgroep is None \
        else "per doelgroep" if all(r.doelgroep for r in g.reeksen) and len(g.reeksen) > 1 else ""
    notes = []
    if any(periode_is_lopend(p, data.peildatum) for p in periodes):
        notes.append(f"(lopend) = tot en met de peildatum {fg.fmt_datum(data.peildatum)}.")
    for ref in g.referenties:
        notes.append(f"Referentielijn: {ref.label}.")
    return fg.TableView(_caption(g.titel, data, extra), tuple(columns), tuple(body), tuple(notes))


def vergelijking_table(v: Vergelijking, data: ThemaData) -> fg.TableView:
    """What a comparison chart shows: a row per categorie, a column per series (+ interval, noemer of
    the first data series)."""
    p = data.filters.periode
    data_reeksen = [r for r in v.reeksen if isinstance(r, Reeks)]
    columns = ["Onderdeel" if v.key.startswith("examen") else "Categorie", *(r.label for r in v.reeksen)]
    eerste = data_reeksen[0] if data_reeksen else None
    if eerste is not None and v.eenheid == "pct":
        columns += [f"95%-interval ({eerste.label.lower()})", f"Aantal (noemer, {eerste.label.lower()})"]
    body = []
    for cat, label in v.categorieen:
        cells = []
        for r in v.reeksen:
            if isinstance(r, Reeks):
                cells.append(data.waarde(r.indicator, p, _doelgroep(r, data.filters), cat, v.eenheid))
            else:
                w = r.waarden.get(cat)
                m = (r.marge or {}).get(cat)
                if w is not None and m:
                    cells.append(tekst(f"{fmt_getal(w, 0)} % ± {fmt_getal(m, 0)}"))
                else:
                    cells.append(Waarde(w, "pct", eenheid="pct"))
        if eerste is not None and v.eenheid == "pct":
            row = data.rij(eerste.indicator, p, _doelgroep(eerste, data.filters), cat) if p else None
            if row is None:
                cells += [tekst(None), Waarde(None, "aantal", eenheid="aantal")]
            elif bool(row["onderdrukt"]):
                cells += [Waarde(None, "pct", True, eenheid="tekst"),
                          Waarde(None, "aantal", True, f"<{fg.MIN_NOEMER}", eenheid="aantal")]
            else:
                cells += [tekst(fmt_interval(row["ci_onder"], row["ci_boven"])),
                          Waarde(float(row["noemer"]), "aantal", eenheid="aantal")]
        body.append((label, tuple(cells)))
    notes = [f"{r.label}: {r.bron}" for r in v.reeksen if isinstance(r, VasteReeks) and r.bron]
    if p and periode_is_lopend(p, data.peildatum):
        notes.append(f"{fg.fmt_periode(p)} loopt nog: tot en met de peildatum {fg.fmt_datum(data.peildatum)}.")
    ptxt = periode_tekst(p, data.peildatum, lang=True) if p else "geen periode"
    caption = f"{v.titel}, {data.gemeente_naam}, {ptxt} ({fg.DOELGROEP_LABELS[data.filters.doelgroep].lower()})"
    return fg.TableView(caption, tuple(columns), tuple(body), tuple(notes))


# --- Figures ------------------------------------------------------------------------------------

def _x_as(periodes: list[str], peildatum) -> tuple[list, list[str], dict | None]:
    """x values, hover labels and (for quarters) the tick layout.

    Quarters are placed at 0..n-1 with ticks 'K1<br>2022', 'K2', ...: readable without rotation, and
    lines are drawn in time order (a two-level category axis reorders categories when a series has gaps)."""
    labels = [periode_tekst(p, peildatum) for p in periodes]
    if periodes and all(len(p) == 7 for p in periodes):
        ticks = []
        for i, p in enumerate(periodes):
            t = f"K{p[6]}" + ("*" if periode_is_lopend(p, peildatum) else "")
            ticks.append(f"{t}<br>{p[:4]}" if i == 0 or p[6] == "1" else t)
        return list(range(len(periodes))), labels, dict(tickmode="array", tickvals=list(range(len(periodes))),
                                                        ticktext=ticks, type="linear", tickangle=0)
    return [periode_tekst(p, peildatum) for p in periodes], labels, None


def _y_axis(eenheid: str, y_titel: str, ymax: float | None = None) -> dict:
    """House layout with the y axis of the unit: 0–105 % for shares, else 15 % headroom above ymax."""
    layout = fg.huisstijl(y_titel)
    if eenheid == "pct":
        layout["yaxis"].update(range=[0, 105], ticksuffix=" %", dtick=20)
    elif ymax is not None and ymax > 0:
        layout["yaxis"].update(range=[0, ymax * 1.15])
    return layout


def grafiek_figure(g: Grafiek, data: ThemaData) -> go.Figure:
    """The trend chart; suppressed points are left out and marked, never drawn as zero."""
    if not data.uitgesplitst(g.definitie_ids):
        return fg.empty_figure(NIET_UITGESPLITST)
    periodes = grafiek_periodes(g, data)
    if not periodes:
        return fg.empty_figure("Geen gegevens voor deze keuze.")
    x, labels, multi = _x_as(periodes, data.peildatum)
    traces: list[dict | None] = []
    hidden: list[list[str]] = [[] for _ in periodes]
    stack = [0.0] * len(periodes)
    ymax = 0.0
    enkel = len(g.reeksen) == 1 and g.eenheid == "pct" and g.interval
    for i, r in enumerate(g.reeksen):
        kleur = r.kleur or KLEUREN[i % len(KLEUREN)]
        ys, txt, lo, hi = [], [], [], []
        for k, p in enumerate(periodes):
            row = data.rij(r.indicator, p, _doelgroep(r, data.filters), r.categorie)
            cell = waarde_uit_rij(row, g.eenheid)
            if cell.onderdrukt:
                hidden[k].append(r.label)
            ys.append(cell.value)
            extra = ""
            if row is not None and not cell.onderdrukt and g.eenheid == "pct" and not is_missing(row["noemer"]):
                extra = f" (van {fg.fmt_aantal(row['noemer'])}; 95%-interval {fmt_interval(row['ci_onder'], row['ci_boven'])})"
            txt.append(f"{labels[k]}: {cell.display()}{extra}")
            lo.append(None if row is None or cell.value is None or is_missing(row["ci_onder"]) else cell.value - row["ci_onder"])
            hi.append(None if row is None or cell.value is None or is_missing(row["ci_boven"]) else row["ci_boven"] - cell.value)
            if cell.value is not None:
                stack[k] += cell.value if g.soort == "stapel" else 0.0
                ymax = max(ymax, stack[k] if g.soort == "stapel" else cell.value)
        hover = f"{r.label}<br>%{{customdata}}<extra></extra>"
        if g.soort == "lijn":
            trace = dict(
                type="scatter", name=r.label, x=x, y=ys, mode="lines+markers", customdata=txt, hovertemplate=hover,
                line=dict(color=kleur, width=2.5, dash=STREEPJES[i % len(STREEPJES)]),
                marker=dict(size=8, symbol=SYMBOLEN[i % len(SYMBOLEN)], color=kleur), connectgaps=False,
            )
            if enkel:
                trace["error_y"] = dict(type="data", array=[v if v is not None else 0 for v in hi],
                                        arrayminus=[v if v is not None else 0 for v in lo], visible=True,
                                        color=kleur, thickness=1.2, width=4)
        else:
            trace = dict(type="bar", name=r.label, x=x, y=ys, customdata=txt, hovertemplate=hover,
                         marker=dict(color=kleur, line=dict(color="#ffffff", width=1)))
        traces.append(trace)
    marker = fg.ONDERDRUKT_AANTAL if g.eenheid == "aantal" else (
        fg.ONDERDRUKT_AANDEEL if len(periodes) > 6 else f"{fg.ONDERDRUKT_AANDEEL} onderdrukt")
    base = stack if g.soort == "stapel" else [0.0] * len(periodes)
    traces.append(fg.suppressed_markers(x, base, hidden, marker, labels))
    layouts = [fg.referentielijn(ref.waarde, ref.label) for ref in g.referenties]
    ymax = max([ymax, *(ref.waarde for ref in g.referenties)])
    if g.soort == "stapel":
        layouts.append(dict(barmode="stack", bargap=0.25))
    elif g.soort == "staaf":
        layouts.append(dict(barmode="group", bargap=0.2, bargroupgap=0.05))
    if multi:
        layouts.append(dict(xaxis=dict(**multi, tickfont=dict(size=12), range=[-0.6, len(periodes) - 0.4],
                                       showgrid=False)))
    layouts.append(dict(showlegend=len(g.reeksen) > 1 or g.soort != "lijn"))
    return fg.figuur(traces, _y_axis(g.eenheid, g.y_titel, ymax), *layouts)


def vergelijking_figure(v: Vergelijking, data: ThemaData) -> go.Figure:
    """Grouped bars per categorie; expectations as outlined bars (pattern), so they differ from data
    bars without relying on colour."""
    p = data.filters.periode
    if not data.uitgesplitst(v.definitie_ids):
        return fg.empty_figure(NIET_UITGESPLITST)
    if p is None:
        return fg.empty_figure("Geen gegevens voor deze keuze.")
    labels = [label for _, label in v.categorieen]
    traces: list[dict | None] = []
    hidden: list[list[str]] = [[] for _ in v.categorieen]
    any_data = False
    for i, r in enumerate(v.reeksen):
        kleur = r.kleur or KLEUREN[i % len(KLEUREN)]
        ys, txt, lo, hi = [], [], [], []
        for k, (cat, label) in enumerate(v.categorieen):
            if isinstance(r, Reeks):
                row = data.rij(r.indicator, p, _doelgroep(r, data.filters), cat)
                cell = waarde_uit_rij(row, v.eenheid)
                if cell.onderdrukt:
                    hidden[k].append(r.label)
                if cell.value is not None:
                    any_data = True
                extra = ""
                if row is not None and not cell.onderdrukt and not is_missing(row["noemer"]):
                    extra = f" (van {fg.fmt_aantal(row['noemer'])}; 95%-interval {fmt_interval(row['ci_onder'], row['ci_boven'])})"
                ys.append(cell.value)
                txt.append(f"{label}: {cell.display()}{extra}")
                lo.append(0 if row is None or cell.value is None or is_missing(row["ci_onder"]) else cell.value - row["ci_onder"])
                hi.append(0 if row is None or cell.value is None or is_missing(row["ci_boven"]) else row["ci_boven"] - cell.value)
            else:
                w = r.waarden.get(cat)
                ys.append(w)
                txt.append(f"{label}: {fmt_waarde(w, v.eenheid)}")
        hover = f"{r.label}<br>%{{customdata}}<extra></extra>"
        if isinstance(r, Reeks):
            traces.append(dict(type="bar", name=r.label, x=labels, y=ys, marker=dict(color=kleur), customdata=txt,
                               hovertemplate=hover,
                               error_y=dict(type="data", array=hi, arrayminus=lo, visible=True, color=fg.TEXT_COLOUR,
                                            thickness=1.2, width=4)))
        else:
            traces.append(dict(type="bar", name=r.label, x=labels, y=ys, customdata=txt, hovertemplate=hover,
                               marker=dict(color="#ffffff", line=dict(color=kleur, width=2),
                                           pattern=dict(shape="/" if i % 2 else "x", fgcolor=kleur, size=7,
                                                        solidity=0.25))))
    if not any_data and not any(hidden):
        return fg.empty_figure(f"Geen gegevens voor {periode_tekst(p, data.peildatum, lang=True)}.")
    traces.append(fg.suppressed_markers(labels, [0.0] * len(labels), hidden, f"{fg.ONDERDRUKT_AANDEEL} onderdrukt",
                                        labels))
    return fg.figuur(traces, _y_axis(v.eenheid, v.y_titel), dict(barmode="group", bargap=0.25, bargroupgap=0.05))


# --- Key figures --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kerncijfer:
    """A key figure in the chosen periode: an indicator for the chosen doelgroep (or a fixed one)."""

    label: str
    indicator: str
    eenheid: str
    categorie: str | None = None
    doelgroep: str | None = None
    toelichting: str = ""
    jaar: bool = False  # the indicator exists per year only: use the year of the chosen periode


def kerncijfer_blok(k: Kerncijfer, data: ThemaData) -> html.Div:
    f = data.filters
    dg = k.doelgroep or f.doelgroep
    periode = f.jaar if k.jaar else f.periode
    row = data.rij(k.indicator, periode, dg, k.categorie) if periode else None
    cell = waarde_uit_rij(row, k.eenheid)
    if cell.onderdrukt:
        sub = fg.ONDERDRUKT_NOOT
    elif row is None:
        sub = "geen gegevens voor deze periode en doelgroep"
    elif k.eenheid == "pct" and not is_missing(row["noemer"]):
        sub = (f"van {fg.fmt_aantal(row['noemer'])} {k.toelichting or 'personen'}; "
               f"95%-interval {fmt_interval(row['ci_onder'], row['ci_boven'])}")
    elif k.eenheid == "dagen" and not is_missing(row["noemer"]):
        sub = f"mediaan over {fg.fmt_aantal(row['noemer'])} {k.toelichting or 'personen'}"
    elif k.eenheid == "per1000" and not is_missing(row.get("inwoners")):
        sub = f"per 1.000 van {fg.fmt_aantal(row['inwoners'])} inwoners (CBS)"
    else:
        sub = k.toelichting
    dg_txt = "" if dg == f.doelgroep else f" ({fg.DOELGROEP_LABELS[dg].lower()})"
    return html.Div(
        className="col-12 col-sm-6 col-xl-3",
        children=html.Div(className="kerncijfer h-100", children=[
            html.P(f"{k.label}{dg_txt}", className="kerncijfer__label"),
            html.P(cell.display(), id=f"kc-{k.indicator}" + (f"-{k.categorie}" if k.categorie else ""),
                   className="kerncijfer__waarde"),
            html.P(sub, className="kerncijfer__toelichting"),
        ]),
    )


# --- Layout -------------------------------------------------------------------------------------

def definitie_tekst(ids: Sequence[str], data: ThemaData) -> list:
    out = []
    for i in ids:
        d = data.definities.get(i)
        if not d:
            continue
        conv = f" Conventie: {d['conventie']}." if d.get("conventie") else ""
        out.append(html.Span([html.Strong(f"{d['titel']}. "), f"{d['definitie']}{conv} "]))
    return out


def _download_knoppen(pagina: str, key: str) -> html.Div:
    knoppen = []
    for formaat, label in (("csv", "Download tabel (CSV)"), ("xlsx", "Download tabel (Excel)")):
        ident = {"pagina": pagina, "tabel": key, "formaat": formaat}
        knoppen += [
            html.Button(label, id={"type": "thema-knop", **ident}, type="button",
                        className="btn btn-outline-primary btn-sm me-2"),
            dcc.Download(id={"type": "thema-download", **ident}),
        ]
    return html.Div(className="download-rij", children=knoppen)


def grafiek_blok(pagina: str, spec: Grafiek | Vergelijking, data: ThemaData, breed: bool = False) -> html.Div:
    """A chart block: heading, chart, suppression note, definition, table and CSV/Excel downloads."""
    if isinstance(spec, Grafiek):
        fig, view = grafiek_figure(spec, data), grafiek_table(spec, data)
    else:
        fig, view = vergelijking_figure(spec, data), vergelijking_table(spec, data)
    notes = []
    if view.has_suppressed:
        markers = sorted({c.suppressed_marker for _, cells in view.rows for c in cells if c.onderdrukt})
        notes.append(html.P(f"{' en '.join(markers)} = {fg.ONDERDRUKT_NOOT}. Een onderdrukt cijfer is geen nul.",
                            className="grafiek-noot"))
    if isinstance(spec, Grafiek) and any(len(p) == 7 and periode_is_lopend(p, data.peildatum)
                                         for p in grafiek_periodes(spec, data)):
        notes.append(html.P("* = kwartaal loopt nog (tot en met de peildatum).", className="grafiek-noot"))
    if spec.noot:
        notes.append(html.P(spec.noot, className="grafiek-noot"))
    return html.Div(
        className="col-12" if breed else "col-12 col-xxl-6",
        children=html.Section(
            className="grafiek-blok",
            **{"aria-labelledby": f"{spec.key}-titel"},
            children=[
                html.H2(spec.titel, id=f"{spec.key}-titel"),
                html.Figure(className="grafiek", children=[
                    dcc.Graph(id=f"grafiek-{spec.key}", figure=fig, config=fg.GRAPH_CONFIG),
                    html.Figcaption(f"{spec.titel}. De cijfers van deze grafiek staan in de tabel eronder.",
                                    className="visually-hidden"),
                ]),
                *notes,
                html.P([html.Strong("Definitie. "), *definitie_tekst(spec.definitie_ids, data)], className="definitie"),
                html.Details(className="tabel-blok", children=[
                    html.Summary("Tabel met de cijfers van deze grafiek"),
                    layouts.table(view, f"tabel-{spec.key}"),
                ]),
                _download_knoppen(pagina, spec.key),
            ],
        ),
    )


def kenmerk_melding(data: ThemaData):
    """What a chosen geslacht or leeftijd means for this page (None without one)."""
    f = data.filters
    if not data.kenmerk_actief:
        return None
    return html.P(
        className="kenmerk-melding alert alert-info", role="status",
        children=[html.Strong(f"Alleen: {f.kenmerk_label.lower()}. "),
                  "De uitsplitsing naar geslacht en leeftijd bestaat per jaar (per kwartaal zijn de aantallen te "
                  "klein om te publiceren) en voor de cijfers over personen; leeftijd is die bij de start van de "
                  "inburgeringsplicht, berekend uit het geboortejaar."],
    )


def tekst_blok(titel: str, alineas: Sequence, key: str) -> html.Div:
    return html.Div(className="col-12", children=html.Section(
        className="grafiek-blok", **{"aria-labelledby": f"{key}-titel"},
        children=[html.H2(titel, id=f"{key}-titel"), *[html.P(a) for a in alineas]],
    ))


@dataclass(frozen=True)
class PaginaSpec:
    """A thematic page: its path, menu name, question, indicators, key figures, charts and texts."""

    key: str
    path: str
    naam: str
    vraag: Callable[[str], str]
    intro: str
    indicatoren: tuple[str, ...]
    kerncijfers: Callable[[Filters, ThemaData], list[Kerncijfer]]
    grafieken: Callable[[Filters, ThemaData], list]
    teksten: Callable[[Filters, ThemaData], list] = lambda f, d: []
    kenmerken: bool = False   # offers the geslacht and leeftijd choice (its indicators are split by them)

    def title(self) -> str:
        return f"{self.naam} – {layouts.APP_TITLE}"


def specs_voor(pagina: PaginaSpec, data: ThemaData) -> dict[str, Grafiek | Vergelijking]:
    """The charts of a page by key (also used by the downloads)."""
    out = {}
    for item in pagina.grafieken(data.filters, data):
        spec = item[0] if isinstance(item, tuple) else item
        out[spec.key] = spec
    return out


def table_views(pagina: PaginaSpec, data: ThemaData) -> dict[str, fg.TableView]:
    """The table behind each chart of a page, by key (the download content)."""
    return {k: grafiek_table(s, data) if isinstance(s, Grafiek) else vergelijking_table(s, data)
            for k, s in specs_voor(pagina, data).items()}


def pagina_layout(key: str, query: Mapping, path=None):
    """The page `key` for the URL query (gemeente, periode, doelgroep)."""
    pagina = PAGINAS[key]
    try:
        data = laad_data(pagina.indicatoren, query, path, pagina.kenmerken)
    except warehouse.WarehouseUnavailable:
        return layouts.melding_onbeschikbaar()
    if data is None:
        return layouts.melding_geen_gegevens()
    f = data.filters
    hints = {}
    if f.doelgroep in ("gezin", "overig") and any(i in ALLEEN_ASIEL for i in pagina.indicatoren):
        hints["doelgroep"] = "Sommige cijfers op deze pagina bestaan alleen voor asielstatushouders."
    if pagina.kenmerken:
        hints["geslacht"] = hints["leeftijd"] = "per jaar; geslacht óf leeftijd"
    items = pagina.grafieken(f, data)
    blokken = []
    for item in items:
        if isinstance(item, tuple):
            blokken.append(grafiek_blok(key, item[0], data, breed=item[1]))
        else:
            blokken.append(grafiek_blok(key, item, data))
    ptxt = periode_tekst(f.periode, data.peildatum, lang=True) if f.periode else "–"
    return html.Div(
        className=f"thema thema-{key}",
        children=[
            dcc.Store(id="page-meta", data={"peildatum": fg.fmt_datum(data.peildatum), "gemeente": data.gemeente_naam}),
            html.Div(className="pagina-kop", children=html.Div(className="pagina-kop__tekst", children=[
                html.H1(pagina.vraag(data.gemeente_naam)),
                html.P(f"{pagina.intro} Peildatum {fg.fmt_datum(data.peildatum)}.", className="pagina-kop__intro"),
            ])),
            controls.filter_bar(f, data.gemeenten, data.periodes, hints=hints,
                                show=controls.ALLE_PARAMS if pagina.kenmerken else controls.PARAMS),
            kenmerk_melding(data),
            html.Section(className="kerncijfers", **{"aria-labelledby": "kerncijfers-titel"}, children=[
                html.H2(f"Kerncijfers {ptxt}, {fg.DOELGROEP_LABELS[f.doelgroep].lower()}"
                        + (f", {f.kenmerk_label.lower()}" if data.kenmerk_actief else ""), id="kerncijfers-titel",
                        className="h5 mb-3"),
                html.Div(className="row g-3", children=[kerncijfer_blok(k, data) for k in pagina.kerncijfers(f, data)
                                                        if data.uitgesplitst((k.indicator,))]),
            ]),
            html.Div(className="row g-4", children=blokken + list(pagina.teksten(f, data))),
        ],
    )


def download_inhoud(pagina_key: str, tabel: str, formaat: str, search: str | None, path=None):
    """The dcc.Download payload of one table for the filters in the URL search string."""
    pagina = PAGINAS[pagina_key]
    query = controls.query_uit_url(search)
    data = laad_data(pagina.indicatoren, query, path, pagina.kenmerken)
    if data is None:
        return None
    views = table_views(pagina, data)
    if tabel not in views:
        return None
    view = views[tabel]
    naam = f"{tabel}_{data.filters.gemeente}_{data.filters.periode}_{data.filters.doelgroep}"
    if data.kenmerk_actief:
        naam += f"_{data.filters.kenmerk[1]}"
    return layouts.send_table(view, formaat, naam, bron=layouts.BRON)


def register_callbacks(app) -> None:
    """URL sync and the CSV/Excel downloads of every thematic page (idempotent per app)."""
    controls.register_url_sync(app)
    if getattr(app, "_thema_downloads", False):
        return
    app._thema_downloads = True

    @app.callback(
        Output({"type": "thema-download", "pagina": MATCH, "tabel": MATCH, "formaat": MATCH}, "data"),
        Input({"type": "thema-knop", "pagina": MATCH, "tabel": MATCH, "formaat": MATCH}, "n_clicks"),
        State(controls.LOCATION_ID, "search"),
        prevent_initial_call=True,
    )
    def download(n_clicks, search):
        if not n_clicks:
            return no_update
        t = dash.ctx.triggered_id
        out = download_inhoud(t["pagina"], t["tabel"], t["formaat"], search)
        return out if out is not None else no_update


# --- The five pages -----------------------------------------------------------------------------

def _doel_referenties(data: ThemaData, indicator: str, doelgroep: str, categorie: str | None = None) -> tuple[Referentie, ...]:
    """A gemeente goal with a fixed target (minimaal/maximaal/ongeveer) as a reference line."""
    d = data.doelen
    if not len(d):
        return ()
    d = d[(d["indicator"] == indicator) & (d["doelgroep"] == doelgroep)
          & d["richting"].isin(["minimaal", "maximaal", "ongeveer"])]
    if categorie is not None:
        d = d[d["categorie"] == categorie]
    out = []
    for _, r in d.drop_duplicates("doel_id").iterrows():
        if is_missing(r["streefwaarde"]):
            continue
        out.append(Referentie(float(r["streefwaarde"]),
                              f"doel gemeente: {RICHTING_LABELS[r['richting']]} {fmt_getal(r['streefwaarde'], 0)} %"))
    return tuple(out)


# Instroom en doelgroepen

def _instroom_kc(f: Filters, d: ThemaData) -> list[Kerncijfer]:
    return [
        Kerncijfer("Instroom", "instroom", "aantal", toelichting="personen met instroomdatum in de periode"),
        Kerncijfer("Instroom per 1.000 inwoners", "instroom_per_1000_inwoners", "per1000"),
        Kerncijfer("Wachttijd op huisvesting (mediaan)", "wachttijd_huisvesting_mediaan", "dagen",
                   doelgroep="asiel" if f.doelgroep in ("gezin", "overig") else None,
                   toelichting="gehuisveste asielstatushouders"),
    ]


def _instroom_grafieken(f: Filters, d: ThemaData) -> list:
    return [
        Grafiek("instroom", "Instroom per periode naar doelgroep", doelgroep_reeksen("instroom", f),
                "aantal", "Aantal personen", soort="stapel"),
        Grafiek("instroom-per-1000", "Instroom per 1.000 inwoners",
                (Reeks("instroom_per_1000_inwoners", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[0]),),
                "per1000", "Per 1.000 inwoners", soort="lijn",
                noot="Inwoners: CBS, bevolking op 1 januari van het peiljaar in de referentiegegevens."),
        (Grafiek("wachttijd-huisvesting", "Wachttijd tussen koppeling en huisvesting (mediaan, asielstatushouders)",
                 (Reeks("wachttijd_huisvesting_mediaan", "Asielstatushouders", doelgroep="asiel", kleur=KLEUREN[0]),),
                 "dagen", "Dagen (mediaan)", soort="lijn",
                 noot=("Alleen asielstatushouders hebben een koppeling; deze grafiek toont hen altijd, welke "
                       "doelgroep ook gekozen is.")), True),
    ]


# Brede intake en PIP

def _pip_kc(f: Filters, d: ThemaData) -> list[Kerncijfer]:
    return [
        Kerncijfer("Doorlooptijd inschrijving BRP tot PIP (mediaan)", "doorlooptijd_pip_mediaan", "dagen",
                   toelichting="personen met een PIP"),
        Kerncijfer("PIP binnen 10 weken", "pip_binnen_10_weken_pct", "pct", toelichting="personen"),
        Kerncijfer(f"Brede intake gestart, cohort {f.jaar}", "brede_intake_gestart_pct", "pct",
                   toelichting="personen in het cohort", jaar=True),
        Kerncijfer("Welkomstgesprek binnen 6 weken", "welkomgesprek_binnen_6_weken_pct", "pct",
                   doelgroep="asiel" if f.doelgroep in ("gezin", "overig") else None,
                   toelichting="asielstatushouders"),
    ]


def _pip_grafieken(f: Filters, d: ThemaData) -> list:
    return [
        Grafiek("doorlooptijd-pip", "Doorlooptijd van inschrijving BRP tot PIP (mediaan)",
                (Reeks("doorlooptijd_pip_mediaan", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[0]),),
                "dagen", "Dagen (mediaan)", referenties=(Referentie(PIP_TERMIJN_DAGEN, "wettelijke termijn 10 weken (70 dagen)"),)),
        Grafiek("pip-10-weken", "Aandeel met een PIP binnen 10 weken na inschrijving BRP",
                (Reeks("pip_binnen_10_weken_pct", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[0]),),
                "pct", "Aandeel personen", referenties=_doel_referenties(d, "pip_binnen_10_weken_pct", f.doelgroep),
                noot="De verticale streepjes geven het 95%-betrouwbaarheidsinterval."),
        (Grafiek("keten-cohort", "Brede intake gestart, per cohort (jaar van de start van de plicht)",
                 doelgroep_reeksen("brede_intake_gestart_pct", f, doelgroepen=("alle", *fg.DOELGROEPEN)),
                 "pct", "Aandeel van het cohort", soort="staaf", periode_soort="jaar",
                 noot=("Zoals het CBS: het aandeel van een cohort dat de stap heeft bereikt op de peildatum "
                       "(31 december van het cohortjaar, of de peildatum van de gegevens als die eerder ligt).")), True),
    ]


def _pip_teksten(f: Filters, d: ThemaData) -> list:
    return [tekst_blok("De keten van koppeling tot PIP per cohort", [
        ("Het CBS volgt elk cohort (het jaar waarin de inburgeringsplicht begon) langs de stappen koppeling, "
         "brede intake en PIP, en meldt per stap welk deel van het cohort die stap op de peildatum had bereikt."),
        ("Deze monitor heeft voor de cohortbenadering alleen de stap ‘brede intake gestart’ als indicator "
         "(hierboven). Voor ‘gekoppeld aan de gemeente’ en ‘PIP vastgesteld’ per cohort bestaat (nog) geen "
         "indicator; de pagina rekent die niet zelf uit. De snelheid naar het PIP staat wel hierboven, per "
         "periode van inschrijving: de doorlooptijd (mediaan) en het aandeel met een PIP binnen 10 weken. "
         "Het welkomstgesprek binnen 6 weken na koppeling (asielstatushouders) staat bij de kerncijfers."),
    ], "keten-uitleg")]


# Leerroutes

def _leerroute_kc(f: Filters, d: ThemaData) -> list[Kerncijfer]:
    return [Kerncijfer(f"{fg.LEERROUTE_LABELS[c].split(' (')[0]} in het eerste PIP", "leerroute_aandeel_pct", "pct",
                       categorie=c, toelichting="personen met een eerste PIP") for c in fg.LEERROUTES] + [
        Kerncijfer("B1-route afgeschaald naar A2", "afschaling_a2_pct", "pct", toelichting="personen in de B1-route"),
    ]


def gemeente_routemix(d: ThemaData) -> tuple[dict, dict, str, str | None]:
    """The gemeente's own expected route mix from mart_beleidsdoelen: values, margins, source, doelgroep."""
    doelen = d.doelen
    if not len(doelen):
        return {}, {}, "", None
    doelen = doelen[(doelen["indicator"] == "leerroute_aandeel_pct") & doelen["streefwaarde"].notna()
                    & doelen["richting"].isin(["ongeveer", "minimaal", "maximaal"])]
    if not len(doelen):
        return {}, {}, "", None
    eerste = doelen.drop_duplicates("categorie")
    waarden = {r["categorie"]: float(r["streefwaarde"]) for _, r in eerste.iterrows()}
    marges = {r["categorie"]: (None if is_missing(r["marge"]) else float(r["marge"])) for _, r in eerste.iterrows()}
    doelgroep = eerste["doelgroep"].iloc[0]
    return waarden, marges, str(eerste["bron"].iloc[0]), doelgroep


def _leerroute_grafieken(f: Filters, d: ThemaData) -> list:
    waarden, marges, bron, doel_dg = gemeente_routemix(d)
    reeksen: list = [Reeks("leerroute_aandeel_pct", f"{d.gemeente_naam}: werkelijk", kleur=KLEUREN[0])]
    noot = None
    if waarden:
        reeksen.append(VasteReeks(f"Verwachting {d.gemeente_naam}", waarden, KLEUREN[1],
                                  f"{bron} (doelgroep: {fg.DOELGROEP_LABELS[doel_dg].lower()})", marges))
        if doel_dg != f.doelgroep:
            noot = (f"De verwachting van {d.gemeente_naam} geldt voor {fg.DOELGROEP_LABELS[doel_dg].lower()}; "
                    f"kies die doelgroep om eerlijk te vergelijken.")
    else:
        noot = f"{d.gemeente_naam} heeft geen eigen verwachte routeverdeling vastgelegd (beleidsdoelen)."
    reeksen.append(VasteReeks("Verwachting Rijk", RIJK_ROUTEMIX, KLEUREN[2], RIJK_ROUTEMIX_BRON))
    return [
        (Vergelijking("routemix", "Leerroute in het eerste PIP tegenover de verwachting",
                      tuple((c, fg.LEERROUTE_LABELS[c]) for c in fg.LEERROUTES), tuple(reeksen),
                      y_titel="Aandeel personen", indicatoren=("leerroute_aandeel_pct",),
                      noot=noot), True),
        Grafiek("routemix-trend", "Leerroute in het eerste PIP per periode",
                tuple(Reeks("leerroute_aandeel_pct", fg.LEERROUTE_LABELS[c], c, kleur=fg.LEERROUTE_KLEUREN[c])
                      for c in fg.LEERROUTES),
                "pct", "Aandeel personen", soort="staaf"),
        Grafiek("schakelingen", "Wisselingen van leerroute, naar de nieuwe route",
                tuple(Reeks("leerroute_schakelingen", fg.LEERROUTE_LABELS[c], c, kleur=fg.LEERROUTE_KLEUREN[c])
                      for c in fg.LEERROUTES),
                "aantal", "Aantal personen", soort="stapel"),
        Grafiek("afschaling-a2", "B1-route afgeschaald naar A2",
                (Reeks("afschaling_a2_pct", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[0]),),
                "pct", "Aandeel personen",
                noot="Stand op de peildatum: een afschaling die later volgt, telt pas mee na een nieuwe levering."),
    ]


# Voortgang en examens

def _examen_kc(f: Filters, d: ThemaData) -> list[Kerncijfer]:
    return [
        Kerncijfer("Geslaagd, alle examenonderdelen", "examen_geslaagd_pct", "pct", categorie="alle",
                   toelichting="examens"),
        Kerncijfer("Geslaagd bij de eerste poging", "examen_eerste_poging_pct", "pct", categorie="alle",
                   toelichting="eerste pogingen"),
        Kerncijfer("Voldaan binnen de termijn", "voldaan_binnen_termijn_pct", "pct",
                   toelichting="personen van wie de termijn afliep"),
        Kerncijfer("Termijn verstreken, niet voldaan", "termijn_verstreken_pct", "pct",
                   toelichting="personen met een verstreken termijn"),
    ]


def _examen_grafieken(f: Filters, d: ThemaData) -> list:
    return [
        Vergelijking("examens", "Geslaagd per examenonderdeel",
                     ONDERDELEN,
                     (Reeks("examen_geslaagd_pct", "Alle pogingen", kleur=KLEUREN[0]),
                      Reeks("examen_eerste_poging_pct", "Eerste poging", kleur=KLEUREN[1])),
                     y_titel="Aandeel geslaagde examens",
                     noot="De verticale streepjes geven het 95%-betrouwbaarheidsinterval."),
        Grafiek("diploma-b1", "B1-diploma 12, 24 en 36 maanden na het PIP (B1-route)",
                tuple(Reeks("diploma_b1_pct", f"Binnen {m} maanden", m, kleur=KLEUREN[i]) for i, m in
                      enumerate(("12", "24", "36"))),
                "pct", "Aandeel personen"),
        Grafiek("voldaan-termijn", "Inburgeringsplicht voldaan binnen de termijn van 3 jaar",
                (Reeks("voldaan_binnen_termijn_pct", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[0]),),
                "pct", "Aandeel personen",
                referenties=_doel_referenties(d, "voldaan_binnen_termijn_pct", f.doelgroep)),
        Grafiek("termijn-verstreken", "Termijn verstreken zonder voldaan of ontheffing",
                (Reeks("termijn_verstreken_pct", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[1]),),
                "pct", "Aandeel personen",
                noot="Een standcijfer: wie op het einde van de periode over de termijn heen is. Lager is beter."),
        Grafiek("voortgangsgesprekken", "Ten minste 2 voortgangsgesprekken in het eerste jaar na het PIP",
                (Reeks("voortgangsgesprekken_norm_pct", fg.DOELGROEP_LABELS[f.doelgroep], kleur=KLEUREN[0]),),
                "pct", "Aandeel personen",
                referenties=_doel_referenties(d, "voortgangsgesprekken_norm_pct", f.doelgroep)),
    ]


# Participatie

def _participatie_kc(f: Filters, d: ThemaData) -> list[Kerncijfer]:
    return [
        Kerncijfer("Deelname aan een activiteit", "activiteit_deelname_pct", "pct", toelichting="inburgeraars"),
        Kerncijfer("Duaal: werken en leren tegelijk", "duaal_pct", "pct",
                   toelichting="personen in de B1- of onderwijsroute"),
        Kerncijfer("Plaatsingen in vrijwilligerswerk", "vrijwilligerswerk_plaatsingen", "aantal",
                   toelichting="gestarte plaatsingen in de periode"),
        Kerncijfer("Z-route: vrijwilligerswerk binnen 3 maanden", "z_route_vrijwilligerswerk_3mnd_pct", "pct",
                   toelichting="personen in de Z-route"),
    ]


def _participatie_grafieken(f: Filters, d: ThemaData) -> list:
    dg = fg.DOELGROEP_LABELS[f.doelgroep]
    ontzorgen_dg = "asiel"
    return [
        Grafiek("deelname-duaal", "Deelname aan activiteiten en duale trajecten (stand op het einde van de periode)",
                (Reeks("activiteit_deelname_pct", "Deelname aan een activiteit", kleur=KLEUREN[0]),
                 Reeks("duaal_pct", "Duaal (betaald werk naast B1- of onderwijsroute)", kleur=KLEUREN[1])),
                "pct", "Aandeel personen",
                noot="Twee verschillende groepen: zie de definities. De tabel geeft per cijfer de waarde."),
        Grafiek("vrijwilligerswerk", "Plaatsingen in vrijwilligerswerk per periode",
                doelgroep_reeksen("vrijwilligerswerk_plaatsingen", f), "aantal", "Aantal plaatsingen", soort="stapel"),
        Grafiek("z-route", "Z-route: 800 uur taal, 800 uur participatie en vrijwilligerswerk binnen 3 maanden",
                (Reeks("z_route_uren_pct", "800 uur taal gehaald", "taal", kleur=KLEUREN[0]),
                 Reeks("z_route_uren_pct", "800 uur participatie gehaald", "participatie", kleur=KLEUREN[1]),
                 Reeks("z_route_vrijwilligerswerk_3mnd_pct", "Vrijwilligerswerk binnen 3 maanden", kleur=KLEUREN[2])),
                "pct", "Aandeel personen",
                referenties=_doel_referenties(d, "z_route_vrijwilligerswerk_3mnd_pct", f.doelgroep)),
        Grafiek("map-pvt", "MAP en PVT afgerond binnen de termijn",
                (Reeks("map_binnen_termijn_pct", "Module Arbeidsmarkt en Participatie (MAP)", kleur=KLEUREN[0]),
                 Reeks("pvt_binnen_termijn_pct", "Participatieverklaringstraject (PVT)", kleur=KLEUREN[1])),
                "pct", "Aandeel personen"),
        (Grafiek("ontzorgen", "Ontzorgen van asielstatushouders met bijstand",
                 (Reeks("ontzorgen_gestart_pct", "Ontzorgen gestart", doelgroep=ontzorgen_dg, kleur=KLEUREN[0]),
                  Reeks("ontzorgen_verlengd_pct", "Ontzorgen verlengd na 6 maanden", doelgroep=ontzorgen_dg,
                        kleur=KLEUREN[1])),
                 "pct", "Aandeel asielstatushouders",
                 noot=("Ontzorgen geldt alleen voor asielstatushouders; deze grafiek toont hen altijd"
                       + ("." if f.doelgroep in ("alle", "asiel") else f", ook als {dg.lower()} gekozen is."))), True),
    ]


PAGINAS: dict[str, PaginaSpec] = {
    "instroom": PaginaSpec(
        "instroom", "/instroom", "Instroom en doelgroepen",
        lambda g: f"Hoeveel inburgeraars komen er in {g} bij, en uit welke doelgroepen?",
        "Instroom van inburgeringsplichtigen (Wet inburgering 2021) per periode en doelgroep, in verhouding tot "
        "het aantal inwoners, en de wachttijd van asielstatushouders op huisvesting.",
        ("instroom", "instroom_per_1000_inwoners", "wachttijd_huisvesting_mediaan"),
        _instroom_kc, _instroom_grafieken, kenmerken=True,
    ),
    "brede_intake_pip": PaginaSpec(
        "brede_intake_pip", "/brede-intake-pip", "Brede intake en PIP",
        lambda g: f"Hoe snel krijgen inburgeraars in {g} een brede intake en een PIP?",
        "Doorlooptijd tot het persoonlijk plan inburgering en participatie (PIP), de wettelijke termijn van "
        "10 weken en de brede intake per cohort, zoals het CBS die meet.",
        ("doorlooptijd_pip_mediaan", "pip_binnen_10_weken_pct", "brede_intake_gestart_pct",
         "welkomgesprek_binnen_6_weken_pct"),
        _pip_kc, _pip_grafieken, _pip_teksten,
    ),
    "leerroutes": PaginaSpec(
        "leerroutes", "/leerroutes", "Leerroutes",
        lambda g: f"Welke leerroutes volgen inburgeraars in {g}, en past dat bij de verwachting?",
        "De leerroute in het eerste PIP tegenover de verwachting van de gemeente en van het Rijk, wisselingen "
        "van leerroute en afschaling van B1 naar A2.",
        ("leerroute_aandeel_pct", "leerroute_schakelingen", "afschaling_a2_pct"),
        _leerroute_kc, _leerroute_grafieken, kenmerken=True,
    ),
    "voortgang_examens": PaginaSpec(
        "voortgang_examens", "/voortgang-examens", "Voortgang en examens",
        lambda g: f"Halen inburgeraars in {g} hun examens, en voldoen ze op tijd?",
        "Slagingspercentages per examenonderdeel, bij de eerste poging, het B1-diploma na 12, 24 en 36 maanden, "
        "voldaan binnen de termijn van 3 jaar en wie over de termijn heen is.",
        ("examen_geslaagd_pct", "examen_eerste_poging_pct", "voldaan_binnen_termijn_pct", "diploma_b1_pct",
         "termijn_verstreken_pct", "voortgangsgesprekken_norm_pct"),
        _examen_kc, _examen_grafieken, kenmerken=True,
    ),
    "participatie": PaginaSpec(
        "participatie", "/participatie", "Participatie",
        lambda g: f"Doen inburgeraars in {g} mee naast het leren van de taal?",
        "Deelname aan activiteiten, duale trajecten, vrijwilligerswerk, de uren in de Z-route, MAP en PVT binnen "
        "de termijn en ontzorgen.",
        ("activiteit_deelname_pct", "duaal_pct", "vrijwilligerswerk_plaatsingen", "z_route_uren_pct",
         "z_route_vrijwilligerswerk_3mnd_pct", "map_binnen_termijn_pct", "pvt_binnen_termijn_pct",
         "ontzorgen_gestart_pct", "ontzorgen_verlengd_pct"),
        _participatie_kc, _participatie_grafieken, kenmerken=True,
    ),
}
