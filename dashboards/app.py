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

The start of a page (`MonitorDash.interpolate_index`, `start_scripts`, assets/loader.js): the browser
evaluates only what it needs before Dash can ask the server for the page. Dash's @babel/polyfill is
loaded by old browsers only (the one global of it that Dash's bundles use comes from
assets/regenerator-runtime.min.js: regenerator-runtime 0.13, MIT, copied unchanged from that polyfill file;
a unit test checks it is still the same text); plotly.js is preloaded but evaluated while Dash waits for the
page callback, and not at all on pages without charts (PAGES_WITHOUT_CHARTS); a page's charts are drawn one
per frame.
Measured by bench/bench_dashboard.py (first render in Chromium).
"""
from __future__ import annotations

import atexit
import functools
import gc
import json
import re
import sys
from pathlib import Path

import dash
import flask
from dash import Input, Output, State

from dashboards import layouts, queries, warehouse
from dashboards.figures import fmt_datum
from pipelines import settings

PACKAGE_DIR = Path(__file__).resolve().parent
PAGES_DIR = PACKAGE_DIR / "pages"
ASSETS_DIR = PACKAGE_DIR / "assets"
BOOTSTRAP_CSS = "bootstrap.min.css"
PLOTLY_JS = "plotly-basic.min.js"
# Pages that never draw a chart: opened first, they do not load plotly.js (only a later chart page does).
PAGES_WITHOUT_CHARTS = frozenset({"/definities", "/rapportage"})

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


_SCRIPT_TAG = re.compile(r'<script src="([^"]+)"></script>')
# What Dash's @babel/polyfill (core-js 2 + regenerator) provides; browsers that have it all skip the
# 99 KB polyfill (about 100 ms of script evaluation before anything else can start).
_HAS_ES2017 = ("window.Promise&&window.Symbol&&window.fetch&&Object.assign&&Object.entries&&Array.from"
               "&&Array.prototype.includes&&String.prototype.padStart")


def start_scripts(scripts: str, plotly_url: str | None, charts: bool) -> str:
    """Dash's script tags for the index page, rearranged so that a page starts sooner.

    - Dash's @babel/polyfill is only loaded by browsers that need it (document.write during parsing, so it
      still runs before everything else there); assets/regenerator-runtime.min.js provides the one global
      of it that Dash's bundles use.
    - dash_table's bundle is left out: the dashboard has no DataTable (tests/unit guard that).
    - plotly.js is no parser-blocking script: assets/loader.js evaluates it while Dash waits for the page
      callback, on pages with charts; the file is preloaded (after the scripts) so that it is there by
      then. `plotly_url` is None when assets/plotly-basic.min.js is absent (dcc.Graph then loads Dash's
      full bundle).
    - On pages with charts, dcc.Graph's code chunk (async-graph.js, otherwise fetched only when the first
      chart mounts) is a normal script.
    `charts` is False for pages that never draw a chart (PAGES_WITHOUT_CHARTS)."""
    config = json.dumps({"plotly": plotly_url, "early": bool(charts and plotly_url)}).replace("</", "<\\/")
    out = [f'<script id="monitor-loader" type="application/json">{config}</script>']
    pos = 0
    for m in _SCRIPT_TAG.finditer(scripts):
        out.append(scripts[pos:m.start()])
        pos = m.end()
        src, tag = m.group(1), m.group(0)
        if "/deps/polyfill@" in src:
            tag = f"<script>if(!({_HAS_ES2017})){{document.write('<script src=\"{src}\"><\\/script>')}}</script>"
        elif "/dash_table/bundle." in src:
            tag = ""
        elif "/dcc/dash_core_components." in src and charts:
            tag += f'\n<script src="{src.rsplit("/", 1)[0]}/async-graph.js"></script>'
        out.append(tag)
    out.append(scripts[pos:])
    if charts and plotly_url:
        # after the scripts, so that its download does not hold up theirs
        out.append(f'<link rel="preload" href="{plotly_url}" as="script">')
    return "".join(out)


class MonitorDash(dash.Dash):
    """Dash with a leaner start of each page: see `start_scripts` and assets/loader.js."""

    @functools.cached_property
    def plotly_url(self) -> str | None:
        """URL of assets/plotly-basic.min.js (versioned by its mtime), None when the file is absent; looked
        up once per app, not per page request."""
        plotly_file = ASSETS_DIR / PLOTLY_JS
        if not plotly_file.exists():
            return None
        return f"{self.get_asset_url(PLOTLY_JS)}?m={int(plotly_file.stat().st_mtime)}"

    def interpolate_index(self, **kwargs):
        path = flask.request.path if flask.has_request_context() else "/"
        prefix = self.config.requests_pathname_prefix or "/"
        page = "/" + path[len(prefix):].strip("/") if path.startswith(prefix) else path
        kwargs["scripts"] = start_scripts(kwargs.get("scripts", ""), self.plotly_url,
                                          page not in PAGES_WITHOUT_CHARTS)
        return super().interpolate_index(**kwargs)


def create_app(warehouse_file: Path | None = None) -> dash.Dash:
    """Build the Dash app reading `warehouse_file` (default: settings.warehouse_path())."""
    app = MonitorDash(
        __name__,
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        # Linked by INDEX_STRING (Bootstrap) and loaded by assets/loader.js (plotly), not by Dash.
        assets_ignore=r"^(bootstrap\.min\.css|plotly-basic\.min\.js)$",
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
    freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """Move everything built so far (imported modules, Plotly's validators, the page registry: it lives as
    long as the process) out of the garbage collector's view (gc.freeze), so that a full collection during
    a request only scans what requests create. Measured with bench/bench_dashboard.py: full collections of
    about 115 ms inside page callbacks before, none over 5 ms after. Undone at exit, so that DuckDB's
    bindings are torn down cleanly."""
    global _unfreeze_at_exit
    gc.collect()
    gc.freeze()
    if not _unfreeze_at_exit:
        atexit.register(gc.unfreeze)
        _unfreeze_at_exit = True


_unfreeze_at_exit = False


def server():
    """WSGI factory for gunicorn: `gunicorn 'dashboards.app:server()'`."""
    return create_app().server
