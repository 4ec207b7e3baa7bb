"""The thematic pages in real Chromium against `python app.py` on the demo warehouse.

Expected figures are read straight from mart_indicatoren_publicatie (what pages may show).
"""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from tests.conftest import kenmerk_publicatie

pytestmark = pytest.mark.e2e

PAGES = {
    "instroom": ("/instroom", "#grafiek-instroom .main-svg"),
    "brede-intake-pip": ("/brede-intake-pip", "#grafiek-doorlooptijd-pip .main-svg"),
    "leerroutes": ("/leerroutes", "#grafiek-routemix .main-svg"),
    "voortgang-examens": ("/voortgang-examens", "#grafiek-examens .main-svg"),
    "participatie": ("/participatie", "#grafiek-deelname-duaal .main-svg"),
}
MAX_LOAD_S = 15.0
TIMINGS = "timings-thema.txt"


def _pub(warehouse: Path, indicator, gemeente, periode, doelgroep, categorie=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cat = "categorie IS NULL" if categorie is None else "categorie = ?"
        row = con.execute(
            "SELECT waarde, onderdrukt FROM mart_indicatoren_publicatie WHERE indicator = ? AND gemeente_code = ? "
            f"AND periode = ? AND doelgroep = ? AND {cat}",
            [indicator, gemeente, periode, doelgroep] + ([] if categorie is None else [categorie]),
        ).fetchone()
    finally:
        con.close()
    return row


def _shown_count(row) -> str:
    if row is None:
        return "."
    return "<5" if row[1] else f"{int(round(row[0])):,}".replace(",", ".")


def _shown_pct(row) -> str:
    if row is None:
        return "."
    return "–" if row[1] else f"{row[0]:.1f}".replace(".", ",") + " %"


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def _open(page, url: str, chart: str) -> float:
    t0 = time.monotonic()
    page.goto(url)
    page.wait_for_selector(chart)
    page.wait_for_selector("#filter-gemeente")
    return time.monotonic() - t0


def test_every_page_loads_with_its_question_and_no_errors(page, app_url, screenshots):
    lines = []
    for name, (path, chart) in PAGES.items():
        load_s = _open(page, f"{app_url}{path}?gemeente=GM0034&periode=2025", chart)
        # the charts of a page are drawn one per frame (assets/loader.js): wait for the last one
        page.wait_for_function("() => [...document.querySelectorAll('.dash-graph')]"
                               ".every(g => g.querySelector('.main-svg'))")
        h1 = page.locator("h1")
        assert h1.count() == 1 and h1.inner_text().endswith("?") and "Almere" in h1.inner_text()
        assert page.locator("label[for='filter-periode']").count() == 1
        # Every chart has a table and both downloads.
        charts = page.locator(".grafiek-blok .js-plotly-plot").count()
        assert charts >= 1
        assert page.locator("table.cijfer-tabel").count() == charts
        assert page.get_by_role("button", name="Download tabel (Excel)").count() == charts
        assert page.get_by_role("button", name="Download tabel (CSV)").count() == charts
        page.screenshot(path=str(screenshots / f"thema-{name}.png"), full_page=True)
        lines.append(f"{path} first load (goto -> first chart drawn): {load_s:.2f} s")
        assert load_s < MAX_LOAD_S
    (screenshots / TIMINGS).write_text("\n".join(lines) + "\n")
    page.problems.check()


def test_filters_change_the_url_and_the_figures(page, app_url, warehouse, screenshots):
    _open(page, f"{app_url}/instroom?gemeente=GM0034&periode=2025", PAGES["instroom"][1])
    assert page.locator("#kc-instroom").inner_text() == _shown_count(_pub(warehouse, "instroom", "GM0034", "2025", "alle"))

    page.select_option("#filter-periode", "2025-Q2")
    page.wait_for_url(lambda u: _query(u).get("periode") == "2025-Q2")
    page.wait_for_selector("#kerncijfers-titel:has-text('2e kwartaal 2025')")
    expected = _shown_count(_pub(warehouse, "instroom", "GM0034", "2025-Q2", "alle"))
    assert page.locator("#kc-instroom").inner_text() == expected

    page.select_option("#filter-doelgroep", "asiel")
    page.wait_for_url(lambda u: _query(u).get("doelgroep") == "asiel")
    page.wait_for_selector("#kerncijfers-titel:has-text('asielstatushouders')")
    q = _query(page.url)
    assert q == {"gemeente": "GM0034", "periode": "2025-Q2", "doelgroep": "asiel"}
    assert page.locator("#kc-instroom").inner_text() == \
        _shown_count(_pub(warehouse, "instroom", "GM0034", "2025-Q2", "asiel"))
    # Focus returns to the control that was changed.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'filter-doelgroep'")

    page.select_option("#filter-gemeente", "GM0384")
    page.wait_for_url(lambda u: _query(u).get("gemeente") == "GM0384")
    page.wait_for_selector("h1:has-text('Diemen')")
    assert _query(page.url) == {"gemeente": "GM0384", "periode": "2025-Q2", "doelgroep": "asiel"}
    assert page.locator("#kc-instroom").inner_text() == \
        _shown_count(_pub(warehouse, "instroom", "GM0384", "2025-Q2", "asiel"))
    page.screenshot(path=str(screenshots / "thema-instroom-na-filters.png"), full_page=True)

    # The URL is bookmarkable: opening it fresh shows the same state.
    page.goto(page.url)
    page.wait_for_selector(PAGES["instroom"][1])
    assert page.locator("#filter-gemeente").input_value() == "GM0384"
    assert page.locator("#filter-periode").input_value() == "2025-Q2"
    assert page.locator("#filter-doelgroep").input_value() == "asiel"

    # The menu carries the filters to the next page.
    page.locator(".site-nav a", has_text="Leerroutes").click()
    page.wait_for_url(lambda u: urlparse(u).path == "/leerroutes")
    page.wait_for_selector(PAGES["leerroutes"][1])
    assert _query(page.url) == {"gemeente": "GM0384", "periode": "2025-Q2", "doelgroep": "asiel"}
    expected = _shown_pct(_pub(warehouse, "leerroute_aandeel_pct", "GM0384", "2025-Q2", "asiel", "B1"))
    assert page.locator("#kc-leerroute_aandeel_pct-B1").inner_text() == expected
    page.problems.check()


def test_leerroutes_show_the_published_share_and_expectations(page, app_url, warehouse):
    _open(page, f"{app_url}/leerroutes?gemeente=GM0384&periode=2025&doelgroep=asiel", PAGES["leerroutes"][1])
    row = page.locator("#tabel-routemix tbody tr").first
    page.locator("#tabel-routemix").evaluate("t => t.closest('details').open = true")
    cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
    assert cells[0] == "B1-route"
    assert cells[1] == _shown_pct(_pub(warehouse, "leerroute_aandeel_pct", "GM0384", "2025", "asiel", "B1"))
    assert cells[2] == "80 % ± 5" and cells[3] == "60,0 %"
    page.problems.check()


def test_csv_and_excel_downloads_are_what_the_table_shows(page, app_url, tmp_path):
    from python_calamine import CalamineWorkbook

    _open(page, f"{app_url}/voortgang-examens?gemeente=GM0034&periode=2025", PAGES["voortgang-examens"][1])
    blok = page.locator("section.grafiek-blok", has=page.locator("#grafiek-examens"))
    blok.locator("summary").click()
    table_rows = [[c.strip() for c in tr.locator("th, td").all_inner_texts()]
                  for tr in blok.locator("tbody tr").all()]
    with page.expect_download() as dl:
        blok.get_by_role("button", name="Download tabel (CSV)").click()
    csv_path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(csv_path)
    assert csv_path.name == "examens_GM0034_2025_alle.csv"
    lines = csv_path.read_text(encoding="utf-8-sig").strip().splitlines()
    csv_rows = [line.split(";") for line in lines[1:]]
    assert [r[0] for r in csv_rows] == [r[0] for r in table_rows]
    for csv_row, shown in zip(csv_rows, table_rows):
        # Same figure, CSV without the % sign: '67,2' for '67,2 %'.
        assert csv_row[1] == shown[1].replace(" %", "").replace(".", "")

    with page.expect_download() as dl:
        blok.get_by_role("button", name="Download tabel (Excel)").click()
    xlsx_path = tmp_path / dl.value.suggested_filename
    dl.value.save_as(xlsx_path)
    assert xlsx_path.suffix == ".xlsx"
    sheet = CalamineWorkbook.from_path(str(xlsx_path)).get_sheet_by_name("Tabel").to_python()
    body = [r for r in sheet[3:3 + len(table_rows)]]
    assert [r[0] for r in body] == [r[0] for r in table_rows]
    for r, shown in zip(body, table_rows):
        if isinstance(r[1], float):
            assert f"{r[1]:.1f}".replace(".", ",") + " %" == shown[1]
        else:
            assert r[1] == shown[1]
    page.problems.check()


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility_axe(page, app_url, screenshots, name):
    from axe_playwright_python.sync_playwright import Axe

    path, chart = PAGES[name]
    _open(page, f"{app_url}{path}?gemeente=GM0034&periode=2025-Q2&doelgroep=gezin", chart)
    for summary in page.locator("details summary").all():
        summary.click()
    violations = Axe().run(page).response["violations"]
    (screenshots / f"axe-thema-{name}.txt").write_text(
        "\n".join(f"{v['impact']}: {v['id']} {v['help']} ({len(v['nodes'])})" for v in violations) or "no violations\n"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in serious
    )
    assert page.locator("main").count() == 1
    assert page.get_by_label("Gemeente", exact=True).count() == 1
    assert page.get_by_label("Periode", exact=True).count() == 1
    assert page.get_by_role("search").count() == 1
    page.problems.check()


def test_keyboard_can_change_a_filter(page, app_url):
    _open(page, f"{app_url}/participatie?gemeente=GM0034&periode=2025", PAGES["participatie"][1])
    page.focus("#filter-doelgroep")
    page.keyboard.press("ArrowDown")  # native select: the next option is chosen and 'change' fires
    page.wait_for_url(lambda u: _query(u).get("doelgroep") == "asiel")
    page.wait_for_selector("#kerncijfers-titel:has-text('asielstatushouders')")
    page.problems.check()


def test_geslacht_and_leeftijd_split_the_figures_and_stay_in_the_url(page, app_url, warehouse, screenshots):
    _open(page, f"{app_url}/leerroutes?gemeente=GM0034&periode=2025-Q2", PAGES["leerroutes"][1])
    page.select_option("#filter-geslacht", "vrouw")
    page.wait_for_url(lambda u: _query(u).get("geslacht") == "vrouw")
    page.wait_for_selector("#kerncijfers-titel:has-text('vrouwen')")
    assert "2025," in page.locator("#kerncijfers-titel").inner_text()   # per year: the quarter became 2025
    expected = _shown_pct(kenmerk_publicatie(warehouse, "leerroute_aandeel_pct", "GM0034", "geslacht", "vrouw", "2025",
                                       "alle", "B1"))
    assert page.locator("#kc-leerroute_aandeel_pct-B1").inner_text() == expected
    assert page.locator(".kenmerk-melding").inner_text().startswith("Alleen: vrouwen.")
    page.screenshot(path=str(screenshots / "thema-leerroutes-vrouwen.png"), full_page=True)

    # choosing a leeftijd replaces the geslacht: the two are never combined
    page.select_option("#filter-leeftijd", "25-34")
    page.wait_for_url(lambda u: _query(u).get("leeftijd") == "25-34")
    page.wait_for_selector("#kerncijfers-titel:has-text('25 tot 35 jaar')")
    assert "geslacht" not in _query(page.url)
    expected = _shown_pct(kenmerk_publicatie(warehouse, "leerroute_aandeel_pct", "GM0034", "leeftijd", "25-34", "2025",
                                       "alle", "B1"))
    assert page.locator("#kc-leerroute_aandeel_pct-B1").inner_text() == expected

    # the menu carries the choice; a page without the split keeps it without applying it
    page.locator(".site-nav a", has_text="Voortgang en examens").click()
    page.wait_for_url(lambda u: urlparse(u).path == "/voortgang-examens")
    page.wait_for_selector("#kerncijfers-titel:has-text('25 tot 35 jaar')")
    page.locator(".site-nav a", has_text="Brede intake en PIP").click()
    page.wait_for_url(lambda u: urlparse(u).path == "/brede-intake-pip")
    page.wait_for_selector(PAGES["brede-intake-pip"][1])
    assert _query(page.url).get("leeftijd") == "25-34"
    assert "25 tot 35" not in page.locator("#kerncijfers-titel").inner_text()
    assert page.locator("#filter-leeftijd").get_attribute("type") == "hidden"
    page.problems.check()
