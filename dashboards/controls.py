"""The shared filter bar (gemeente, periode, doelgroep; geslacht or leeftijd where a page supports it) and its
URL state, for every thematic page.

How a page uses it (see dashboards/pages/instroom.py for a complete example):

    from dashboards import controls

    def layout(**query):
        gemeenten = controls.gemeenten_frame()                       # gemeenten with published figures
        filters = controls.parse_filters(query, gemeenten["gemeente_code"].tolist())
        periodes = controls.beschikbare_periodes(filters.gemeente)   # or the page's own list
        filters = controls.met_periode(filters, periodes, standaard=...)   # optional: fill a default periode
        return html.Div([..., controls.filter_bar(filters, gemeenten, periodes), ...])

    def register_callbacks(app):
        controls.register_url_sync(app)        # idempotent: every page may call it

URL state. The parameter names are the same on every page: `?gemeente=GM0034&periode=2025-Q3&doelgroep=asiel`,
plus `geslacht=vrouw` or `leeftijd=25-34` (values of pipelines/indicators/kenmerken.py). `periode` is a
year ('2025') or a quarter ('2025-Q3'); `doelgroep` is alle/asiel/gezin/overig. Geslacht and leeftijd
are never combined (the cells would be too small to publish): choosing one clears the other. A page's
`layout(**query)` receives them from Dash pages, so every view is bookmarkable and shareable.

How a change reaches the page. `filter_bar` renders the three controls plus a `dcc.Location` (id
`filter-url`, refresh="callback-nav"). `register_url_sync` adds ONE clientside callback per app: when a
select changes, it writes the new query string (keeping any other parameters and the path) to
`filter-url.search`; Dash then pushes the URL to the history and rebuilds the page from it, exactly as
the Overzicht page does. No server round trip is needed for the URL itself. After the rebuild, keyboard
focus returns to the control that was changed (otherwise it would fall back to <body>).

A control a page does not show (`show=`) is still rendered, as a hidden <input>, so its value survives in
the URL when the other controls change. Navigation links in the site menu (`.site-nav a`) get the current
filters appended on click, so moving between pages keeps gemeente, periode, doelgroep, geslacht and leeftijd.

Accessibility: native <select> elements (dbc.Select) with <label for>, grouped in a landmark
(`role="search"`, aria-label "Filters"); Dash 4's dcc.Dropdown fails axe and is not used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Sequence
from urllib.parse import parse_qs, urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, dcc, html

from dashboards import warehouse
from dashboards.figures import DOELGROEP_LABELS
from pipelines.indicators import kenmerken as km

PARAMS = ("gemeente", "periode", "doelgroep")
KENMERKEN = tuple(km.KENMERKEN)            # ('geslacht', 'leeftijd'): shown where a page supports them
ALLE_PARAMS = PARAMS + KENMERKEN
DOELGROEPEN = ("alle", "asiel", "gezin", "overig")
IDS = {k: f"filter-{k}" for k in ALLE_PARAMS}
LOCATION_ID = "filter-url"
FOCUS_STORE_ID = "filter-focus"
LABELS = {"gemeente": "Gemeente", "periode": "Periode", "doelgroep": "Doelgroep", "geslacht": "Geslacht",
          "leeftijd": "Leeftijd"}
KENMERK_ALLE = {"geslacht": "Alle geslachten", "leeftijd": "Alle leeftijden"}

_JAAR = re.compile(r"^(20\d\d)$")
_KWARTAAL = re.compile(r"^(20\d\d)-?[QqKk]([1-4])$")


@dataclass(frozen=True)
class Filters:
    """What the user chose: a gemeente code, a periode ('YYYY' or 'YYYY-Qn'), a doelgroep and at most one
    person characteristic (geslacht or leeftijd)."""

    gemeente: str | None = None
    periode: str | None = None
    doelgroep: str = "alle"
    geslacht: str | None = None
    leeftijd: str | None = None

    @property
    def kenmerk(self) -> tuple[str, str] | None:
        """('geslacht', 'vrouw') or ('leeftijd', '25-34') when one is chosen, else None."""
        if self.geslacht:
            return ("geslacht", self.geslacht)
        if self.leeftijd:
            return ("leeftijd", self.leeftijd)
        return None

    @property
    def kenmerk_label(self) -> str | None:
        """'Vrouwen', '25 tot 35 jaar' (None without a characteristic)."""
        return km.label(*self.kenmerk) if self.kenmerk else None

    @property
    def is_kwartaal(self) -> bool:
        """True when the periode is a quarter."""
        return bool(self.periode and len(self.periode) == 7)

    @property
    def jaar(self) -> str | None:
        """The year of the periode ('2025' for '2025-Q3')."""
        return self.periode[:4] if self.periode else None

    def query(self) -> dict[str, str]:
        """The URL parameters (only those that are set)."""
        out = {}
        if self.gemeente:
            out["gemeente"] = self.gemeente
        if self.periode:
            out["periode"] = self.periode
        if self.doelgroep:
            out["doelgroep"] = self.doelgroep
        if self.kenmerk:
            out[self.kenmerk[0]] = self.kenmerk[1]
        return out

    def search(self) -> str:
        """'?gemeente=GM0034&periode=2025&doelgroep=alle'."""
        q = self.query()
        return f"?{urlencode(q)}" if q else ""

    def href(self, path: str) -> str:
        """A link to another page with the same filters."""
        return f"{path}{self.search()}"


def normaliseer_periode(value) -> str | None:
    """'2025' -> '2025'; '2025-Q3', '2025Q3', '2025-K3' -> '2025-Q3'; anything else -> None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if m := _JAAR.match(value):
        return m.group(1)
    if m := _KWARTAAL.match(value):
        return f"{m.group(1)}-Q{m.group(2)}"
    return None


def _first(value):
    # Dash passes one value per parameter; a repeated parameter may arrive as a list.
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


def query_uit_url(search: str | None) -> dict[str, str]:
    """The parameters of a URL search string ('?gemeente=GM0034&periode=2025'), the first value of each."""
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def parse_filters(query: Mapping, gemeenten: Sequence[str], periodes: Sequence[str] | None = None) -> Filters:
    """Validated filters from a URL query (the kwargs of a page's layout()).

    - gemeente: upper-cased; when absent or not in `gemeenten`, the first of `gemeenten` (None if empty);
    - periode: a well-formed 'YYYY' or 'YYYY-Qn' (also '2025Q3' / '2025-K3'), and one of `periodes` when
      that list is given; else None (the page then chooses its default, see `met_periode`);
    - doelgroep: alle/asiel/gezin/overig (case-insensitive), else 'alle';
    - geslacht / leeftijd: a value of that characteristic, else None; with both, geslacht wins.
    """
    codes = list(gemeenten)
    gemeente = _first(query.get("gemeente"))
    gemeente = gemeente.strip().upper() if isinstance(gemeente, str) else None
    if gemeente not in codes:
        gemeente = codes[0] if codes else None
    periode = normaliseer_periode(_first(query.get("periode")))
    if periode is not None and periodes is not None and periode not in periodes:
        periode = None
    doelgroep = _first(query.get("doelgroep"))
    doelgroep = doelgroep.strip().lower() if isinstance(doelgroep, str) else "alle"
    if doelgroep not in DOELGROEPEN:
        doelgroep = "alle"
    gekozen = {}
    for k in KENMERKEN:
        v = _first(query.get(k))
        v = v.strip().lower() if isinstance(v, str) else None
        gekozen[k] = v if v in km.waarden(k) else None
    if gekozen["geslacht"]:
        gekozen["leeftijd"] = None
    return Filters(gemeente, periode, doelgroep, gekozen["geslacht"], gekozen["leeftijd"])


def met_periode(filters: Filters, periodes: Sequence[str], standaard: str | None = None) -> Filters:
    """`filters` with a periode that is one of `periodes`: the chosen one, else `standaard` (when it is
    in the list), else the latest year in the list, else the latest periode."""
    if filters.periode in periodes:
        return filters
    if standaard in periodes:
        return replace(filters, periode=standaard)
    jaren = sorted(p for p in periodes if len(p) == 4)
    if jaren:
        return replace(filters, periode=jaren[-1])
    return replace(filters, periode=max(periodes) if periodes else None)


# --- Data for the controls (published marts only) --------------------------------------------

def gemeenten_frame(path=None) -> pd.DataFrame:
    """Gemeenten with published figures: columns gemeente_code, gemeente_naam (sorted by name)."""
    return warehouse.query(
        """
        SELECT m.gemeente_code, coalesce(r.gemeente_naam, m.gemeente_code) AS gemeente_naam
        FROM (SELECT DISTINCT gemeente_code FROM mart_indicatoren_publicatie) m
        LEFT JOIN ref_gemeenten r USING (gemeente_code)
        ORDER BY gemeente_naam, m.gemeente_code
        """,
        path=path,
    )


def beschikbare_periodes(gemeente: str | None, indicatoren: Iterable[str] | None = None, path=None) -> list[str]:
    """The periodes (years and quarters, ascending) with published rows for the gemeente (optionally only
    rows of the given indicators)."""
    if not gemeente:
        return []
    where = ["gemeente_code = ?"]
    params: list = [gemeente]
    ind = list(indicatoren or [])
    if ind:
        where.append(f"indicator IN ({', '.join('?' for _ in ind)})")
        params.extend(ind)
    df = warehouse.query(
        f"SELECT DISTINCT periode FROM mart_indicatoren_publicatie WHERE {' AND '.join(where)} ORDER BY periode",
        params,
        path=path,
    )
    return [p for p in df["periode"].tolist() if normaliseer_periode(p) == p]


# --- The filter bar --------------------------------------------------------------------------

def periode_label(periode: str) -> str:
    """'2025' -> '2025 (heel jaar)'; '2025-Q3' -> '3e kwartaal 2025'."""
    if len(periode) == 7:
        return f"{periode[6]}e kwartaal {periode[:4]}"
    return f"{periode} (heel jaar)"


def periode_opties(periodes: Iterable[str]) -> list[dict]:
    """Options for the periode choice: newest first, each year followed by its quarters (newest first)."""
    ps = sorted(set(periodes), key=lambda p: (p[:4], 1 if len(p) == 4 else 0, p), reverse=True)
    return [{"label": periode_label(p), "value": p} for p in ps]


def _select(kind: str, options: list[dict], value, hint: str | None = None, breed: bool = True) -> html.Div:
    # dbc.Select takes no aria-* props: a hint goes inside the <label>, so it is part of the control's name.
    label = [LABELS[kind]]
    if hint:
        label.append(html.Small(hint, className="d-block fw-normal text-body-secondary"))
    return html.Div(
        className="filter-veld col-12 col-sm-6 " + ("col-lg-4" if breed else "col-lg-3"),
        children=[
            html.Label(label, htmlFor=IDS[kind], className="form-label fw-semibold mb-1"),
            dbc.Select(id=IDS[kind], options=options, value=value, required=kind not in KENMERKEN),
        ],
    )


def filter_bar(filters: Filters, gemeenten_frame: pd.DataFrame, periodes: Sequence[str],
               show: Sequence[str] = PARAMS, hints: Mapping[str, str] | None = None) -> html.Div:
    """The labelled filter controls (ids filter-gemeente, filter-periode, filter-doelgroep and, when in
    `show`, filter-geslacht and filter-leeftijd) with the Location that keeps them in the URL. Controls
    not in `show` are kept as hidden inputs."""
    hints = dict(hints or {})
    children = []
    values = {"gemeente": filters.gemeente, "periode": filters.periode, "doelgroep": filters.doelgroep,
              "geslacht": filters.geslacht, "leeftijd": filters.leeftijd}
    breed = not any(k in show for k in KENMERKEN)
    for kind in ALLE_PARAMS:
        if kind not in show:
            # Not shown, but kept: its value stays in the URL when another control changes.
            children.append(dcc.Input(id=IDS[kind], type="hidden", value=values[kind] or ""))
            continue
        if kind == "gemeente":
            options = [{"label": r.gemeente_naam, "value": r.gemeente_code} for r in gemeenten_frame.itertuples()]
        elif kind == "periode":
            options = periode_opties(periodes)
        elif kind in KENMERKEN:
            options = [{"label": KENMERK_ALLE[kind], "value": ""}] + [
                {"label": label, "value": v} for v, label in km.KENMERKEN[kind]]
        else:
            options = [{"label": DOELGROEP_LABELS[d], "value": d} for d in DOELGROEPEN]
        children.append(_select(kind, options, values[kind] or "", hints.get(kind), breed))
    return html.Div(
        className="filter-balk mb-4 p-3 bg-white border rounded",
        role="search",
        **{"aria-label": "Filters"},
        children=[
            dcc.Location(id=LOCATION_ID, refresh="callback-nav"),
            dcc.Store(id=FOCUS_STORE_ID, data=True),
            html.Span(id=FOCUS_STORE_ID + "-uit", hidden=True),
            html.Div(className="row g-3 align-items-start", children=children),
        ],
    )


# --- URL sync ----------------------------------------------------------------------------------

_SYNC_JS = """
function(gemeente, periode, doelgroep, geslacht, leeftijd, search) {
    var nu = window.dash_clientside.no_update;
    var params = new URLSearchParams(search || "");
    var values = {gemeente: gemeente, periode: periode, doelgroep: doelgroep, geslacht: geslacht, leeftijd: leeftijd};
    var ctx = window.dash_clientside.callback_context;
    var changed = (ctx && ctx.triggered && ctx.triggered.length) ? ctx.triggered[0].prop_id.split(".")[0] : null;
    // geslacht and leeftijd are never combined: the one just chosen clears the other
    if (changed === "filter-geslacht" && geslacht) { values.leeftijd = ""; }
    if (changed === "filter-leeftijd" && leeftijd) { values.geslacht = ""; }
    Object.keys(values).forEach(function(k) {
        if (values[k]) { params.set(k, values[k]); } else { params.delete(k); }
    });
    var next = "?" + params.toString();
    if (next === (search || "")) { return nu; }
    if (changed) { window.__filterFocus = changed; }
    return next;
}
"""

# Runs whenever a page with a filter bar is (re)built: returns focus to the changed control and makes
# the site menu carry the current filters to the next page.
_AFTER_RENDER_JS = """
function(_) {
    var id = window.__filterFocus;
    window.__filterFocus = null;
    if (id) {
        var el = document.getElementById(id);
        if (el && (!document.activeElement || document.activeElement === document.body)) { el.focus(); }
    }
    if (!window.__filterNavInstalled) {
        window.__filterNavInstalled = true;
        document.addEventListener("click", function(ev) {
            if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) { return; }
            var a = ev.target.closest ? ev.target.closest(".site-nav a[href]") : null;
            if (!a || !document.getElementById("filter-gemeente")) { return; }
            var here = new URLSearchParams(window.location.search);
            var url = new URL(a.getAttribute("href"), window.location.origin);
            if (url.origin !== window.location.origin) { return; }
            var keep = false;
            ["gemeente", "periode", "doelgroep", "geslacht", "leeftijd"].forEach(function(k) {
                if (here.get(k) && !url.searchParams.get(k)) { url.searchParams.set(k, here.get(k)); keep = true; }
            });
            if (!keep) { return; }
            ev.preventDefault();
            ev.stopPropagation();
            window.history.pushState({}, "", url.pathname + url.search);
            window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
            window.scrollTo(0, 0);
        }, true);
    }
    return window.dash_clientside.no_update;
}
"""


def register_url_sync(app, page_path: str | None = None) -> None:
    """Write filter changes to the URL query string (one clientside callback per app; idempotent, so
    every page's register_callbacks may call it). `page_path` is accepted for symmetry and not needed:
    the path of the current page is kept as it is."""
    if getattr(app, "_filter_url_sync", False):
        return
    app._filter_url_sync = True
    app.clientside_callback(
        _SYNC_JS,
        Output(LOCATION_ID, "search"),
        Input(IDS["gemeente"], "value"),
        Input(IDS["periode"], "value"),
        Input(IDS["doelgroep"], "value"),
        Input(IDS["geslacht"], "value"),
        Input(IDS["leeftijd"], "value"),
        State(LOCATION_ID, "search"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        _AFTER_RENDER_JS,
        Output(FOCUS_STORE_ID + "-uit", "children"),
        Input(FOCUS_STORE_ID, "data"),
    )
