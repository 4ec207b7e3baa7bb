"""Overzicht: how is inburgering going in one gemeente? Thin wiring only (URL -> data -> layout)."""
from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import ALL, MATCH, Input, Output, State, dcc, no_update

from dashboards import beleid, layouts, queries
from dashboards.warehouse import WarehouseUnavailable

dash.register_page(
    __name__,
    path="/",
    name="Overzicht",
    title="Overzicht – Monitor Wet inburgering 2021",
    description="Instroom en leerroutes van inburgeringsplichtigen per gemeente.",
    order=0,
)


def layout(gemeente: str | None = None, **_query):
    """The page for `?gemeente=GM....` (first gemeente with data when absent or unknown)."""
    try:
        data = queries.overzicht_data(gemeente if isinstance(gemeente, str) else None)
    except WarehouseUnavailable:
        return layouts.melding_onbeschikbaar()
    if data is None:
        return layouts.melding_geen_gegevens()
    page = layouts.overzicht(data)
    # Added: change since the previous quarter and the goal status summary (dashboards/beleid.py).
    page.children = [*page.children, *beleid.overzicht_extra(data.gemeente_code, data.gemeente_naam, data.kwartaal),
                     dcc.Download(id="overzicht-extra-download")]
    return page


def register_callbacks(app: dash.Dash) -> None:
    """Wire this page's callbacks to `app` (per app, not global: several apps may live in one process)."""

    @app.callback(
        Output("overzicht-url", "search"),
        Input("gemeente-keuze", "value"),
        prevent_initial_call=True,
    )
    def kies_gemeente(gemeente):
        """Put the chosen gemeente in the URL; the page is rebuilt from the URL (bookmarkable)."""
        return f"?{urlencode({'gemeente': gemeente})}" if gemeente else no_update

    @app.callback(
        Output({"type": "csv-download", "tabel": MATCH}, "data"),
        Input({"type": "csv-knop", "tabel": MATCH}, "n_clicks"),
        State("gemeente-keuze", "value"),
        prevent_initial_call=True,
    )
    def download_csv(n_clicks, gemeente):
        """The table behind a chart as CSV: exactly what the chart shows, suppressed as shown."""
        if not n_clicks:
            return no_update
        data = queries.overzicht_data(gemeente)
        if data is None:
            return no_update
        key = dash.ctx.triggered_id["tabel"]
        view = layouts.table_views(data)[key]
        return dcc.send_string(view.to_csv(), layouts.csv_filename(key, data.gemeente_code, data), type="text/csv")

    @app.callback(
        Output("overzicht-extra-download", "data"),
        Input({"type": "overzicht-extra-download-knop", "tabel": ALL, "formaat": ALL}, "n_clicks"),
        State("gemeente-keuze", "value"),
        prevent_initial_call=True,
    )
    def download_extra(clicks, gemeente):
        """The change-since-last-quarter table as CSV or Excel."""
        trigger = dash.ctx.triggered_id
        if not trigger or not any(clicks or []):
            return no_update
        data = queries.overzicht_data(gemeente)
        if data is None or data.kwartaal is None:
            return no_update
        view = beleid.verandering_table(beleid.verandering_rows(data.gemeente_code, data.kwartaal), data.kwartaal,
                                        data.gemeente_naam)
        return layouts.send_table(view, trigger["formaat"], f"verandering_{data.gemeente_code}_{data.kwartaal}")
