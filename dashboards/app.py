"""The Dash app: `create_app()` wires pages, offline assets and the layout shell.

Serve for development with `python app.py` at the repository root. Under gunicorn (each worker builds
its own app and its own read-only warehouse connection):

    gunicorn -w 2 -b 127.0.0.1:8050 'dashboards.app:server()'

`server()` is a factory (gunicorn calls it once per worker); the warehouse comes from
$INBURGERING_WAREHOUSE or data/warehouse.duckdb, and must exist (build it with `python app.py` or
the pipeline first).

Everything the browser loads is served by the app itself (serve_locally, no CDN, no web fonts):
assets/bootstrap.min.css is Bootstrap 5.3 from npm (source-map line removed); assets/plotly-basic.min.js
is plotly.js-basic-dist-min at the version plotly.py ships (bar, scatter and pie traces only), which
dcc.Graph uses instead of the 4.8 MB full bundle and halves the time to the first chart. A page that
needs other trace types (maps, heatmaps) can delete that file: dcc.Graph then loads the full bundle.
"""
from __future__ import annotations

import sys
from pathlib import Path

import dash
from dash import Input, Output, State

from dashboards import layouts, queries, warehouse
from dashboards.figures import fmt_datum
from pipelines import settings

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR / "assets"
BOOTSTRAP_CSS = "bootstrap.min.css"

# lang="nl" for screen readers and hyphenation; Bootstrap is linked before the app's own CSS so that
# assets/app.css (loaded by Dash through {%css%}) overrides it.
INDEX_STRING = """<!DOCTYPE html>
<html lang="nl">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        <link rel="stylesheet" href="__BOOTSTRAP__">
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


def footer_peildatum() -> str:
    """The peildatum (or range) of the data currently loaded, for the footer."""
    try:
        van, tot = queries.peildatum_bereik()
    except warehouse.WarehouseUnavailable:
        return "onbekend"
    if tot is None:
        return "onbekend"
    return fmt_datum(tot) if van == tot else f"{fmt_datum(van)} tot en met {fmt_datum(tot)}"


def create_app(warehouse_file: Path | None = None) -> dash.Dash:
    """Build the Dash app reading `warehouse_file` (default: settings.warehouse_path())."""
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        assets_ignore=r"^bootstrap\.min\.css$",
        serve_locally=True,
        title=layouts.APP_TITLE,
        update_title=None,
        include_pages_meta=False,
        # Page layouts depend on the URL and on the warehouse; ids of one page are absent on another.
        suppress_callback_exceptions=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.server.config[warehouse.CONFIG_KEY] = str(warehouse_file or settings.warehouse_path())
    app.index_string = INDEX_STRING.replace("__BOOTSTRAP__", app.get_asset_url(BOOTSTRAP_CSS))

    def serve_layout():
        return layouts.shell(dash.page_registry.values(), footer_peildatum(), dash.page_container)

    app.layout = serve_layout

    # Pages register their callbacks on this app (Dash's global `dash.callback` list is consumed by
    # whichever app serves first, which breaks a second app in the same process, e.g. in tests).
    for page in dash.page_registry.values():
        module = sys.modules.get(page["module"])
        if module is not None and hasattr(module, "register_callbacks"):
            module.register_callbacks(app)

    # Once a page reports its gemeente: the footer names that gemeente's peildatum, and after a change
    # of gemeente (the page is rebuilt from the URL) keyboard focus returns to the gemeente choice and a
    # live region tells screen-reader users what is shown now.
    app.clientside_callback(
        """
        function(meta, current) {
            if (!meta) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
            var status = window.dash_clientside.no_update;
            if (window.__inburgeringRendered) {
                var keuze = document.getElementById("gemeente-keuze");
                if (keuze && (!document.activeElement || document.activeElement === document.body)) {
                    keuze.focus();
                }
                status = "Cijfers voor " + meta.gemeente + " getoond.";
            }
            window.__inburgeringRendered = true;
            return [meta.peildatum || current, status];
        }
        """,
        Output("footer-peildatum", "children"),
        Output("status-melding", "children"),
        Input("page-meta", "data"),
        State("footer-peildatum", "children"),
    )
    return app


def server():
    """WSGI factory for gunicorn: `gunicorn 'dashboards.app:server()'`."""
    return create_app().server
