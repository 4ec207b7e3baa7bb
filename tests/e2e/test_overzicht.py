"""The Overzicht page in real Chromium against `python app.py` on the demo warehouse.

Expected figures are read straight from the warehouse's mart_indicatoren and snapshot_current, and
the period and suppression rules are restated here independently of the dashboard code.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

START = "GM0034"  # Almere
MAX_LOAD_S = 15.0  # generous: a regression guard on 2 cores, not a benchmark


# --- Expectations straight from the warehouse -------------------------------------------------

def _con(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse), read_only=True)


def _peildatum(con, gemeente: str) -> dt.date:
    return con.execute(
        "SELECT max(peildatum) FROM snapshot_current WHERE gemeente_code = ? AND target_table = 'personen'",
        [gemeente],
    ).fetchone()[0]


def _complete_year(peil: dt.date) -> str:
    return str(peil.year if peil == dt.date(peil.year, 12, 31) else peil.year - 1)


def _complete_quarter(peil: dt.date) -> str:
    ends = [dt.date(peil.year, 3, 31), dt.date(peil.year, 6, 30), dt.date(peil.year, 9, 30), dt.date(peil.year, 12, 31)]
    done = [q for q, end in enumerate(ends, start=1) if end <= peil]
    return f"{peil.year}-Q{done[-1]}" if done else f"{peil.year - 1}-Q4"


def _instroom(con, gemeente: str, periode: str) -> int | None:
    row = con.execute(
        "SELECT teller FROM mart_indicatoren WHERE indicator = 'instroom' AND gemeente_code = ? "
        "AND periode = ? AND doelgroep = 'alle'",
        [gemeente, periode],
    ).fetchone()
    return None if row is None else int(row[0])


def _shown_count(n: int | None) -> str:
    if n is None:
        return "."
    if 1 <= n <= 4:
        return "<5"
    return f"{n:,}".replace(",", ".")


def _gemeenten_met_data(con) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT DISTINCT m.gemeente_code, r.gemeente_naam FROM mart_indicatoren m "
        "JOIN ref_gemeenten r USING (gemeente_code) ORDER BY 2"
    ).fetchall()


def _open(page, url: str):
    page.goto(url)
    page.wait_for_selector("#kc-instroom-jaar")
    page.wait_for_selector("#grafiek-instroom .main-svg")
    page.wait_for_selector("#grafiek-leerroute .main-svg")


def _other_gemeente(warehouse: Path) -> tuple[str, str]:
    with _con(warehouse) as con:
        others = [g for g in _gemeenten_met_data(con) if g[0] != START]
    if not others:
        pytest.skip("the demo warehouse holds only one gemeente")
    return others[0]


# --- Tests ------------------------------------------------------------------------------------

def test_key_figures_equal_the_warehouse(page, app_url, warehouse, screenshots):
    started = time.perf_counter()
    _open(page, f"{app_url}/?gemeente={START}")
    load_s = time.perf_counter() - started

    with _con(warehouse) as con:
        peil = _peildatum(con, START)
        jaar, kwartaal = _complete_year(peil), _complete_quarter(peil)
        expected_jaar = _shown_count(_instroom(con, START, jaar))
        expected_kwartaal = _shown_count(_instroom(con, START, kwartaal))
        naam = con.execute("SELECT gemeente_naam FROM ref_gemeenten WHERE gemeente_code = ?", [START]).fetchone()[0]
        n_quarters = con.execute(
            "SELECT count(DISTINCT periode) FROM mart_indicatoren WHERE indicator = 'instroom' AND gemeente_code = ? "
            "AND periode LIKE '____-Q_' AND periode <= ? AND doelgroep IN ('asiel', 'gezin', 'overig')",
            [START, kwartaal],
        ).fetchone()[0]

    assert page.inner_text("h1") == f"Hoe gaat het met de inburgering in {naam}?"
    assert page.locator("h1").count() == 1
    assert page.inner_text("#kc-instroom-jaar").strip() == expected_jaar
    assert page.inner_text("#kc-instroom-kwartaal").strip() == expected_kwartaal
    assert jaar in page.inner_text(".kerncijfers")
    assert f"{peil.day} " in page.inner_text("#kc-peildatum") and str(peil.year) in page.inner_text("#kc-peildatum")
    assert page.get_attribute("html", "lang") == "nl"
    assert page.input_value("#gemeente-keuze") == START
    # The table under the chart has one row per complete quarter the chart shows.
    assert page.locator("#tabel-instroom tbody tr").count() == n_quarters
    assert page.locator("#tabel-instroom caption").text_content().startswith("Instroom per kwartaal")
    assert "Bron: eigen gemeentelijke registratie; peildatum" in page.inner_text("footer")

    page.screenshot(path=str(screenshots / "overzicht-almere.png"), full_page=True)
    (screenshots / "timings.txt").write_text(f"overzicht first load (goto -> charts drawn): {load_s:.2f} s\n")
    print(f"\nOverzicht load time: {load_s:.2f} s")
    assert load_s < MAX_LOAD_S
    page.problems.check()


def test_changing_gemeente_updates_url_and_figures(page, app_url, warehouse, screenshots):
    _open(page, f"{app_url}/?gemeente={START}")
    before = page.inner_text(".kerncijfers")
    code, naam = _other_gemeente(warehouse)

    page.select_option("#gemeente-keuze", code)
    page.wait_for_url(re.compile(rf"gemeente={code}"))
    page.wait_for_function("(naam) => document.querySelector('h1').innerText.includes(naam)", arg=naam)
    page.wait_for_selector("#grafiek-instroom .main-svg")

    with _con(warehouse) as con:
        peil = _peildatum(con, code)
        expected = _shown_count(_instroom(con, code, _complete_year(peil)))
    assert page.inner_text("#kc-instroom-jaar").strip() == expected
    assert page.input_value("#gemeente-keuze") == code
    assert page.inner_text(".kerncijfers") != before
    # Keyboard focus comes back to the gemeente choice after the page is rebuilt.
    assert page.evaluate("document.activeElement && document.activeElement.id") == "gemeente-keuze"
    page.screenshot(path=str(screenshots / f"overzicht-na-wissel-{code}.png"), full_page=True)

    # The URL is the state: reloading it shows the same gemeente.
    page.reload()
    page.wait_for_selector("#kc-instroom-jaar")
    assert naam in page.inner_text("h1")
    # Browser back returns to the first gemeente.
    page.go_back()
    page.wait_for_url(re.compile(rf"gemeente={START}"))
    page.wait_for_function("(c) => document.querySelector('#gemeente-keuze').value === c", arg=START)
    page.problems.check()


def test_keyboard_only(page, app_url, warehouse):
    _open(page, f"{app_url}/?gemeente={START}")
    code, naam = _other_gemeente(warehouse)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    # the skip link passes the site menu (which grows with every page) and lands in the main content
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "gemeente-keuze":
            break
    else:
        pytest.fail("the gemeente choice cannot be reached with Tab")
    # A native select changes with the arrow keys; step until the other gemeente is chosen.
    with _con(warehouse) as con:
        order = [g[0] for g in _gemeenten_met_data(con)]
    steps = order.index(code) - order.index(START)
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
    page.wait_for_url(re.compile(rf"gemeente={code}"))
    page.wait_for_function("(naam) => document.querySelector('h1').innerText.includes(naam)", arg=naam)
    page.problems.check()


def test_table_and_csv_show_what_the_chart_shows(page, app_url, warehouse, tmp_path):
    _open(page, f"{app_url}/?gemeente={START}")
    page.locator("#instroom-titel ~ details summary").click()
    rows = page.locator("#tabel-instroom tbody tr")
    assert rows.count() > 0
    for cell in page.locator("#tabel-instroom tbody td").all_inner_texts():
        assert re.fullmatch(r"\d{1,3}(\.\d{3})*|<5|\.", cell), cell

    with page.expect_download() as info:
        page.get_by_role("button", name="Download tabel (CSV)").first.click()
    download = info.value
    assert download.suggested_filename.startswith(f"instroom_{START}_peildatum_")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Kwartaal;Asielstatushouders;Gezinsmigranten;Overige migranten"
    assert len(lines) == rows.count() + 1
    first_table_row = [c.replace(".", "") if c != "." else c for c in rows.first.locator("th, td").all_inner_texts()]
    assert lines[1].split(";") == first_table_row

    # The leerroute table shows shares in Dutch notation.
    page.locator("#leerroute-titel ~ details summary").click()
    shares = page.locator("#tabel-leerroute tbody td").all_inner_texts()
    assert any(re.fullmatch(r"\d{1,3},\d %", s) for s in shares), shares
    page.problems.check()


def test_suppressed_values_never_show_as_zero(page, app_url, warehouse):
    with _con(warehouse) as con:
        row = con.execute(
            "SELECT gemeente_code, periode, doelgroep, teller FROM mart_indicatoren WHERE indicator = 'instroom' "
            "AND teller BETWEEN 1 AND 4 AND periode LIKE '____-Q_' AND doelgroep <> 'alle' ORDER BY 1, 2 LIMIT 1"
        ).fetchone()
        if row is None:
            pytest.skip("no small instroom count in the demo warehouse")
        gemeente, periode, doelgroep, _ = row
        if periode > _complete_quarter(_peildatum(con, gemeente)):
            pytest.skip("the small count is in the running quarter, which the chart leaves out")
    _open(page, f"{app_url}/?gemeente={gemeente}")
    label = f"{periode[:4]} K{periode[6]}"
    column = {"asiel": 2, "gezin": 3, "overig": 4}[doelgroep]
    cell = page.locator(f"#tabel-instroom tbody tr:has(th:text-is('{label}')) > :nth-child({column})")
    assert cell.text_content().strip() == "<5"
    assert "onderdrukt: te klein aantal" in page.inner_text(".grafiek-blok >> nth=0")
    # The chart marks the suppressed value instead of drawing a zero-height bar.
    assert page.locator("#grafiek-instroom g.textpoint text", has_text="<5").count() >= 1
    page.problems.check()


def test_accessibility_axe(page, app_url, screenshots):
    from axe_playwright_python.sync_playwright import Axe

    _open(page, f"{app_url}/?gemeente={START}")
    # Open the tables so that axe checks them too.
    for summary in page.locator("details summary").all():
        summary.click()
    results = Axe().run(page)
    violations = results.response["violations"]
    (screenshots / "axe-overzicht.txt").write_text(
        "\n".join(f"{v['impact']}: {v['id']} {v['help']} ({len(v['nodes'])})" for v in violations) or "no violations\n"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in serious
    )
    assert page.locator("main").count() == 1
    assert page.locator("header").count() >= 1 and page.locator("nav").count() >= 1
    assert page.locator("label[for='gemeente-keuze']").inner_text() == "Gemeente"
    assert page.get_by_label("Gemeente").count() == 1
    page.problems.check()


def test_mobile_layout(browser, app_url, screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL", device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{app_url}/?gemeente={START}")
    page.wait_for_selector("#grafiek-instroom .main-svg")
    # No horizontal scrolling of the whole page on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(screenshots / "overzicht-mobiel.png"), full_page=True)
    context.close()
    assert not errors
