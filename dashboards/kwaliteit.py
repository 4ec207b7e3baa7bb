"""Datakwaliteit: load history, contract results per file and quarantine counts (queries, figures, layouts).

Only counts and rule outcomes are read: `load_log`, `dq_results`, and `quarantine` aggregated by reason
and file type. The quarantined records themselves (`quarantine.record`) are never selected, so no
personal data reaches the page. Reasons are the contract's fixed texts ("doelgroep: waarde niet in de
codelijst"); the list of allowed values in brackets is left out for brevity.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboards import figures as fg
from dashboards import warehouse
from dashboards.vergelijken import gemeenten_frame
from dashboards.warehouse import memo

PathLike = str | os.PathLike | None
PAGINA = "datakwaliteit"
BESTANDSTYPEN = ("personen", "examens", "activiteiten", "gesprekken", "uren")
TYPE_KLEUREN = dict(zip(BESTANDSTYPEN, (fg.OKABE_ITO["blauw"], fg.OKABE_ITO["vermiljoen"], fg.OKABE_ITO["blauwgroen"],
                                        fg.OKABE_ITO["roodpaars"], fg.OKABE_ITO["zwart"])))
TYPE_PATRONEN = dict(zip(BESTANDSTYPEN, ("", "/", ".", "x", "-")))


# --- Queries ----------------------------------------------------------------------------------

@memo
def bestanden(gemeente: str, path: PathLike = None) -> pd.DataFrame:
    """Every accepted file of the gemeente in load_log, with its contract results (dq_results), newest first."""
    return warehouse.query(
        r"""
        WITH f AS (
            SELECT * FROM load_log WHERE list_contains(gemeente_codes, ?)
        ), dq AS (
            SELECT load_id, file_name, count(*) AS regels, count(*) FILTER (WHERE NOT success) AS regels_fout,
                   coalesce(sum(unexpected_count) FILTER (WHERE NOT success), 0) AS afwijkingen,
                   string_agg(DISTINCT CASE WHEN NOT success THEN
                       regexp_replace(reden, '\s*\(.*\)\s*$', '') || ' (' || unexpected_count || 'x)' END, '; ')
                       AS fouten
            FROM dq_results GROUP BY load_id, file_name
        )
        SELECT f.load_id, f.loaded_at, f.file_name, f.target_table, f.profile, f.peildatum, f.rows_read,
               f.rows_loaded, f.rows_quarantined, f.status, f.message,
               coalesce(dq.regels, 0) AS regels, coalesce(dq.regels_fout, 0) AS regels_fout,
               coalesce(dq.afwijkingen, 0) AS afwijkingen, dq.fouten
        FROM f LEFT JOIN dq USING (load_id, file_name)
        ORDER BY f.loaded_at DESC, f.file_name
        """,
        [gemeente],
        path=path,
    )


def laadmomenten(files: pd.DataFrame) -> pd.DataFrame:
    """Load history: one row per load (from the file rows), newest first."""
    if files.empty:
        return pd.DataFrame(columns=["load_id", "loaded_at", "bestanden", "rows_read", "rows_loaded",
                                     "rows_quarantined", "peildatum"])
    g = files.groupby("load_id", as_index=False).agg(
        loaded_at=("loaded_at", "min"), bestanden=("file_name", "count"), rows_read=("rows_read", "sum"),
        rows_loaded=("rows_loaded", "sum"), rows_quarantined=("rows_quarantined", "sum"),
        peildatum=("peildatum", "max"))
    return g.sort_values("loaded_at", ascending=False).reset_index(drop=True)


@memo
def quarantaine_telling(gemeente: str, path: PathLike = None) -> pd.DataFrame:
    """Quarantined rows counted by file type and reason (never the records): target_table, reden, rijen."""
    return warehouse.query(
        r"""
        WITH files AS (SELECT DISTINCT load_id, file_name FROM load_log WHERE list_contains(gemeente_codes, ?)),
        r AS (
            SELECT q.target_table, regexp_replace(unnest(q.reasons), '\s*\(.*\)\s*$', '') AS reden
            FROM quarantine q JOIN files f USING (load_id, file_name)
        )
        SELECT target_table, reden, count(*) AS rijen FROM r GROUP BY ALL ORDER BY rijen DESC, reden, target_table
        """,
        [gemeente],
        path=path,
    )


# --- Table views ------------------------------------------------------------------------------

def _n(v) -> fg.Cell:
    return fg.Cell(None if fg.is_missing(v) else float(v), "aantal")


def _tijd(ts) -> str:
    if fg.is_missing(ts):
        return fg.ONTBREEKT
    t = pd.Timestamp(ts)
    return f"{fg.fmt_datum(t)} {t:%H:%M}"


def laadmomenten_table(loads: pd.DataFrame, gemeente_naam: str = "") -> fg.TableView:
    """Table view of the load history chart."""
    rows = tuple((_tijd(r["loaded_at"]), (fg.tekst_cell(fg.fmt_datum(r["peildatum"])), _n(r["bestanden"]),
                                          _n(r["rows_read"]), _n(r["rows_loaded"]), _n(r["rows_quarantined"])))
                 for _, r in loads.iterrows())
    caption = "Laadmomenten: geladen bestanden en rijen"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    return fg.TableView(caption, ("Geladen op", "Peildatum", "Bestanden", "Rijen gelezen", "Rijen geladen",
                                  "Rijen in quarantaine"), rows,
                        ("Afgewezen bestanden komen niet in het warehouse (de laadopdracht meldt ze); ze staan hier "
                         "dus niet.",))


def bestanden_table(files: pd.DataFrame, gemeente_naam: str = "") -> fg.TableView:
    """Contract results per file: rows, rules checked and failed, and the failed rules in words."""
    rows = []
    for _, r in files.iterrows():
        label = str(r["file_name"]).rsplit("/", 1)[-1]
        rows.append((label, (fg.tekst_cell(str(r["target_table"])), fg.tekst_cell(_tijd(r["loaded_at"])),
                             fg.tekst_cell(fg.fmt_datum(r["peildatum"])), fg.tekst_cell(str(r["profile"])),
                             _n(r["rows_read"]), _n(r["rows_loaded"]), _n(r["rows_quarantined"]), _n(r["regels"]),
                             _n(r["regels_fout"]), fg.tekst_cell(r["fouten"] if not fg.is_missing(r["fouten"]) else "–"))))
    caption = "Contractcontrole per bestand"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    return fg.TableView(caption, ("Bestand", "Soort", "Geladen op", "Peildatum", "Profiel", "Rijen gelezen",
                                  "Rijen geladen", "Rijen in quarantaine", "Regels getoetst", "Regels niet gehaald",
                                  "Niet gehaalde regels"), tuple(rows),
                        ("Regels: de verwachtingen van het datacontract (Great Expectations) op bestands- en "
                         "rijniveau. Rijen gelezen = geladen + quarantaine.",))


def quarantaine_table(counts: pd.DataFrame, gemeente_naam: str = "") -> fg.TableView:
    """Table view of the quarantine chart: reason x file type (rows in quarantine)."""
    types = [t for t in BESTANDSTYPEN if t in set(counts["target_table"])]
    redenen = counts.groupby("reden")["rijen"].sum().sort_values(ascending=False).index.tolist()
    idx = {(r["reden"], r["target_table"]): r["rijen"] for _, r in counts.iterrows()}
    rows = tuple((reden, (*(_n(idx.get((reden, t), 0)) for t in types),
                          _n(sum(idx.get((reden, t), 0) for t in types)))) for reden in redenen)
    caption = "Rijen in quarantaine naar reden en bestandstype"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    return fg.TableView(caption, ("Reden", *types, "Totaal"), rows,
                        ("Een rij met meer redenen telt bij elke reden. Alleen aantallen: de rijen zelf worden niet "
                         "getoond.",))


# --- Figures ----------------------------------------------------------------------------------

def quarantaine_figure(counts: pd.DataFrame) -> go.Figure:
    """Horizontal stacked bars: rows in quarantine per reason, one colour and pattern per file type."""
    if counts.empty:
        return fg.empty_figure("Geen rijen in quarantaine voor deze gemeente.")
    redenen = counts.groupby("reden")["rijen"].sum().sort_values().index.tolist()
    traces = []
    for t in BESTANDSTYPEN:
        part = counts[counts["target_table"] == t].set_index("reden")["rijen"]
        if part.empty:
            continue
        traces.append(dict(type="bar", name=t, orientation="h", y=redenen, x=[int(part.get(r, 0)) for r in redenen],
                           marker=dict(color=TYPE_KLEUREN[t], pattern=dict(shape=TYPE_PATRONEN[t]),
                                       line=dict(color="#fff", width=1)),
                           hovertemplate=f"{t}<br>%{{y}}: %{{x}} rijen<extra></extra>"))
    xaxis = dict(type="linear", title=dict(text="Rijen in quarantaine"), rangemode="tozero", showgrid=True,
                 gridcolor="#e3e3e3", tickformat=",d")
    if counts.groupby("reden")["rijen"].sum().max() <= 10:
        xaxis["dtick"] = 1
    return fg.figuur(traces, fg.huisstijl("", height=max(260, 120 + 34 * len(redenen))), dict(
        barmode="stack", xaxis=xaxis,
        yaxis=dict(type="category", title=dict(text=""), showgrid=False, automargin=True),
    ))


def laadmomenten_figure(files: pd.DataFrame) -> go.Figure:
    """Stacked bars: rows loaded per load moment, one trace per file type (quarantine in the table)."""
    if files.empty:
        return fg.empty_figure("Nog geen geladen bestanden voor deze gemeente.")
    loads = laadmomenten(files).sort_values("loaded_at")
    labels = [_tijd(t) for t in loads["loaded_at"]]
    traces = []
    for t in BESTANDSTYPEN:
        part = files[files["target_table"] == t].groupby("load_id")["rows_loaded"].sum()
        if part.empty:
            continue
        traces.append(dict(type="bar", name=t, x=labels, y=[int(part.get(l, 0)) for l in loads["load_id"]],
                           marker=dict(color=TYPE_KLEUREN[t], pattern=dict(shape=TYPE_PATRONEN[t]),
                                       line=dict(color="#fff", width=1)),
                           hovertemplate=f"{t}<br>%{{x}}: %{{y:,.0f}} rijen geladen<extra></extra>"))
    return fg.figuur(traces, fg.huisstijl("Rijen geladen", height=340), dict(barmode="stack"))


# --- Page -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KwaliteitPagina:
    """The page's state from the URL."""

    filters: object
    gemeenten: pd.DataFrame
    gemeente_naam: str
    files: pd.DataFrame
    loads: pd.DataFrame
    quarantaine: pd.DataFrame


def lees_pagina(query: dict, path: PathLike = None) -> KwaliteitPagina | None:
    """Everything the page needs for a URL query (None when no gemeente has data)."""
    from dashboards import controls

    gemeenten = gemeenten_frame(path=path)
    filters = controls.parse_filters(query, gemeenten["gemeente_code"].tolist())
    if filters.gemeente is None:
        return None
    naam = str(gemeenten.loc[gemeenten["gemeente_code"] == filters.gemeente, "gemeente_naam"].iloc[0])
    files = bestanden(filters.gemeente, path=path)
    return KwaliteitPagina(filters, gemeenten, naam, files, laadmomenten(files),
                           quarantaine_telling(filters.gemeente, path=path))


def table_views(state: KwaliteitPagina) -> dict[str, fg.TableView]:
    """The tables of the page, by key (for the downloads)."""
    return {
        "laadmomenten": laadmomenten_table(state.loads, state.gemeente_naam),
        "bestanden": bestanden_table(state.files, state.gemeente_naam),
        "quarantaine": quarantaine_table(state.quarantaine, state.gemeente_naam),
    }


def _kc(label: str, value: str, toelichting: str, value_id: str) -> html.Div:
    return html.Div(className="col-12 col-sm-6 col-xl-3", children=html.Div(className="kerncijfer h-100", children=[
        html.P(label, className="kerncijfer__label"), html.P(value, id=value_id, className="kerncijfer__waarde"),
        html.P(toelichting, className="kerncijfer__toelichting")]))


def pagina(state: KwaliteitPagina) -> html.Div:
    """The Datakwaliteit page."""
    from dashboards import controls, layouts

    naam = state.gemeente_naam
    views = table_views(state)
    f = state.files
    laatste = state.loads.iloc[0] if len(state.loads) else None
    quarantaine_totaal = int(state.quarantaine["rijen"].sum()) if len(state.quarantaine) else 0
    q_rijen = int(f["rows_quarantined"].sum()) if len(f) else 0
    kc = html.Section(className="kerncijfers", **{"aria-labelledby": "dk-kerncijfers-titel"}, children=[
        html.H2("Kerncijfers", id="dk-kerncijfers-titel", className="visually-hidden"),
        html.Div(className="row g-3", children=[
            _kc("Laatst geladen", fg.fmt_datum(laatste["loaded_at"]) if laatste is not None else fg.ONTBREEKT,
                f"om {pd.Timestamp(laatste['loaded_at']):%H:%M} uur; peildatum {fg.fmt_datum(laatste['peildatum'])}"
                if laatste is not None else "nog niets geladen", "dk-laatst"),
            _kc("Geladen bestanden", fg.fmt_aantal(len(f)), f"in {len(state.loads)} laadmomenten", "dk-bestanden"),
            _kc("Rijen in quarantaine", fg.fmt_aantal(q_rijen),
                f"van {fg.fmt_aantal(f['rows_read'].sum() if len(f) else 0)} gelezen rijen", "dk-quarantaine"),
            _kc("Regels niet gehaald", fg.fmt_aantal(f["regels_fout"].sum() if len(f) else 0),
                f"van {fg.fmt_aantal(f['regels'].sum() if len(f) else 0)} getoetste contractregels", "dk-regels"),
        ]),
    ])
    return html.Div(className="datakwaliteit", children=[
        dcc.Store(id="page-meta", data={"peildatum": None, "gemeente": naam}),
        dcc.Download(id="datakwaliteit-download"),
        html.Div(className="pagina-kop", children=html.Div(className="pagina-kop__tekst", children=[
            html.H1(f"Hoe betrouwbaar zijn de gegevens van {naam}?"),
            html.P("Wat er is geladen, welke regels van het datacontract niet werden gehaald en hoeveel rijen in "
                   "quarantaine staan, naar reden en bestandstype. Alleen aantallen: geen gegevens van personen.",
                   className="pagina-kop__intro"),
        ])),
        controls.filter_bar(state.filters, state.gemeenten, [], show=("gemeente",)),
        kc,
        layouts.grafiek_sectie(PAGINA, "quarantaine", "Rijen in quarantaine naar reden en bestandstype",
                               quarantaine_figure(state.quarantaine), views["quarantaine"],
                               uitleg=html.P("Een rij gaat in quarantaine als ze een regel van het datacontract "
                                             "niet haalt; de andere rijen van het bestand worden wel geladen. "
                                             f"Totaal {fg.fmt_aantal(quarantaine_totaal)} redenen bij "
                                             f"{fg.fmt_aantal(q_rijen)} rijen."),
                               bron="Bron: quarantaine en laadlogboek van het datawarehouse."),
        layouts.grafiek_sectie(PAGINA, "laadmomenten", "Geladen rijen per laadmoment",
                               laadmomenten_figure(state.files), views["laadmomenten"],
                               bron="Bron: laadlogboek (load_log) van het datawarehouse."),
        layouts.tabel_sectie(PAGINA, "bestanden", "Contractcontrole per bestand", views["bestanden"],
                             uitleg=html.P("Elk geladen bestand met de uitkomst van de controles: hoeveel regels "
                                           "getoetst zijn en welke niet gehaald werden.")),
    ])


def bestandsnaam(key: str, state: KwaliteitPagina) -> str:
    """datakwaliteit_quarantaine_GM0034 (without extension)."""
    return f"datakwaliteit_{key}_{state.filters.gemeente}"
