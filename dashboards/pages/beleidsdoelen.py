"""Beleidsdoelen: does the gemeente reach its own policy goals? Thin wiring (URL -> data -> layout)."""
from __future__ import annotations

from urllib.parse import parse_qs

import dash
from dash import ALL, Input, Output, State, no_update

from dashboards import beleid, controls, layouts
from dashboards.warehouse import WarehouseUnavailable

dash.register_page(
    __name__,
    path="/beleidsdoelen",
    name="Beleidsdoelen",
    title="Beleidsdoelen – Monitor Wet inburgering 2021",
    description="Halen we onze beleidsdoelen? Status, verloop, streefwaarde en bron van elk doel.",
    order=21,
)


def layout(**query):
    """The page for `?gemeente=..&periode=..`."""
    try:
        state = beleid.lees_pagina(query)
    except WarehouseUnavailable:
        return layouts.melding("De monitor is even niet beschikbaar",
                               "Het datawarehouse kan nu niet worden gelezen. Probeer het over een minuut opnieuw.")
    if state is None:
        return layouts.melding("Nog geen gegevens", "Er zijn nog geen gegevens geladen voor een gemeente.")
    return beleid.pagina(state)


def register_callbacks(app: dash.Dash) -> None:
    """Wire this page's callbacks to `app`."""
    controls.register_url_sync(app)

    @app.callback(
        Output("beleidsdoelen-download", "data"),
        Input({"type": "beleidsdoelen-download-knop", "tabel": ALL, "formaat": ALL}, "n_clicks"),
        State(controls.LOCATION_ID, "search"),
        prevent_initial_call=True,
    )
    def download(clicks, search):
        """A goal's table as CSV or Excel: exactly what its chart shows."""
        trigger = dash.ctx.triggered_id
        if not trigger or not any(clicks or []):
            return no_update
        state = beleid.lees_pagina({k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()})
        view = beleid.table_views(state).get(trigger["tabel"]) if state else None
        if view is None:
            return no_update
        return layouts.send_table(view, trigger["formaat"], beleid.bestandsnaam(trigger["tabel"], state))
