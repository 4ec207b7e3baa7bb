"""Definities: what does each figure mean? Every indicator with an anchor `#<indicator-id>`."""
from __future__ import annotations

import dash
from dash import ALL, Input, Output, no_update

from dashboards import definities, layouts
from dashboards.warehouse import WarehouseUnavailable

dash.register_page(
    __name__,
    path="/definities",
    name="Definities",
    title="Definities – Monitor Wet inburgering 2021",
    description="Wat betekenen de cijfers? Definitie, eenheid, soort, conventie en richting van elke indicator.",
    order=23,
)

# The page is rendered after the browser looked for the #anchor: scroll to it (and focus it) once drawn.
_SCROLL_JS = """
function(_) {
    var id = decodeURIComponent((window.location.hash || "").slice(1));
    if (id) {
        setTimeout(function() {
            var el = document.getElementById(id);
            if (el) { el.scrollIntoView(); el.focus({preventScroll: true}); }
        }, 0);
    }
    return window.dash_clientside.no_update;
}
"""


def layout(**_query):
    """The page (no filters: the definitions are the same for every gemeente)."""
    try:
        defs = definities.definities()
    except WarehouseUnavailable:
        return layouts.melding_onbeschikbaar()
    return definities.pagina(defs)


def register_callbacks(app: dash.Dash) -> None:
    """Wire this page's callbacks to `app`."""
    app.clientside_callback(_SCROLL_JS, Output("definities-geladen", "data"), Input("definities-geladen", "data"))

    @app.callback(
        Output("definities-download", "data"),
        Input({"type": "definities-download-knop", "tabel": ALL, "formaat": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def download(clicks):
        """All definitions as CSV or Excel."""
        trigger = dash.ctx.triggered_id
        if not trigger or not any(clicks or []):
            return no_update
        view = definities.definities_table(definities.definities())
        return layouts.send_table(view, trigger["formaat"], "definities_indicatoren")
