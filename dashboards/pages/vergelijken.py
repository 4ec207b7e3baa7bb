"""Vergelijken: how does the gemeente do compared with other gemeenten? Thin wiring (URL -> data -> layout)."""
from __future__ import annotations

import dash
from dash import MATCH, Input, Output, State, no_update

from dashboards import controls, layouts, wiring
from dashboards import vergelijken as vg

dash.register_page(
    __name__,
    path="/vergelijken",
    name="Vergelijken",
    title="Vergelijken – Monitor Wet inburgering 2021",
    description="Hoe doen we het vergeleken met andere gemeenten? Eén indicator over de gemeenten van een groep.",
    order=20,
)

# Writes the page's own choices (indicator, groep) to the URL, keeping the filter parameters.
_URL_JS = """
function(indicator, groep) {
    var params = new URLSearchParams(window.location.search);
    if (indicator) { params.set("indicator", indicator); }
    if (groep) { params.set("groep", groep); }
    var next = "?" + params.toString();
    return next === window.location.search ? window.dash_clientside.no_update : next;
}
"""


def layout(**query):
    """The page for `?gemeente=..&periode=..&doelgroep=..&indicator=..&groep=..`."""
    return wiring.page_layout(vg, query)


def register_callbacks(app: dash.Dash) -> None:
    """Wire this page's callbacks to `app`."""
    wiring.register_table_downloads(app, "vergelijken", vg, location="vergelijken-url")
    app.clientside_callback(
        _URL_JS,
        Output("vergelijken-url", "search"),
        Input("vergelijken-indicator", "value"),
        Input("vergelijken-groep", "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output({"type": "vergelijken-tabel-inhoud", "tabel": MATCH}, "children"),
        Input({"type": "vergelijken-tabel-summary", "tabel": MATCH}, "n_clicks"),
        State("vergelijken-url", "search"),
        prevent_initial_call=True,
    )
    def tabel(n_clicks, search):
        """The table behind a chart, built when its details are first opened (keeps the page small)."""
        if not n_clicks:
            return no_update
        key = dash.ctx.triggered_id["tabel"]
        state = vg.lees_pagina(controls.query_uit_url(search))
        view = vg.table_view(state, key) if state else None
        return layouts.table(view, f"tabel-{key}", als_json=True) if view is not None else no_update
