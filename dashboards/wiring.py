"""Wiring shared by pages built from a data module with `lees_pagina(query)`, `pagina(state)`,
`table_views(state)` and `bestandsnaam(tabel, state)` (Beleidsdoelen, Datakwaliteit, Vergelijken)."""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, State, no_update

from dashboards import controls, layouts
from dashboards.warehouse import WarehouseUnavailable


def page_layout(module, query: dict):
    """The page for the URL query, or a plain message when the warehouse is unreadable or empty."""
    try:
        state = module.lees_pagina(query)
    except WarehouseUnavailable:
        return layouts.melding_onbeschikbaar()
    if state is None:
        return layouts.melding_geen_gegevens()
    return module.pagina(state)


def register_table_downloads(app: dash.Dash, prefix: str, module, location: str = controls.LOCATION_ID) -> None:
    """URL filters plus the CSV/Excel download of any table of the page (buttons
    `{"type": f"{prefix}-download-knop", "tabel": .., "formaat": ..}`, target `f"{prefix}-download"`); the
    page state is read from the search string of the dcc.Location `location`."""
    controls.register_url_sync(app)

    @app.callback(
        Output(f"{prefix}-download", "data"),
        Input({"type": f"{prefix}-download-knop", "tabel": ALL, "formaat": ALL}, "n_clicks"),
        State(location, "search"),
        prevent_initial_call=True,
    )
    def download(clicks, search):
        """A table of the page as CSV or Excel: exactly what it shows."""
        trigger = dash.ctx.triggered_id
        if not trigger or not any(clicks or []):
            return no_update
        state = module.lees_pagina(controls.query_uit_url(search))
        view = module.table_views(state).get(trigger["tabel"]) if state else None
        if view is None:
            return no_update
        return layouts.send_table(view, trigger["formaat"], module.bestandsnaam(trigger["tabel"], state))
