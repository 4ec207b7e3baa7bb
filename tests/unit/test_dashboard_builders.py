"""Dashboard builders without a browser: queries, figures, table views, layouts and the app shell."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb

from pipelines.indicators.engine import publish
import pandas as pd
import plotly.graph_objects as go
import pytest
from dash import dcc, html
from plotly.io.json import to_json_plotly as to_json   # what Dash serialises callback output with

from dashboards import figures as fg
from dashboards import controls, layouts, queries, warehouse
from pipelines.indicators.suppression import suppress

COLUMNS = ["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]


def rows(records: list[tuple]) -> pd.DataFrame:
    """Suppressed tidy indicator rows from tuples."""
    return suppress(pd.DataFrame(records, columns=COLUMNS))


def instroom(gemeente: str, periode: str, doelgroep: str, n: int) -> tuple:
    return ("instroom", gemeente, periode, doelgroep, None, n, None, float(n))


def leerroute(gemeente: str, periode: str, categorie: str, teller: int, noemer: int) -> tuple:
    return ("leerroute_aandeel_pct", gemeente, periode, "alle", categorie, teller, noemer, 100.0 * teller / noemer)


def walk(component):
    """Every Dash component in a layout tree."""
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def texts(component) -> str:
    """All string children in a layout tree, joined."""
    out = []
    for c in walk(component):
        kids = getattr(c, "children", None)
        for k in kids if isinstance(kids, (list, tuple)) else [kids]:
            if isinstance(k, str):
                out.append(k)
    return " ".join(out)


# --- A tiny warehouse with the lead's table layout --------------------------------------------

def build_warehouse(path: Path, records: list[tuple], peildata: dict[str, dt.date]) -> Path:
    """Write a small warehouse file (built aside, then swapped in like the load step does)."""
    tmp = path.with_name(path.name + ".tmp")
    con = duckdb.connect(str(tmp))
    frame = pd.DataFrame(records, columns=COLUMNS)
    con.execute("CREATE TABLE mart_indicatoren(indicator VARCHAR, gemeente_code VARCHAR, periode VARCHAR, "
                "doelgroep VARCHAR, categorie VARCHAR, teller BIGINT, noemer BIGINT, waarde DOUBLE)")
    con.execute("INSERT INTO mart_indicatoren SELECT * FROM frame")
    con.execute("CREATE TABLE ref_gemeenten AS SELECT * FROM (VALUES ('GM0034', 'Almere', 'Flevoland', 'Flevoland', "
                "226500, 2024), ('GM0384', 'Diemen', 'Noord-Holland', 'Groot Amsterdam', 32000, 2024), "
                "('GM0141', 'Almelo', 'Overijssel', 'Twente', 73000, 2024)) t(gemeente_code, gemeente_naam, "
                "provincie, arbeidsmarktregio, inwoners, inwoners_peiljaar)")
    con.execute("CREATE TABLE snapshot_current(gemeente_code VARCHAR, target_table VARCHAR, peildatum DATE, "
                "load_id VARCHAR, file_name VARCHAR, loaded_at TIMESTAMP)")
    for code, peil in peildata.items():
        con.execute("INSERT INTO snapshot_current VALUES (?, 'personen', ?, 'l1', 'f.csv', now())", [code, peil])
    publish(con)   # the real small-number protection, as the load step runs it
    con.close()
    os.replace(tmp, path)
    return path


def sample_records() -> list[tuple]:
    recs = []
    for periode, (a, g, o) in {"2024-Q3": (40, 12, 3), "2024-Q4": (38, 10, 0), "2025-Q1": (41, 2, 6),
                               "2025-Q2": (44, 15, 7), "2025-Q3": (9, 1, 0)}.items():
        for d, n in zip(("asiel", "gezin", "overig"), (a, g, o)):
            recs.append(instroom("GM0034", periode, d, n))
        recs.append(instroom("GM0034", periode, "alle", a + g + o))
    recs += [instroom("GM0034", "2024", "alle", 1234), instroom("GM0034", "2025", "alle", 120)]
    recs += [leerroute("GM0034", "2024", c, t, 200) for c, t in (("B1", 125), ("ONDERWIJS", 25), ("Z", 50))]
    recs += [leerroute("GM0034", "2025", c, t, 8) for c, t in (("B1", 5), ("ONDERWIJS", 1), ("Z", 2))]
    recs += [instroom("GM0384", "2025-Q1", "alle", 3), instroom("GM0384", "2024", "alle", 3)]
    return recs


@pytest.fixture
def wh(tmp_path) -> Path:
    path = build_warehouse(tmp_path / "warehouse.duckdb", sample_records(),
                           {"GM0034": dt.date(2025, 8, 15), "GM0384": dt.date(2025, 6, 30)})
    yield path
    warehouse.close_all()


# --- Formatting and periods -------------------------------------------------------------------

def test_dutch_number_formats():
    assert fg.fmt_aantal(1234) == "1.234"
    assert fg.fmt_aantal(1234567.0) == "1.234.567"
    assert fg.fmt_pct(12.5) == "12,5 %"
    assert fg.fmt_pct(100 * 2 / 3) == "66,7 %"
    assert fg.fmt_aantal(None) == "." and fg.fmt_pct(pd.NA) == "."
    assert fg.fmt_datum(dt.date(2025, 9, 30)) == "30 september 2025"
    assert fg.fmt_periode("2025-Q3") == "2025 K3" and fg.fmt_periode("2025-Q3", lang=True) == "3e kwartaal 2025"


@pytest.mark.parametrize("peil, jaar, kwartaal, lopend", [
    (dt.date(2025, 9, 30), "2024", "2025-Q3", "2025"),
    (dt.date(2025, 8, 15), "2024", "2025-Q2", "2025"),
    (dt.date(2025, 2, 1), "2024", "2024-Q4", "2025"),
    (dt.date(2025, 12, 31), "2025", "2025-Q4", None),
    (dt.date(2025, 3, 31), "2024", "2025-Q1", "2025"),
])
def test_complete_periods(peil, jaar, kwartaal, lopend):
    assert queries.laatste_volledige_jaar(peil) == jaar
    assert queries.laatste_volledige_kwartaal(peil) == kwartaal
    assert queries.lopend_jaar(peil) == lopend


# --- Figures ----------------------------------------------------------------------------------

def test_instroom_figure_traces_and_values():
    df = rows([instroom("GM0034", "2025-Q1", d, n) for d, n in (("asiel", 40), ("gezin", 12), ("overig", 6))]
              + [instroom("GM0034", "2025-Q2", d, n) for d, n in (("asiel", 1234), ("gezin", 0), ("overig", 7))])
    fig = fg.instroom_figure(df)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["Asielstatushouders", "Gezinsmigranten", "Overige migranten"]
    assert list(bars[0].y) == [40.0, 1234.0]
    assert list(bars[1].y) == [12.0, 0.0]  # a real zero is shown as zero
    assert list(bars[0].x[1]) == ["K1", "K2"] and list(bars[0].x[0]) == ["2025", "2025"]
    assert fig.layout.barmode == "stack"
    assert fig.to_plotly_json()["layout"]["template"]["layout"]["separators"] == ",."  # house template, sent along
    assert len(fig.data) == 3  # nothing suppressed: no marker trace
    assert len({t.marker.color for t in bars}) == 3


def test_instroom_figure_marks_suppressed_not_zero():
    df = rows([instroom("GM0384", "2025-Q1", "asiel", 12), instroom("GM0384", "2025-Q1", "gezin", 3),
               instroom("GM0384", "2025-Q1", "overig", 0)])
    fig = fg.instroom_figure(df)
    gezin = next(t for t in fig.data if t.name == "Gezinsmigranten")
    assert gezin.y[0] is None  # no bar, not a zero bar
    marker = next(t for t in fig.data if t.type == "scatter")
    assert list(marker.text) == ["<5"]
    assert "onderdrukt: te klein aantal" in marker.hovertext[0] and "Gezinsmigranten" in marker.hovertext[0]
    assert marker.y[0] == 12.0  # on top of the visible stack
    # The suppressed count itself is nowhere in the figure.
    assert 3.0 not in [v for t in fig.data if t.type == "bar" for v in t.y]


def test_leerroute_figure_values_and_suppression():
    df = rows([leerroute("GM0034", "2024", c, t, 200) for c, t in (("B1", 125), ("ONDERWIJS", 25), ("Z", 50))]
              + [leerroute("GM0034", "2025", c, t, 8) for c, t in (("B1", 5), ("ONDERWIJS", 1), ("Z", 2))])
    fig = fg.leerroute_figure(df, lopend_jaar="2025")
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == ["B1-route", "Onderwijsroute", "Zelfredzaamheidsroute (Z-route)"]
    assert list(bars[0].x) == ["2024", "2025 (lopend)"]
    assert bars[0].y[0] == pytest.approx(62.5) and bars[0].y[1] is None
    assert fig.layout.barmode == "group" and fig.layout.yaxis.ticksuffix == " %"
    marker = next(t for t in fig.data if t.type == "scatter")
    assert list(marker.x) == ["2025 (lopend)"] and list(marker.text) == ["– onderdrukt"]


def test_empty_rows_give_a_message_not_empty_axes():
    fig = fg.instroom_figure(rows([]))
    assert "Geen gegevens" in fig.layout.annotations[0].text


# --- Table views ------------------------------------------------------------------------------

def test_plain_figure_dict_equals_the_validated_figure():
    """figuur_json skips Plotly's validation; what Plotly.js receives is the same as from figuur."""
    traces = [dict(type="scatter", name="a", x=[1.0, 2.0], y=["x", "y"], mode="markers",
                   marker=dict(color=fg.OKABE_ITO["blauw"], size=10)), None]
    layout = dict(height=300, xaxis=dict(title=dict(text="Aandeel"), ticksuffix=" %"),
                  shapes=[dict(type="line", x0=1, x1=1, y0=0, y1=1, yref="paper")])
    extra = dict(yaxis=dict(type="category"))
    raw = fg.figuur_json(traces, layout, extra)
    assert raw["layout"]["template"] is fg.HOUSE_TEMPLATE_JSON and len(raw["data"]) == 1
    assert go.Figure(raw).to_plotly_json() == fg.figuur(traces, layout, extra).to_plotly_json()
    with pytest.raises(ValueError):   # the check the unit tests of its users rely on
        go.Figure(fg.figuur_json([dict(type="scatter", x=[1], colour="red")], layout))


def test_instroom_table_is_what_the_chart_shows():
    df = rows([instroom("GM0034", "2025-Q1", d, n) for d, n in (("asiel", 1234), ("gezin", 2), ("overig", 0))])
    view = fg.instroom_table(df, "Almere")
    assert view.columns == ("Kwartaal", "Asielstatushouders", "Gezinsmigranten", "Overige migranten")
    label, cells = view.rows[0]
    assert label == "2025 K1"
    assert [c.display() for c in cells] == ["1.234", "<5", "0"]
    assert view.has_suppressed
    assert "<5 = onderdrukt: te klein aantal." in view.footnotes()
    assert "Almere" in view.caption
    csv_text = view.to_csv()
    assert csv_text.startswith("\ufeffKwartaal;Asielstatushouders;")
    assert csv_text.splitlines()[1] == "2025 K1;1234;<5;0"


def test_table_as_json_is_what_dash_sends_for_the_components():
    """layouts.table(als_json=True) skips Dash's component objects; the browser gets the same JSON."""
    df = rows([instroom("GM0034", "2025-Q1", d, n) for d, n in (("asiel", 1234), ("gezin", 2), ("overig", 0))]
              + [instroom("GM0034", "2025-Q2", d, n) for d, n in (("asiel", 7), ("gezin", 11), ("overig", 3))])
    view = fg.instroom_table(df, "Almere")
    assert view.footnotes() and any(c.onderdrukt for _, cells in view.rows for c in cells)
    components = layouts.table(view, "tabel-instroom")
    assert isinstance(components, html.Div)
    as_json = layouts.table(view, "tabel-instroom", als_json=True)
    assert isinstance(as_json, dict)
    assert json.loads(to_json(as_json)) == json.loads(to_json(components))
    assert '"className": "onderdrukt"' in json.dumps(as_json) and '"scope": "row"' in json.dumps(as_json)


def test_leerroute_table_shares_and_noemer():
    df = rows([leerroute("GM0034", "2024", c, t, 1200) for c, t in (("B1", 750), ("ONDERWIJS", 150), ("Z", 300))]
              + [leerroute("GM0034", "2025", c, t, 8) for c, t in (("B1", 5), ("ONDERWIJS", 1), ("Z", 2))])
    view = fg.leerroute_table(df, lopend_jaar="2025")
    assert [c.display() for c in view.rows[0][1]] == ["62,5 %", "12,5 %", "25,0 %", "1.200"]
    assert view.rows[1][0] == "2025 (lopend)"
    assert [c.display() for c in view.rows[1][1]] == ["–", "–", "–", "<10"]
    assert "– of <10 = onderdrukt: te klein aantal." in view.footnotes()
    assert view.to_csv().splitlines()[1] == "2024;62,5;12,5;25,0;1200"


# --- Queries on a small warehouse -------------------------------------------------------------

def test_overzicht_data_reads_suppressed_marts(wh):
    data = queries.overzicht_data("gm0034", path=wh)
    assert data.gemeente_code == "GM0034" and data.gemeente_naam == "Almere"
    assert data.peildatum == dt.date(2025, 8, 15)
    assert (data.jaar, data.kwartaal, data.lopend_jaar) == ("2024", "2025-Q2", "2025")
    assert data.instroom_jaar["waarde"].tolist() == [1234]
    # The running quarter 2025-Q3 is left out of the chart.
    assert sorted(data.instroom_per_kwartaal["periode"].unique()) == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    assert set(data.instroom_per_kwartaal["doelgroep"]) == {"asiel", "gezin", "overig"}
    small = data.instroom_per_kwartaal.query("periode == '2025-Q1' and doelgroep == 'gezin'").iloc[0]
    assert bool(small["onderdrukt"]) and pd.isna(small["waarde"])
    assert list(data.gemeenten["gemeente_naam"]) == ["Almere", "Diemen"]  # only gemeenten with data


def test_unknown_gemeente_falls_back_to_the_first_with_data(wh):
    assert queries.overzicht_data("GM9999", path=wh).gemeente_code == "GM0034"
    assert queries.overzicht_data(None, path=wh).gemeente_code == "GM0034"


def test_warehouse_is_read_only_and_reopens_after_a_swap(wh):
    assert queries.indicator_rows("instroom", "GM0384", periode="2024", path=wh)["onderdrukt"].tolist() == [True]
    with pytest.raises(duckdb.Error):
        warehouse.query("DELETE FROM mart_indicatoren", path=wh)
    # A new load swaps in a new file: the next query sees it without a restart.
    build_warehouse(wh, [instroom("GM0384", "2024", "alle", 55)], {"GM0384": dt.date(2025, 6, 30)})
    fresh = queries.indicator_rows("instroom", "GM0384", periode="2024", path=wh)
    assert fresh["waarde"].tolist() == [55]


def test_query_results_are_cached_per_warehouse_version_and_cannot_be_changed_by_callers(wh, monkeypatch):
    sql = "SELECT waarde FROM mart_indicatoren WHERE gemeente_code = ? ORDER BY periode, doelgroep"
    first = warehouse.query(sql, ["GM0034"], path=wh)
    first.loc[0, "waarde"] = -1                      # a caller changing its frame ...
    executed = []
    real = warehouse._handle

    def spy(path):
        handle = real(path)
        executed.append(handle.signature)
        return handle

    monkeypatch.setattr(warehouse, "_handle", spy)
    again = warehouse.query(sql, ["GM0034"], path=wh)
    assert again.loc[0, "waarde"] != -1              # ... does not change what the next caller gets
    assert again.equals(warehouse.query(sql, ["GM0034"], path=wh))
    with warehouse._lock:
        cached = [k for k in warehouse._results if k[2] == sql]
    assert len(cached) == 1 and cached[0][1] == executed[-1]   # keyed by the file's identity
    # A budget of 0 MB keeps nothing: results still come straight from DuckDB.
    monkeypatch.setenv("INBURGERING_CACHE_MB", "0")
    warehouse.clear_cache()
    assert warehouse.query(sql, ["GM0034"], path=wh).equals(again)
    with warehouse._lock:
        assert not warehouse._results


def test_missing_warehouse_is_reported(tmp_path):
    with pytest.raises(warehouse.WarehouseUnavailable):
        controls.gemeenten_frame(tmp_path / "nope.duckdb")


# --- Layouts ----------------------------------------------------------------------------------

def test_overzicht_layout_has_one_h1_labels_tables_and_notes(wh):
    data = queries.overzicht_data("GM0034", path=wh)
    page = layouts.overzicht(data)
    h1s = [c for c in walk(page) if isinstance(c, html.H1)]
    assert len(h1s) == 1 and h1s[0].children == "Hoe gaat het met de inburgering in Almere?"
    label = next(c for c in walk(page) if isinstance(c, html.Label))
    assert label.htmlFor == "gemeente-keuze" and label.children == "Gemeente"
    keuze = next(c for c in walk(page) if getattr(c, "id", None) == "gemeente-keuze")
    assert keuze.value == "GM0034" and [o["label"] for o in keuze.options] == ["Almere", "Diemen"]
    captions = [c.children for c in walk(page) if isinstance(c, html.Caption)]
    assert captions[0].startswith("Instroom per kwartaal naar doelgroep")
    assert captions[1].startswith("Leerroute in het eerste PIP")
    all_text = texts(page)
    assert "Instroom per kwartaal naar doelgroep" in all_text
    assert "Leerroutes in het eerste PIP, per jaar" in all_text
    assert all_text.count("Definitie. ") == 2
    assert "onderdrukt: te klein aantal" in all_text  # 2025-Q1 gezin = 2
    assert len([c for c in walk(page) if isinstance(c, dcc.Download)]) == 2
    assert len([c for c in walk(page) if isinstance(c, dcc.Graph)]) == 2
    kc = next(c for c in walk(page) if getattr(c, "id", None) == "kc-instroom-jaar")
    assert kc.children == "1.234"


def test_suppressed_key_figure_shows_as_suppressed(wh):
    data = queries.overzicht_data("GM0384", path=wh)
    page = layouts.overzicht(data)
    kc = next(c for c in walk(page) if getattr(c, "id", None) == "kc-instroom-jaar")
    assert kc.children == "<5"


def test_shell_has_landmarks_and_source_line():
    shell = layouts.shell([{"name": "Overzicht", "relative_path": "/"}], "30 september 2025", html.Div(id="x"))
    kinds = {type(c) for c in walk(shell)}
    assert {html.Header, html.Nav, html.Main, html.Footer} <= kinds
    assert "Bron: eigen gemeentelijke registratie; peildatum " in texts(shell)
    assert not any(isinstance(c, html.H1) for c in walk(shell))  # the page owns the only h1


# --- The app ----------------------------------------------------------------------------------

def test_app_serves_dutch_offline_page(wh):
    from dashboards.app import create_app

    app = create_app(wh)
    assert app.title == "Monitor Wet inburgering 2021"
    client = app.server.test_client()
    index = client.get("/?gemeente=GM0034").get_data(as_text=True)
    assert '<html lang="nl">' in index
    assert "/assets/bootstrap.min.css" in index and "/assets/app.css" in index
    assert index.index("bootstrap.min.css") < index.index("app.css")  # house style overrides Bootstrap
    assert "cdn" not in index.lower() and "fonts.googleapis" not in index
    assert client.get("/assets/bootstrap.min.css").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_each_app_gets_the_page_callbacks(wh, tmp_path):
    import json

    from dashboards.app import create_app

    apps = [create_app(wh), create_app(tmp_path / "other.duckdb")]
    for app in apps:
        deps = json.loads(app.server.test_client().get("/_dash-dependencies").get_data(as_text=True))
        outputs = [d["output"] for d in deps]
        assert outputs.count("overzicht-url.search") == 1
        assert sum("csv-download" in o for o in outputs) == 1


def test_vendored_assets_are_offline_and_in_step():
    import re

    import plotly

    from dashboards.app import ASSETS_DIR

    css = (ASSETS_DIR / "bootstrap.min.css").read_text(encoding="utf-8")
    assert "Bootstrap  v5.3" in css[:200] and "sourceMappingURL" not in css
    assert not re.search(r"url\((?!\"?data:)", css)  # no fonts or images fetched from elsewhere
    assert "@import" not in (ASSETS_DIR / "app.css").read_text(encoding="utf-8")
    # dcc.Graph uses this basic bundle (assets/loader.js); it must be the plotly.js that plotly.py was
    # built for (delete the asset to fall back to the full bundle, e.g. for map traces).
    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:300]
    basic = (ASSETS_DIR / "plotly-basic.min.js").read_text(encoding="utf-8")[:300]
    version = re.compile(r"v(\d+\.\d+\.\d+)")
    assert version.search(basic).group(1) == version.search(full).group(1)


# --- The start of a page ----------------------------------------------------------------------

def _script_srcs(index: str) -> list[str]:
    import re

    return re.findall(r'<script src="([^"]+)"></script>', index)   # not the one inside document.write


def test_index_loads_plotly_late_and_only_on_chart_pages(wh):
    import json
    import re

    from dashboards.app import create_app

    client = create_app(wh).server.test_client()
    for path, charts in (("/instroom?gemeente=GM0034", True), ("/", True), ("/definities", False),
                         ("/rapportage", False)):
        index = client.get(path).get_data(as_text=True)
        srcs = _script_srcs(index)
        # plotly.js is never a parser-blocking script, and never the full bundle
        assert not any("plotly" in s for s in srcs), srcs
        config = json.loads(re.search(r'<script id="monitor-loader" type="application/json">(.*?)</script>',
                                      index).group(1))
        assert config["plotly"].startswith("/assets/plotly-basic.min.js") and config["early"] is charts
        assert ('rel="preload" href="/assets/plotly-basic.min.js' in index) is charts
        assert any(s.endswith("/dcc/async-graph.js") for s in srcs) is charts
        # the loader runs before Dash's renderer (it pins the URL dcc.Graph would load plotly from)
        loader = next(i for i, s in enumerate(srcs) if "/assets/loader.js" in s)
        assert loader < next(i for i, s in enumerate(srcs) if "dash_renderer" in s)
        # Dash's polyfill only for browsers without ES2017; regenerator's global always
        assert not any("polyfill@" in s for s in srcs)
        assert "document.write('<script src=\"/_dash-component-suites/dash/deps/polyfill@" in index
        assert any("/assets/regenerator-runtime.min.js" in s for s in srcs)
        assert not any("dash_table" in s for s in srcs)
    assert client.get(config["plotly"]).status_code == 200
    assert client.get("/_dash-component-suites/dash/dcc/async-graph.js").status_code == 200


def test_without_the_basic_bundle_dash_loads_plotly_as_usual():
    from dashboards.app import start_scripts

    scripts = ('<script src="/_dash-component-suites/dash/deps/polyfill@7.v1.12.1.min.js"></script>\n'
               '<script src="/_dash-component-suites/dash/dcc/dash_core_components.v1.js"></script>')
    out = start_scripts(scripts, None, charts=True)
    assert '"plotly": null' in out and '"early": false' in out and "preload" not in out
    assert '<script src="/_dash-component-suites/dash/dcc/async-graph.js"></script>' in out


def test_dashboard_uses_no_datatable():
    # start_scripts leaves dash_table's bundle out of the page: a DataTable would not render.
    from dashboards.app import PACKAGE_DIR

    import re

    use = re.compile(r"DataTable\(|dash_table\.|import dash_table|from dash import .*\bdash_table\b")
    for path in PACKAGE_DIR.rglob("*.py"):
        assert not use.search(path.read_text(encoding="utf-8")), path


def test_regenerator_runtime_asset_is_the_one_in_dashs_polyfill():
    import dash

    from dashboards.app import ASSETS_DIR

    asset = (ASSETS_DIR / "regenerator-runtime.min.js").read_text(encoding="utf-8")
    body = asset.split("!function(n){", 1)[1].rsplit("}({exports:{}});", 1)[0]
    polyfill = (Path(dash.__file__).parent / "deps" / "polyfill@7.12.1.min.js").read_text(encoding="utf-8")
    assert len(body) > 5000 and body in polyfill
    assert body.endswith('Function("r","regeneratorRuntime = r")(e)}')
