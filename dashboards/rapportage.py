"""The Rapportage page: the quarterly council report (pipelines/report) as a PDF or Excel download."""
from __future__ import annotations

from dash import Input, Output, State, dcc, html, no_update
import dash_bootstrap_components as dbc

from dashboards import controls, warehouse
from pipelines.report import MEDIA_TYPES, ReportError, report_bytes, report_filename

PATH = "/rapportage"
BUTTONS = {"pdf": "rapport-download-pdf", "xlsx": "rapport-download-xlsx"}
INHOUD = [
    "kerncijfers met het verloop sinds het vorige kwartaal en hetzelfde kwartaal een jaar eerder, in korte zinnen;",
    "de beleidsdoelen van de gemeente met hun status;",
    "een vergelijking met andere gemeenten (alle geladen gemeenten, provincie, regio) en het landelijke beeld;",
    "een bijlage met de definities en een notitie over de kwaliteit van de gegevens.",
]


def layout(query: dict) -> html.Div:
    """The page for `?gemeente=GM....&periode=YYYY-Qn`: choose a gemeente and quarter, download the report."""
    gemeenten = controls.gemeenten_frame()
    filters = controls.parse_filters(query, gemeenten["gemeente_code"].tolist())
    kwartalen = [p for p in controls.beschikbare_periodes(filters.gemeente) if "-Q" in p]
    filters = controls.met_periode(filters, kwartalen, standaard=kwartalen[-1] if kwartalen else None)
    naam = gemeenten.loc[gemeenten["gemeente_code"] == filters.gemeente, "gemeente_naam"]
    return html.Div(className="rapportage", children=[
        html.Div(className="pagina-kop", children=html.Div(className="pagina-kop__tekst", children=[
            html.H1(f"Welke cijfers krijgt de raad van {naam.iloc[0] if len(naam) else 'de gemeente'} dit kwartaal?"),
            html.P("De kwartaalrapportage voor gemeenteraad, adviesraad en participatieraad: een afdrukbaar "
                   "document (PDF) of een werkmap (Excel) met dezelfde cijfers. Kleine aantallen zijn onderdrukt.",
                   className="pagina-kop__intro"),
        ])),
        controls.filter_bar(filters, gemeenten, kwartalen, show=("gemeente", "periode")),
        html.H2("Wat staat erin?", className="h4"),
        html.Ul([html.Li(t) for t in INHOUD]),
        html.Div(className="d-flex gap-2 flex-wrap my-3", children=[
            dbc.Button("Download rapport (PDF)", id=BUTTONS["pdf"], color="primary"),
            dbc.Button("Download werkmap (Excel)", id=BUTTONS["xlsx"], color="primary", outline=True),
        ]),
        dcc.Loading(html.P(id="rapport-status", role="status", className="text-body-secondary"), type="dot"),
        dcc.Download(id="rapport-download"),
        html.P("Het maken van de PDF duurt enkele seconden.", className="small text-body-secondary"),
    ])


def register_callbacks(app) -> None:
    """The download buttons and the shared URL filters."""
    controls.register_url_sync(app)

    @app.callback(
        Output("rapport-download", "data"),
        Output("rapport-status", "children"),
        Input(BUTTONS["pdf"], "n_clicks"),
        Input(BUTTONS["xlsx"], "n_clicks"),
        State(controls.IDS["gemeente"], "value"),
        State(controls.IDS["periode"], "value"),
        prevent_initial_call=True,
    )
    def download(_pdf, _xlsx, gemeente, kwartaal):
        from dash import ctx

        formaat = "pdf" if ctx.triggered_id == BUTTONS["pdf"] else "xlsx"
        try:
            content = report_bytes(warehouse.current_path(), gemeente, kwartaal, formaat)
        except ReportError as exc:
            return no_update, f"Geen rapport: {exc}"
        namen = controls.gemeenten_frame().set_index("gemeente_code")["gemeente_naam"]
        name = report_filename(str(namen.get(gemeente, gemeente)), kwartaal, formaat)
        return dcc.send_bytes(content, name, type=MEDIA_TYPES[formaat]), f"Rapport {name} is klaar."
