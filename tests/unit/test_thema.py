"""Builders of the thematic pages and the shared filter bar, without a browser.

Expected figures are read straight from the demo warehouse's mart_indicatoren_publicatie.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import duckdb
import pytest

from dashboards import controls, layouts, thema, warehouse
from dashboards import figures as fg
from dashboards.controls import Filters
from tests.conftest import kenmerk_publicatie


@pytest.fixture(scope="module")
def wh(demo_warehouse) -> Path:
    yield demo_warehouse
    warehouse.close_all()


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    if not isinstance(children, (list, tuple)):
        children = [children]
    for c in children:
        if c is not None and not isinstance(c, (str, int, float)):
            yield from _walk(c)


def _ids(layout) -> set:
    return {c.id for c in _walk(layout) if isinstance(getattr(c, "id", None), str)}


def _pub(wh, indicator, gemeente, periode, doelgroep, categorie=None):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        sql = ("SELECT waarde, onderdrukt, noemer FROM mart_indicatoren_publicatie WHERE indicator = ? AND "
               "gemeente_code = ? AND periode = ? AND doelgroep = ? AND ")
        if categorie is None:
            row = con.execute(sql + "categorie IS NULL", [indicator, gemeente, periode, doelgroep]).fetchone()
        else:
            row = con.execute(sql + "categorie = ?", [indicator, gemeente, periode, doelgroep, categorie]).fetchone()
    finally:
        con.close()
    return row


# --- Filters and URL state ---------------------------------------------------------------------

def test_parse_filters_validates_and_falls_back():
    codes = ["GM0034", "GM0384"]
    assert controls.parse_filters({"gemeente": "gm0384", "periode": "2025q3", "doelgroep": "ASIEL"}, codes) == \
        Filters("GM0384", "2025-Q3", "asiel")
    assert controls.parse_filters({"gemeente": "GM9999", "periode": "2025-Q5", "doelgroep": "x"}, codes) == \
        Filters("GM0034", None, "alle")
    assert controls.parse_filters({}, []) == Filters(None, None, "alle")
    assert controls.parse_filters({"periode": "2019"}, codes, periodes=["2024", "2025"]).periode is None
    assert controls.parse_filters({"periode": ["2024", "2025"]}, codes).periode == "2024"


def test_met_periode_and_search():
    f = Filters("GM0034", None, "gezin")
    assert controls.met_periode(f, ["2024", "2024-Q4", "2025", "2025-Q1"], standaard="2024").periode == "2024"
    assert controls.met_periode(f, ["2024", "2024-Q4", "2025", "2025-Q1"]).periode == "2025"
    assert controls.met_periode(f, ["2025-Q1", "2025-Q2"]).periode == "2025-Q2"
    f = Filters("GM0034", "2025-Q3", "gezin")
    assert f.search() == "?gemeente=GM0034&periode=2025-Q3&doelgroep=gezin"
    assert f.is_kwartaal and f.jaar == "2025"


def test_periode_options_newest_first_years_before_their_quarters():
    opts = controls.periode_opties(["2024", "2024-Q1", "2024-Q2", "2025", "2025-Q1"])
    assert [o["value"] for o in opts] == ["2025", "2025-Q1", "2024", "2024-Q2", "2024-Q1"]
    assert opts[0]["label"] == "2025 (heel jaar)" and opts[1]["label"] == "1e kwartaal 2025"


def test_filter_bar_has_labelled_native_selects_and_hidden_kept_values():
    import pandas as pd

    gemeenten = pd.DataFrame({"gemeente_code": ["GM0034"], "gemeente_naam": ["Almere"]})
    bar = controls.filter_bar(Filters("GM0034", "2025", "asiel"), gemeenten, ["2025"])
    comps = list(_walk(bar))
    labels = {c.htmlFor: c for c in comps if type(c).__name__ == "Label"}
    selects = {c.id: c for c in comps if type(c).__name__ == "Select"}
    assert set(selects) == {"filter-gemeente", "filter-periode", "filter-doelgroep"}
    assert set(labels) == set(selects)
    assert selects["filter-doelgroep"].value == "asiel"
    assert bar.role == "search"
    assert any(getattr(c, "id", None) == controls.LOCATION_ID for c in comps)
    # A control that is not shown keeps its value in the URL as a hidden input.
    bar = controls.filter_bar(Filters("GM0034", "2025", "asiel"), gemeenten, ["2025"], show=("gemeente",))
    hidden = {c.id: c for c in _walk(bar) if type(c).__name__ == "Input"}
    assert hidden["filter-periode"].value == "2025" and hidden["filter-periode"].type == "hidden"
    assert "Dropdown" not in {type(c).__name__ for c in _walk(bar)}


# --- Cells ---------------------------------------------------------------------------------------

def test_waarde_formats_dutch_and_never_shows_suppressed_as_zero():
    W = thema.Waarde
    assert W(1234.0, "aantal", eenheid="aantal").display() == "1.234"
    assert W(12.345, "pct", eenheid="pct").display() == "12,3 %"
    assert W(45.0, "pct", eenheid="dagen").display() == "45 dagen"
    assert W(45.5, "pct", eenheid="dagen").display() == "45,5 dagen"
    assert W(2.125, "pct", eenheid="per1000").display() == "2,13" or W(2.125, "pct", eenheid="per1000").display() == "2,12"
    assert W(None, "aantal", True, eenheid="aantal").display() == "<5"
    assert W(None, "pct", True, eenheid="dagen").display() == "–"
    assert W(None, "pct", True, eenheid="per1000").display() == "–"
    assert W(None, "pct", eenheid="pct").display() == "."
    assert W(12.345, "pct", eenheid="pct").csv() == "12,3"
    assert W(None, "aantal", True, eenheid="aantal").excel() == "<5"
    assert thema.fmt_interval(57.16, 83.89) == "57,2–83,9 %"
    assert thema.fmt_getal(12345.678) == "12.345,7"


def test_periode_tekst_marks_running_periods():
    import datetime as dt

    peil = dt.date(2026, 9, 30)
    assert thema.periode_tekst("2026", peil) == "2026 (lopend)"
    assert thema.periode_tekst("2026-Q3", peil) == "2026 K3"
    assert thema.periode_tekst("2026-Q4", peil) == "2026 K4 (lopend)"
    assert thema.reeks_periodes(["2024", "2025", "2024-Q4", "2025-Q1", "2025-Q2"], Filters("G", "2025-Q1")) == \
        ["2024-Q4", "2025-Q1"]
    assert thema.reeks_periodes(["2024", "2025", "2024-Q4"], Filters("G", "2025-Q1"), "jaar") == ["2024", "2025"]


# --- Pages on the demo warehouse -------------------------------------------------------------

@pytest.mark.parametrize("key", list(thema.PAGINAS))
def test_every_page_builds_with_one_h1_filters_and_downloads(wh, key):
    page = thema.pagina_layout(key, {"gemeente": "GM0034", "periode": "2025", "doelgroep": "alle"}, path=wh)
    comps = list(_walk(page))
    h1 = [c for c in comps if type(c).__name__ == "H1"]
    assert len(h1) == 1 and h1[0].children.endswith("?") and "Almere" in h1[0].children
    ids = _ids(page)
    assert {"filter-gemeente", "filter-periode", "filter-doelgroep", "filter-url", "page-meta"} <= ids
    specs = thema.specs_voor(thema.PAGINAS[key], thema.laad_data(thema.PAGINAS[key].indicatoren,
                                                                  {"gemeente": "GM0034"}, path=wh))
    for k in specs:
        assert f"grafiek-{k}" in ids and f"tabel-{k}" in ids
    knoppen = [c.id for c in comps if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == "thema-knop"]
    assert {(k["tabel"], k["formaat"]) for k in knoppen} == {(k, f) for k in specs for f in ("csv", "xlsx")}


def test_pages_read_only_published_marts(wh, monkeypatch):
    seen = []
    real = warehouse.query

    def spy(sql, params=None, path=None):
        seen.append(sql)
        return real(sql, params, path)

    monkeypatch.setattr(warehouse, "query", spy)
    for key in thema.PAGINAS:
        thema.pagina_layout(key, {"gemeente": "GM0384", "periode": "2025-Q2", "doelgroep": "asiel"}, path=wh)
    tables = set()
    for sql in seen:
        tables |= set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", sql))
    assert tables <= {"mart_indicatoren_publicatie", "mart_indicator_definities", "mart_beleidsdoelen",
                      "mart_indicatoren_groepen", "ref_gemeenten", "snapshot_current"}, tables


def test_key_figures_and_tables_equal_the_published_rows(wh):
    d = thema.laad_data(thema.PAGINAS["instroom"].indicatoren,
                        {"gemeente": "GM0034", "periode": "2025-Q2", "doelgroep": "alle"}, path=wh)
    views = thema.table_views(thema.PAGINAS["instroom"], d)
    view = views["instroom"]
    assert view.columns == ("Periode", "Asielstatushouders", "Gezinsmigranten", "Overige migranten")
    rows = dict(view.rows)
    for p in ("2024-Q3", "2025-Q2"):
        for i, dg in enumerate(fg.DOELGROEPEN):
            w, onderdrukt, _ = _pub(wh, "instroom", "GM0034", p, dg)
            shown = rows[fg.fmt_periode(p)][i].display()
            assert shown == ("<5" if onderdrukt else fg.fmt_aantal(w))
    assert all(len(label) == 7 for label, _ in view.rows)  # quarters only, up to 2025-Q2
    assert view.rows[-1][0] == "2025 K2"


def test_suppressed_cells_show_markers_in_table_csv_and_excel(wh):
    from python_calamine import CalamineWorkbook

    con = duckdb.connect(str(wh), read_only=True)
    g, p = con.execute(
        "SELECT gemeente_code, periode FROM mart_indicatoren_publicatie WHERE indicator = 'instroom' "
        "AND onderdrukt AND length(periode) = 4 AND doelgroep = 'gezin' ORDER BY 1, 2 LIMIT 1").fetchone()
    con.close()
    d = thema.laad_data(thema.PAGINAS["instroom"].indicatoren, {"gemeente": g, "periode": p}, path=wh)
    view = thema.table_views(thema.PAGINAS["instroom"], d)["instroom"]
    cell = dict(view.rows)[p][1]
    assert cell.onderdrukt and cell.display() == "<5" and cell.csv() == "<5"
    assert "<5 = onderdrukt: te klein aantal." in view.footnotes()
    csv_text = view.to_csv()
    assert csv_text.startswith("\ufeff") and ";<5" in csv_text
    wb = CalamineWorkbook.from_filelike(io.BytesIO(fg.table_to_xlsx(view, layouts.BRON)))
    sheet = wb.get_sheet_by_name("Tabel").to_python()
    assert sheet[0][0] == view.caption
    assert list(sheet[2][: len(view.columns)]) == list(view.columns)
    excel_row = next(r for r in sheet if r and r[0] == p)
    assert excel_row[2] == "<5"
    assert not any(c == 0 for c in excel_row[1:] if c == "<5")


def test_share_table_has_interval_and_noemer(wh):
    d = thema.laad_data(thema.PAGINAS["brede_intake_pip"].indicatoren,
                        {"gemeente": "GM0034", "periode": "2025", "doelgroep": "alle"}, path=wh)
    view = thema.table_views(thema.PAGINAS["brede_intake_pip"], d)["pip-10-weken"]
    assert view.columns[-2:] == ("95%-interval", "Aantal (noemer)")
    w, onderdrukt, noemer = _pub(wh, "pip_binnen_10_weken_pct", "GM0034", "2025", "alle")
    cells = dict(view.rows)["2025"]
    assert cells[0].display() == fg.fmt_pct(w) and cells[2].display() == fg.fmt_aantal(noemer)
    assert re.fullmatch(r"\d+,\d–\d+,\d %", cells[1].display())


def test_cohort_chart_uses_years_even_for_a_quarter(wh):
    d = thema.laad_data(thema.PAGINAS["brede_intake_pip"].indicatoren,
                        {"gemeente": "GM0034", "periode": "2025-Q3", "doelgroep": "alle"}, path=wh)
    view = thema.table_views(thema.PAGINAS["brede_intake_pip"], d)["keten-cohort"]
    assert [label for label, _ in view.rows] == ["2022", "2023", "2024", "2025"]
    assert view.columns[1:] == ("Alle doelgroepen", "Asielstatushouders", "Gezinsmigranten", "Overige migranten")


def test_route_mix_against_gemeente_and_rijk_expectations(wh):
    d = thema.laad_data(thema.PAGINAS["leerroutes"].indicatoren,
                        {"gemeente": "GM0384", "periode": "2025", "doelgroep": "asiel"}, path=wh)
    waarden, marges, bron, doelgroep = thema.gemeente_routemix(d)
    assert waarden == {"B1": 80.0, "ONDERWIJS": 5.0, "Z": 15.0} and doelgroep == "asiel"
    view = thema.table_views(thema.PAGINAS["leerroutes"], d)["routemix"]
    assert view.columns[1:4] == ("Diemen: werkelijk", "Verwachting Diemen", "Verwachting Rijk")
    rows = dict(view.rows)
    b1 = rows[fg.LEERROUTE_LABELS["B1"]]
    w, onderdrukt, _ = _pub(wh, "leerroute_aandeel_pct", "GM0384", "2025", "asiel", "B1")
    assert b1[0].display() == ("–" if onderdrukt else fg.fmt_pct(w))
    assert b1[1].display() == "80 % ± 5" and b1[2].display() == "60,0 %"
    assert rows[fg.LEERROUTE_LABELS["ONDERWIJS"]][2].display() == "25,0 %"
    # A gemeente without its own expectation says so, and still shows the Rijk's.
    d = thema.laad_data(thema.PAGINAS["leerroutes"].indicatoren, {"gemeente": "GM0034"}, path=wh)
    spec = thema.specs_voor(thema.PAGINAS["leerroutes"], d)["routemix"]
    assert "geen eigen verwachte routeverdeling" in spec.noot
    assert [r.label for r in spec.reeksen][-1] == "Verwachting Rijk"


def test_figures_leave_out_suppressed_values_and_use_dutch_separators(wh):
    d = thema.laad_data(thema.PAGINAS["instroom"].indicatoren,
                        {"gemeente": "GM1680", "periode": "2025", "doelgroep": "alle"}, path=wh)
    spec = thema.specs_voor(thema.PAGINAS["instroom"], d)["instroom"]
    fig = thema.grafiek_figure(spec, d)
    assert fig.to_plotly_json()["layout"]["template"]["layout"]["separators"] == ",."  # house template, sent along
    view = thema.grafiek_table(spec, d)
    for i, trace in enumerate(fig.data[:3]):
        for (label, cells), y in zip(view.rows, trace.y):
            if cells[i].onderdrukt:
                assert y is None
            else:
                assert y == cells[i].value
    if view.has_suppressed:
        assert any(getattr(t, "mode", None) == "text" and "<5" in t.text for t in fig.data)


def test_asiel_only_charts_keep_asiel_when_another_doelgroep_is_chosen(wh):
    d = thema.laad_data(thema.PAGINAS["participatie"].indicatoren,
                        {"gemeente": "GM0034", "periode": "2025", "doelgroep": "gezin"}, path=wh)
    view = thema.table_views(thema.PAGINAS["participatie"], d)["ontzorgen"]
    w, onderdrukt, _ = _pub(wh, "ontzorgen_gestart_pct", "GM0034", "2025", "asiel")
    assert dict(view.rows)["2025"][0].display() == ("–" if onderdrukt else fg.fmt_pct(w))


def test_download_content_matches_the_table(wh):
    from flask import Flask

    app = Flask(__name__)
    app.config[warehouse.CONFIG_KEY] = str(wh)
    with app.app_context():
        out = thema.download_inhoud("voortgang_examens", "examens", "csv", "?gemeente=GM0034&periode=2025")
        d = thema.laad_data(thema.PAGINAS["voortgang_examens"].indicatoren, {"gemeente": "GM0034", "periode": "2025"})
        assert out["content"] == thema.table_views(thema.PAGINAS["voortgang_examens"], d)["examens"].to_csv()
        assert out["filename"] == "examens_GM0034_2025_alle.csv"
        xl = thema.download_inhoud("voortgang_examens", "examens", "xlsx", "?gemeente=GM0034&periode=2025")
        assert xl["filename"].endswith(".xlsx") and xl["base64"]


def test_app_registers_url_sync_and_downloads_once(wh, tmp_path):
    from dashboards.app import create_app

    for app in (create_app(wh), create_app(tmp_path / "other.duckdb")):
        client = app.server.test_client()
        deps = json.loads(client.get("/_dash-dependencies").get_data(as_text=True))
        outputs = [d["output"] for d in deps]
        assert outputs.count("filter-url.search") == 1
        assert sum("thema-download" in o for o in outputs) == 1
        for key, spec in thema.PAGINAS.items():
            assert client.get(f"{spec.path}?gemeente=GM0034").status_code == 200


# --- Geslacht and leeftijd ------------------------------------------------------------------------

def test_geslacht_and_leeftijd_are_validated_and_never_combined():
    codes = ["GM0034"]
    f = controls.parse_filters({"geslacht": "Vrouw", "leeftijd": "25-34"}, codes)
    assert (f.geslacht, f.leeftijd, f.kenmerk, f.kenmerk_label) == ("vrouw", None, ("geslacht", "vrouw"), "Vrouwen")
    f = controls.parse_filters({"leeftijd": "25-34"}, codes)
    assert f.kenmerk == ("leeftijd", "25-34") and f.query()["leeftijd"] == "25-34" and "geslacht" not in f.query()
    assert controls.parse_filters({"geslacht": "onzin", "leeftijd": "99"}, codes).kenmerk is None


def test_a_page_with_a_characteristic_shows_the_split_figures_per_year(wh):
    query = {"gemeente": "GM0034", "periode": "2025-Q2", "geslacht": "vrouw"}
    data = thema.laad_data(thema.PAGINAS["leerroutes"].indicatoren, query, wh, kenmerken=True)
    assert data.kenmerk_actief and data.filters.periode == "2025"          # a quarter becomes its year
    assert all(len(p) == 4 for p in data.periodes)
    expected = kenmerk_publicatie(wh, "leerroute_aandeel_pct", "GM0034", "geslacht", "vrouw", "2025", "alle", "B1")
    shown = data.waarde("leerroute_aandeel_pct", "2025", "alle", "B1")
    assert (shown.value, shown.onderdrukt) == (None if expected[1] else pytest.approx(expected[0]), expected[1])
    main = _pub(wh, "leerroute_aandeel_pct", "GM0034", "2025", "alle", "B1")
    assert expected[0] != main[0]                  # really the women's figure, not the total
    layout = thema.pagina_layout("leerroutes", query, wh)
    texts = [c.children for c in _walk(layout) if isinstance(getattr(c, "children", None), str)]
    assert any(t.startswith("Kerncijfers 2025, alle doelgroepen, vrouwen") for t in texts)
    # a chart of an indicator without a split says so instead of showing the total
    fig = thema.grafiek_figure(thema.specs_voor(thema.PAGINAS["leerroutes"], data)["schakelingen"], data)
    assert fig.layout.annotations[0].text == thema.NIET_UITGESPLITST
    assert {"filter-geslacht", "filter-leeftijd"} <= _ids(layout)


def test_a_page_without_the_split_keeps_the_choice_but_shows_all_persons(wh):
    query = {"gemeente": "GM0034", "leeftijd": "25-34"}
    data = thema.laad_data(thema.PAGINAS["brede_intake_pip"].indicatoren, query, wh,
                           kenmerken=thema.PAGINAS["brede_intake_pip"].kenmerken)
    assert not data.kenmerk_actief and data.filters.leeftijd == "25-34"
    layout = thema.pagina_layout("brede_intake_pip", query, wh)
    hidden = [c for c in _walk(layout) if getattr(c, "id", None) == "filter-leeftijd"]
    assert hidden and hidden[0].type == "hidden" and hidden[0].value == "25-34"   # kept for the next page
