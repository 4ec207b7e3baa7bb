"""Datakwaliteit: how reliable are the loaded data? Thin wiring (URL -> data -> layout). Counts only."""
from __future__ import annotations

from urllib.parse import parse_qs

import dash
from dash import ALL, Input, Output, State, no_update

from dashboards import controls, kwaliteit, layouts
from dashboards.warehouse import WarehouseUnavailable

dash.register_page(
    __name__,
    path="/datakwaliteit",
    name="Datakwaliteit",
    title="Datakwaliteit – Monitor Wet inburgering 2021",
    description="Hoe betrouwbaar zijn de gegevens? Laadhistorie, contractcontroles en quarantaine (alleen aantallen).",
    order=22,
)


def layout(**query):
    """The page for `?gemeente=..`."""
    try:
        state = kwaliteit.lees_pagina(query)
    except WarehouseUnavailable:
        return layouts.melding("De monitor is even niet beschikbaar",
                               "Het datawarehouse kan nu niet worden gelezen. Probeer het over een minuut opnieuw.")
    if state is None:
        return layouts.melding("Nog geen gegevens", "Er zijn nog geen gegevens geladen voor een gemeente.")
    return kwaliteit.pagina(state)


def register_callbacks(app: dash.Dash) -> None:
    """Wire this page's callbacks to `app`."""
    controls.register_url_sync(app)

    @app.callback(
        Output("datakwaliteit-download", "data"),
        Input({"type": "datakwaliteit-download-knop", "tabel": ALL, "formaat": ALL}, "n_clicks"),
        State(controls.LOCATION_ID, "search"),
        prevent_initial_call=True,
    )
    def download(clicks, search):
        """A table of the page as CSV or Excel."""
        trigger = dash.ctx.triggered_id
        if not trigger or not any(clicks or []):
            return no_update
        state = kwaliteit.lees_pagina({k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()})
        view = kwaliteit.table_views(state).get(trigger["tabel"]) if state else None
        if view is None:
            return no_update
        return layouts.send_table(view, trigger["formaat"], kwaliteit.bestandsnaam(trigger["tabel"], state))
