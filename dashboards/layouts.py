"""Plain layout builders: the app shell, the Overzicht page and its parts. No SQL here."""
from __future__ import annotations

from typing import Iterable, Mapping

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboards import figures as fg
from dashboards.queries import OverzichtData

APP_TITLE = "Monitor Wet inburgering 2021"
BRON = "Bron: eigen gemeentelijke registratie"

DEFINITIES = {
    "instroom": (
        "Aantal inburgeringsplichtigen onder de Wet inburgering 2021 (plicht vanaf 1 januari 2022) met hun "
        "instroomdatum in het kwartaal. Instroomdatum: voor asielstatushouders de datum van koppeling aan de "
        "gemeente, anders de datum van inschrijving in de BRP, anders de datum van de inburgeringsplicht; "
        "voor gezins- en overige migranten de datum van inschrijving in de BRP, anders de datum van de "
        "inburgeringsplicht. Alleen volledige kwartalen tot en met de peildatum."
    ),
    "leerroute": (
        "De leerroute in het initiële (eerste) PIP, als aandeel van alle personen van wie het eerste PIP in "
        "dat jaar is vastgesteld. Een latere wijziging van de leerroute telt hier niet mee. Alleen "
        "inburgeringsplichtigen onder de Wet inburgering 2021. Het lopende jaar telt tot en met de peildatum."
    ),
}


# --- App shell --------------------------------------------------------------------------------

def shell(pages: Iterable[Mapping], footer_peildatum: str, page_container) -> html.Div:
    """Header, navigation (only registered pages), <main> with the page container, footer."""
    nav_items = [
        html.Li(dcc.Link(p["name"], href=p["relative_path"], className="nav-link"), className="nav-item")
        for p in pages
    ]
    return html.Div(
        className="app-shell",
        children=[
            html.A("Naar de inhoud", href="#inhoud", className="skip-link visually-hidden-focusable"),
            html.Header(
                className="site-header",
                children=html.Div(
                    className="container-xl site-header__inner",
                    children=[
                        html.Span(className="site-header__mark", **{"aria-hidden": "true"}),
                        html.Div([
                            html.P(APP_TITLE, className="site-title"),
                            html.P("Voortgang van de inburgering in de gemeente", className="site-subtitle"),
                        ]),
                    ],
                ),
            ),
            html.Nav(
                className="site-nav",
                **{"aria-label": "Hoofdmenu"},
                children=html.Div(className="container-xl", children=html.Ul(nav_items, className="nav")),
            ),
            html.Main(
                id="inhoud",
                className="container-xl site-main",
                tabIndex="-1",
                children=[html.Div(id="status-melding", role="status", className="visually-hidden"), page_container],
            ),
            html.Footer(
                className="site-footer",
                children=html.Div(
                    className="container-xl",
                    children=[
                        html.P([f"{BRON}; peildatum ", html.Span(footer_peildatum, id="footer-peildatum"), "."]),
                        html.P(
                            "Kleine aantallen (1 tot en met 4 personen, of een aandeel van minder dan 10 personen) "
                            "worden niet getoond: onderdrukt: te klein aantal. Indicatoren volgens de eigen "
                            "definities van de monitor (Wet inburgering 2021).",
                            className="site-footer__note",
                        ),
                    ],
                ),
            ),
        ],
    )


# --- Tables -----------------------------------------------------------------------------------

def _component(tag: str, children=None, **props):
    return getattr(html, tag)(children, **props)


def _element_json(tag: str, children=None, **props) -> dict:
    """What Dash sends for html.<tag>(children, **props): Component.to_plotly_json's shape."""
    return {"props": {"children": children, **props}, "type": tag, "namespace": "dash_html_components"}


def table(view: fg.TableView, table_id: str, *, als_json: bool = False) -> html.Div | dict:
    """An accessible HTML table (caption, column and row headers) of a TableView.

    With als_json=True the same table comes as the plain JSON Dash sends for it, built without Dash
    component objects: for tables of hundreds of rows filled by a callback (Vergelijken over 342
    gemeenten: ~3,400 cells, whose components took ~80 ms to build and serialise). A unit test checks
    that both forms serialise to the same JSON."""
    el = _element_json if als_json else _component
    head = el("Thead", el("Tr", [el("Th", c, scope="col") for c in view.columns]))
    body = el("Tbody", [
        el("Tr", [el("Th", label, scope="row")]
           + [el("Td", c.display(), className="onderdrukt" if c.onderdrukt else None) for c in cells])
        for label, cells in view.rows
    ])
    notes = view.footnotes()
    # The wrapper scrolls sideways on narrow screens, so it must be reachable and named for keyboard users.
    return el(
        "Div",
        [
            el("Table", [el("Caption", view.caption), head, body], id=table_id,
               className="table table-sm table-striped cijfer-tabel"),
            el("Ul", [el("Li", n) for n in notes], className="tabel-noten") if notes else None,
        ],
        className="table-responsive",
        tabIndex="0",
        role="region",
        **{"aria-label": view.caption},
    )


# --- Overzicht page ---------------------------------------------------------------------------

def _kerncijfer(label: str, value: str, toelichting: str, value_id: str, modifier: str = "") -> html.Div:
    return html.Div(
        className="col-12 col-sm-6 col-xl-3",
        children=html.Div(
            className="kerncijfer h-100",
            children=[
                html.P(label, className="kerncijfer__label"),
                html.P(value, id=value_id, className=f"kerncijfer__waarde {modifier}".strip()),
                html.P(toelichting, className="kerncijfer__toelichting"),
            ],
        ),
    )


def _single(rows: pd.DataFrame) -> fg.Cell:
    row = rows.iloc[0] if len(rows) else None
    return fg.cell_from_row(row, "aantal")


def kerncijfers(data: OverzichtData) -> html.Section:
    """Key figures: instroom last complete year and quarter, peildatum, leerroute mix last year."""
    jaar_cel = _single(data.instroom_jaar)
    kwartaal_cel = _single(data.instroom_kwartaal)
    jaar = data.jaar or "–"
    kwartaal = fg.fmt_periode(data.kwartaal, lang=True) if data.kwartaal else "laatste kwartaal"

    lr = {r["categorie"]: r for _, r in data.leerroute_jaar.iterrows()}
    lr_items = []
    noemer = None
    for c in fg.LEERROUTES:
        cell = fg.cell_from_row(lr.get(c), "pct")
        if c in lr and not cell.onderdrukt and noemer is None:
            noemer = lr[c]["noemer"]
        naam, _, extra = fg.LEERROUTE_LABELS[c].partition(" (")
        lr_items.append(html.Li([
            html.Span([naam, " ", html.Span(f"({extra}", className="text-nowrap")] if extra else naam,
                      className="leerroute-mix__naam"),
            html.Span(cell.display(), id=f"kc-leerroute-{c}", className="leerroute-mix__waarde"),
        ]))
    any_hidden = any(fg.cell_from_row(lr.get(c), "pct").onderdrukt for c in fg.LEERROUTES)
    if any_hidden:
        lr_toelichting = f"{fg.ONDERDRUKT_AANDEEL} = {fg.ONDERDRUKT_NOOT}"
    elif noemer is not None:
        lr_toelichting = f"van {fg.fmt_aantal(noemer)} personen met een eerste PIP in {jaar}"
    else:
        lr_toelichting = f"geen eerste PIP's in {jaar}"

    def toelichting(cell: fg.Cell, base: str) -> str:
        return fg.ONDERDRUKT_NOOT if cell.onderdrukt else base

    return html.Section(
        className="kerncijfers",
        **{"aria-labelledby": "kerncijfers-titel"},
        children=[
            html.H2("Kerncijfers", id="kerncijfers-titel", className="visually-hidden"),
            html.Div(
                className="row g-3",
                children=[
                    _kerncijfer(f"Instroom in {jaar}", jaar_cel.display(),
                                toelichting(jaar_cel, "personen, alle doelgroepen (volledig jaar)"),
                                "kc-instroom-jaar"),
                    _kerncijfer(f"Instroom in het {kwartaal}", kwartaal_cel.display(),
                                toelichting(kwartaal_cel, "personen, alle doelgroepen (laatste volledige kwartaal)"),
                                "kc-instroom-kwartaal"),
                    _kerncijfer("Peildatum", fg.fmt_datum(data.peildatum),
                                "stand van de registratie waarop deze cijfers berusten", "kc-peildatum",
                                "kerncijfer__waarde--datum"),
                    html.Div(
                        className="col-12 col-sm-6 col-xl-3",
                        children=html.Div(
                            className="kerncijfer h-100",
                            children=[
                                html.P(f"Leerroute in het eerste PIP, {jaar}", className="kerncijfer__label"),
                                html.Ul(lr_items, className="leerroute-mix"),
                                html.P(lr_toelichting, className="kerncijfer__toelichting"),
                            ],
                        ),
                    ),
                ],
            ),
        ],
    )


def chart_section(key: str, title: str, figure, view: fg.TableView, definitie: str) -> html.Section:
    """A chart with its definition, its suppression note, its table and a CSV download."""
    notes = []
    if view.has_suppressed:
        notes.append(html.P(
            f"{fg.ONDERDRUKT_AANTAL if key == 'instroom' else fg.ONDERDRUKT_AANDEEL} = {fg.ONDERDRUKT_NOOT}.",
            className="grafiek-noot",
        ))
    return html.Section(
        className="grafiek-blok",
        **{"aria-labelledby": f"{key}-titel"},
        children=[
            html.H2(title, id=f"{key}-titel"),
            html.Figure(
                className="grafiek",
                children=[
                    dcc.Graph(id=f"grafiek-{key}", figure=figure, config=fg.GRAPH_CONFIG),
                    html.Figcaption(
                        f"{title}. De cijfers van deze grafiek staan in de tabel eronder.",
                        className="visually-hidden",
                    ),
                ],
            ),
            *notes,
            html.P([html.Strong("Definitie. "), definitie], className="definitie"),
            html.Details(
                className="tabel-blok",
                children=[
                    html.Summary("Tabel met de cijfers van deze grafiek"),
                    table(view, f"tabel-{key}"),
                ],
            ),
            html.Div(
                className="download-rij",
                children=[
                    html.Button(
                        "Download tabel (CSV)",
                        id={"type": "csv-knop", "tabel": key},
                        className="btn btn-outline-primary btn-sm",
                        type="button",
                    ),
                    dcc.Download(id={"type": "csv-download", "tabel": key}),
                ],
            ),
        ],
    )


def gemeente_keuze(gemeenten: pd.DataFrame, value: str) -> html.Div:
    """The labelled gemeente choice (only gemeenten with data).

    A native <select> (dbc.Select): labelled by <label for>, keyboard and screen-reader friendly out of
    the box, with type-ahead on the gemeente name. (Dash 4's dcc.Dropdown puts an aria-hidden focusable
    proxy input in the page, which axe reports as a serious violation, and ignores <label for>.)
    """
    options = [{"label": r.gemeente_naam, "value": r.gemeente_code} for r in gemeenten.itertuples()]
    return html.Div(
        className="gemeente-keuze",
        children=[
            html.Label("Gemeente", htmlFor="gemeente-keuze", id="gemeente-keuze-label", className="form-label"),
            dbc.Select(id="gemeente-keuze", options=options, value=value, required=True),
        ],
    )


def overzicht(data: OverzichtData) -> html.Div:
    """The Overzicht page for one gemeente."""
    views = table_views(data)
    return html.Div(
        className="overzicht",
        children=[
            dcc.Location(id="overzicht-url", refresh="callback-nav"),
            dcc.Store(id="page-meta", data={"peildatum": fg.fmt_datum(data.peildatum),
                                            "gemeente": data.gemeente_naam}),
            html.Div(
                className="pagina-kop",
                children=[
                    html.Div([
                        html.H1(f"Hoe gaat het met de inburgering in {data.gemeente_naam}?"),
                        html.P(
                            "Instroom en leerroutes van inburgeringsplichtigen onder de Wet inburgering 2021, "
                            f"uit de eigen registratie van de gemeente. Peildatum {fg.fmt_datum(data.peildatum)}.",
                            className="pagina-kop__intro",
                        ),
                    ], className="pagina-kop__tekst"),
                    gemeente_keuze(data.gemeenten, data.gemeente_code),
                ],
            ),
            kerncijfers(data),
            html.Div(
                className="row g-4",
                children=[
                    html.Div(className="col-12 col-xxl-6", children=chart_section(
                        "instroom", "Instroom per kwartaal naar doelgroep",
                        fg.instroom_figure(data.instroom_per_kwartaal), views["instroom"], DEFINITIES["instroom"],
                    )),
                    html.Div(className="col-12 col-xxl-6", children=chart_section(
                        "leerroute", "Leerroutes in het eerste PIP, per jaar",
                        fg.leerroute_figure(data.leerroute_per_jaar, data.lopend_jaar), views["leerroute"],
                        DEFINITIES["leerroute"],
                    )),
                ],
            ),
        ],
    )


def table_views(data: OverzichtData) -> dict[str, fg.TableView]:
    """The table behind each chart of the Overzicht page, by key (for the CSV download)."""
    return {
        "instroom": fg.instroom_table(data.instroom_per_kwartaal, data.gemeente_naam),
        "leerroute": fg.leerroute_table(data.leerroute_per_jaar, data.gemeente_naam, data.lopend_jaar),
    }


def melding(title: str, text: str) -> html.Div:
    """A page that explains why there is nothing to show (no data, warehouse unavailable)."""
    return html.Div(
        className="overzicht",
        children=[
            html.H1(title),
            html.Div(text, className="alert alert-warning", role="status"),
        ],
    )


def melding_onbeschikbaar() -> html.Div:
    """The page shown while the warehouse cannot be read (e.g. a load is swapping it in)."""
    return melding("De monitor is even niet beschikbaar",
                   "Het datawarehouse kan nu niet worden gelezen. Probeer het over een minuut opnieuw.")


def melding_geen_gegevens() -> html.Div:
    """The page shown when no gemeente has figures yet."""
    return melding("Nog geen gegevens", "Er zijn nog geen gegevens geladen voor een gemeente.")


def csv_filename(key: str, gemeente_code: str, data: OverzichtData) -> str:
    """A descriptive file name: instroom_GM0034_peildatum_2025-09-30.csv."""
    peil = data.peildatum.isoformat() if data.peildatum else "onbekend"
    return f"{key}_{gemeente_code}_peildatum_{peil}.csv"



# --- Additions for the Vergelijken, Beleidsdoelen, Datakwaliteit and Definities pages ----------

def definitie_link(indicator_id: str, text: str = "Definitie") -> dcc.Link:
    """A link to the indicator's definition on the Definities page (anchor = indicator id)."""
    return dcc.Link(text, href=f"/definities#{indicator_id}", className="definitie-link")


def download_knoppen(pagina: str, key: str, label: str = "tabel") -> html.Div:
    """CSV and Excel download buttons for one table of a page (one dcc.Download per page serves all)."""
    return html.Div(
        className="download-rij d-flex flex-wrap gap-2",
        children=[
            html.Button(f"Download {label} (CSV)", id={"type": f"{pagina}-download-knop", "tabel": key, "formaat": "csv"},
                        className="btn btn-outline-primary btn-sm", type="button"),
            html.Button(f"Download {label} (Excel)",
                        id={"type": f"{pagina}-download-knop", "tabel": key, "formaat": "xlsx"},
                        className="btn btn-outline-primary btn-sm", type="button"),
        ],
    )


def lazy_tabel(pagina: str, key: str) -> list:
    """The children of a table <details> whose table is filled by a callback on the first opening (for
    large tables: the page itself stays small). The page wires
    Input({"type": f"{pagina}-tabel-summary", "tabel": MATCH}, "n_clicks") ->
    Output({"type": f"{pagina}-tabel-inhoud", "tabel": MATCH}, "children")."""
    return [
        html.Summary("Tabel met de cijfers van deze grafiek", id={"type": f"{pagina}-tabel-summary", "tabel": key}),
        html.Div(html.P("De tabel wordt geladen …", className="small"), id={"type": f"{pagina}-tabel-inhoud", "tabel": key},
                 **{"aria-live": "polite"}),
    ]


def grafiek_sectie(pagina: str, key: str, title: str, figure, view: fg.TableView | None, *, uitleg=None,
                   bron: str | None = None, noten: Iterable[str] = (), kop: str = "h2",
                   open_tabel: bool = False, lazy: bool = False, onderdrukt: bool | None = None) -> html.Section:
    """A chart with its explanation, source, notes, its table (details) and CSV + Excel downloads.
    With lazy=True the table is loaded when the details are first opened (see lazy_tabel); `view` may
    then be None, and `onderdrukt` says whether the chart has hidden values (for the note)."""
    heading = {"h2": html.H2, "h3": html.H3}[kop]
    extra = [html.P(n, className="grafiek-noot") for n in noten if n]
    if (view.has_suppressed if view is not None else bool(onderdrukt)):
        extra.append(html.P(f"{fg.ONDERDRUKT_AANTAL} of {fg.ONDERDRUKT_AANDEEL} = {fg.ONDERDRUKT_NOOT}.",
                            className="grafiek-noot"))
    return html.Section(
        className="grafiek-blok",
        **{"aria-labelledby": f"{key}-titel"},
        children=[
            heading(title, id=f"{key}-titel"),
            html.Figure(
                className="grafiek",
                children=[
                    dcc.Graph(id=f"grafiek-{key}", figure=figure, config=fg.GRAPH_CONFIG),
                    html.Figcaption(f"{title}. De cijfers van deze grafiek staan in de tabel eronder.",
                                    className="visually-hidden"),
                ],
            ),
            *extra,
            html.Div(uitleg, className="definitie") if uitleg else None,
            html.P(bron, className="bron small text-body-secondary") if bron else None,
            html.Details(
                className="tabel-blok",
                open=open_tabel,
                children=lazy_tabel(pagina, key) if lazy else [html.Summary("Tabel met de cijfers van deze grafiek"),
                                                              table(view, f"tabel-{key}")],
            ),
            download_knoppen(pagina, key),
        ],
    )


def tabel_sectie(pagina: str, key: str, title: str, view: fg.TableView, *, uitleg=None, kop: str = "h2") -> html.Section:
    """A table without a chart (shown open), with CSV + Excel downloads."""
    heading = {"h2": html.H2, "h3": html.H3}[kop]
    return html.Section(
        className="grafiek-blok",
        **{"aria-labelledby": f"{key}-titel"},
        children=[
            heading(title, id=f"{key}-titel"),
            html.Div(uitleg, className="definitie") if uitleg else None,
            table(view, f"tabel-{key}"),
            download_knoppen(pagina, key),
        ],
    )


def send_table(view: fg.TableView, formaat: str, stem: str, bron: str | None = None) -> dict:
    """dcc.Download data for a table: Dutch CSV (semicolon, BOM) or an Excel workbook."""
    if formaat == "xlsx":
        data = fg.table_to_xlsx(view, bron)
        return dcc.send_bytes(data, f"{stem}.xlsx",
                              type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return dcc.send_string(view.to_csv(), f"{stem}.csv", type="text/csv")
