"""Vergelijken, Beleidsdoelen, Datakwaliteit and Definities in real Chromium against `python app.py`.

The app serves the demo warehouse plus two defect deliveries (rows in quarantine), loaded through the real
pipeline into a copy. Expected values are read straight from the warehouse tables.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.e2e.conftest import CHROMIUM, REPO_ROOT, serve_app

pytestmark = pytest.mark.e2e

DEFECTS = ("code_buiten_lijst", "datum_ongeldig")
DEFECT_GEMEENTE = "GM1723"   # Alphen-Chaam, in code_buiten_lijst
START = "GM0034"


@pytest.fixture(scope="module")
def warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """A copy of the demo warehouse with two defect deliveries loaded (quarantined rows)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent")
    from pipelines.load.snapshot import load_paths

    target = tmp_path_factory.mktemp("overige") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, target)
    report = load_paths([REPO_ROOT / "sample_exports" / "defect" / d for d in DEFECTS], target)
    assert not report.rejected
    return target


@pytest.fixture(scope="module")
def app_url(warehouse, tmp_path_factory):
    """`python app.py` serving that warehouse on a free port (overrides the session app of conftest)."""
    with serve_app(warehouse, tmp_path_factory.mktemp("app-overige"), probe="/definities") as url:
        yield url


def q(warehouse: Path, sql: str, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",") + " %"


def _peildatum(warehouse, gemeente) -> dt.date:
    return q(warehouse, "SELECT max(peildatum) FROM snapshot_current WHERE gemeente_code = ? "
                        "AND target_table = 'personen'", [gemeente])[0][0]


def _open(page, url, selector):
    page.goto(url)
    page.wait_for_selector("h1")
    page.wait_for_selector(selector)


def _download(page, button_name: str, nth: int = 0):
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name).nth(nth).click()
    return info.value


# --- Vergelijken ------------------------------------------------------------------------------

def test_vergelijken_values_filters_and_downloads(page, app_url, warehouse, screenshots, tmp_path):
    peil = _peildatum(warehouse, START)
    jaar = str(peil.year - 1)
    _open(page, f"{app_url}/vergelijken?gemeente={START}&indicator=pip_binnen_10_weken_pct",
          "#grafiek-rang .main-svg")
    naam = q(warehouse, "SELECT gemeente_naam FROM ref_gemeenten WHERE gemeente_code = ?", [START])[0][0]
    assert page.inner_text("h1") == f"Hoe doet {naam} het vergeleken met andere gemeenten?"
    assert page.input_value("#filter-periode") == jaar
    teller, noemer, onderdrukt = q(warehouse, "SELECT teller, noemer, onderdrukt FROM mart_indicatoren_publicatie "
                                              "WHERE indicator = 'pip_binnen_10_weken_pct' AND gemeente_code = ? "
                                              "AND periode = ? AND doelgroep = 'alle'", [START, jaar])[0]
    assert not onderdrukt
    assert page.inner_text("#vk-gemeente").strip() == pct(100 * teller / noemer)
    g_teller, g_noemer = q(warehouse, "SELECT teller, noemer FROM mart_indicatoren_groepen WHERE "
                                      "indicator = 'pip_binnen_10_weken_pct' AND groep_code = 'GELADEN' "
                                      "AND periode = ? AND doelgroep = 'alle'", [jaar])[0]
    assert page.inner_text("#vk-groep").strip() == pct(100 * g_teller / g_noemer)
    page.locator("#rang-titel ~ details summary").click()
    row = page.locator("#tabel-rang tbody tr", has_text=f"{naam} (gekozen)")
    assert row.locator("td").first.inner_text() == pct(100 * teller / noemer)
    assert page.locator("#grafiek-trechter .main-svg").count() >= 1
    page.screenshot(path=str(screenshots / "vergelijken-almere.png"), full_page=True)

    csv = _download(page, "Download tabel (CSV)")
    assert csv.suggested_filename.startswith(f"vergelijken_rang_{START}_pip_binnen_10_weken_pct_{jaar}")
    target = tmp_path / csv.suggested_filename
    csv.save_as(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Gemeente;Waarde (procent)")
    assert any(line.startswith(f"{naam} (gekozen);{pct(100 * teller / noemer)[:-2]}") for line in lines)
    xlsx = _download(page, "Download tabel (Excel)")
    assert xlsx.suggested_filename.endswith(".xlsx")
    xtarget = tmp_path / xlsx.suggested_filename
    xlsx.save_as(xtarget)
    with zipfile.ZipFile(xtarget) as z:
        assert f"{naam} (gekozen)" in z.read("xl/sharedStrings.xml").decode()

    # The page's own choices and the shared filters go into the URL.
    page.select_option("#vergelijken-groep", "PV24")
    page.wait_for_url(re.compile(r"groep=PV24"))
    page.wait_for_function("() => document.querySelector('#rang-titel').innerText.includes('Provincie')")
    page.select_option("#vergelijken-indicator", "leerroute_aandeel_pct:B1")
    page.wait_for_url(re.compile(r"indicator=leerroute_aandeel_pct%3AB1|indicator=leerroute_aandeel_pct:B1"))
    page.wait_for_function("() => document.querySelector('#rang-titel').innerText.includes('B1')")
    page.select_option("#filter-doelgroep", "asiel")
    page.wait_for_url(re.compile(r"doelgroep=asiel"))
    assert "groep=PV24" in page.url and "leerroute_aandeel_pct" in page.url
    page.wait_for_function("() => document.querySelector('#rang-titel').innerText.includes('asielstatushouders')")
    page.select_option("#filter-periode", str(peil.year - 2))
    page.wait_for_url(re.compile(rf"periode={peil.year - 2}"))
    page.wait_for_function("(j) => document.querySelector('#rang-titel').innerText.includes(j)",
                           arg=f"({peil.year - 2},")
    page.wait_for_selector("#grafiek-rang .main-svg")
    page.screenshot(path=str(screenshots / "vergelijken-na-filters.png"), full_page=True)
    page.problems.check()


def test_vergelijken_national_reference_is_shown_with_source(page, app_url, warehouse):
    _open(page, f"{app_url}/vergelijken?gemeente={START}&indicator=brede_intake_gestart_pct&periode=2022"
                f"&doelgroep=asiel", "#grafiek-rang .main-svg")
    assert page.inner_text("#vk-landelijk").strip() == "35,0 %"
    assert "CBS" in page.inner_text(".kerncijfers")
    assert page.locator("#grafiek-rang text", has_text="Landelijk").count() >= 1
    page.problems.check()


def test_definitie_link_goes_to_the_anchor(page, app_url):
    _open(page, f"{app_url}/vergelijken?gemeente={START}&indicator=pip_binnen_10_weken_pct", "#grafiek-rang .main-svg")
    page.get_by_role("link", name="Definitie", exact=True).first.click()
    page.wait_for_function("() => location.pathname === '/definities' && location.hash === '#pip_binnen_10_weken_pct'")
    page.wait_for_selector("#pip_binnen_10_weken_pct")
    page.wait_for_function("() => { const r = document.getElementById('pip_binnen_10_weken_pct')"
                           ".getBoundingClientRect(); return r.top >= -5 && r.top < window.innerHeight; }")
    page.problems.check()


# --- Beleidsdoelen ----------------------------------------------------------------------------

def _expected_status(warehouse, gemeente: str, doel_id: str) -> tuple[str, str]:
    """Independent restatement: the latest measurable period that ended by the peildatum."""
    peil = _peildatum(warehouse, gemeente)
    rows = q(warehouse, "SELECT periode, status FROM mart_beleidsdoelen WHERE gemeente_code = ? AND doel_id = ? "
                        "ORDER BY periode", [gemeente, doel_id])

    def end(p: str) -> dt.date:
        y = int(p[:4])
        if len(p) == 4:
            return dt.date(y, 12, 31)
        qn = int(p[6])
        return (dt.date(y + 1, 1, 1) if qn == 4 else dt.date(y, 3 * qn + 1, 1)) - dt.timedelta(days=1)

    measurable = [(p, s) for p, s in rows if s != "nog_niet_meetbaar"]
    ended = [(p, s) for p, s in measurable if end(p) <= peil]
    return (ended or measurable or rows)[-1]


LABELS = {"op_koers": "Op koers", "risico": "Risico", "niet_gehaald": "Niet gehaald",
          "nog_niet_meetbaar": "Nog niet meetbaar"}


@pytest.mark.parametrize("gemeente", ["GM0384", "GM0141", "GM0034"])
def test_beleidsdoelen_status_equals_the_warehouse(page, app_url, warehouse, screenshots, gemeente):
    _open(page, f"{app_url}/beleidsdoelen?gemeente={gemeente}", ".doel-blok")
    doelen = [r[0] for r in q(warehouse, "SELECT DISTINCT doel_id FROM mart_beleidsdoelen WHERE gemeente_code = ?",
                              [gemeente])]
    assert page.locator(".doel-blok").count() == len(doelen)
    for doel_id in doelen:
        periode, status = _expected_status(warehouse, gemeente, doel_id)
        assert page.inner_text(f"#status-{doel_id}").strip().endswith(LABELS[status]), doel_id
        toelichting = q(warehouse, "SELECT toelichting FROM mart_beleidsdoelen WHERE gemeente_code = ? AND doel_id = ? "
                                   "AND periode = ?", [gemeente, doel_id, periode])[0][0]
        assert page.inner_text(f"#reden-{doel_id}").strip() == toelichting.strip()
    assert "Brontekst" in page.inner_text("main")
    page.screenshot(path=str(screenshots / f"beleidsdoelen-{gemeente}.png"), full_page=True)
    page.problems.check()


def test_beleidsdoelen_filters_change_the_url_and_download(page, app_url, warehouse, tmp_path):
    _open(page, f"{app_url}/beleidsdoelen?gemeente=GM0384", ".doel-blok")
    page.select_option("#filter-periode", "2024")
    page.wait_for_url(re.compile(r"periode=2024"))
    page.wait_for_function("() => document.querySelector('#status-pip_binnen_10_weken') && "
                           "document.querySelector('#status-pip_binnen_10_weken').parentElement.innerText"
                           ".includes('2024')")
    _, status = q(warehouse, "SELECT periode, status FROM mart_beleidsdoelen WHERE gemeente_code = 'GM0384' "
                             "AND doel_id = 'pip_binnen_10_weken' AND periode = '2024'")[0]
    assert page.inner_text("#status-pip_binnen_10_weken").strip().endswith(LABELS[status])
    dl = _download(page, "Download tabel (Excel)")
    assert dl.suggested_filename.startswith("beleidsdoel_GM0384_") and dl.suggested_filename.endswith(".xlsx")
    page.select_option("#filter-gemeente", "GM0141")
    page.wait_for_url(re.compile(r"gemeente=GM0141"))
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('Almelo')")
    page.problems.check()


# --- Datakwaliteit ----------------------------------------------------------------------------

def test_datakwaliteit_counts_and_no_records(page, app_url, warehouse, screenshots, tmp_path):
    _open(page, f"{app_url}/datakwaliteit?gemeente={DEFECT_GEMEENTE}", "#grafiek-quarantaine .main-svg")
    expected = q(warehouse, "SELECT sum(rows_quarantined), count(*) FROM load_log "
                            "WHERE list_contains(gemeente_codes, ?)", [DEFECT_GEMEENTE])[0]
    assert page.inner_text("#dk-quarantaine").strip() == str(expected[0])
    assert page.inner_text("#dk-bestanden").strip() == str(expected[1])
    page.locator("#quarantaine-titel ~ details summary").click()
    table = page.inner_text("#tabel-quarantaine")
    assert "doelgroep: waarde niet in de codelijst" in table
    # Never a record: no client ids or values from the quarantined rows reach the page.
    body = page.inner_text("body")
    for (record,) in q(warehouse, "SELECT record::VARCHAR FROM quarantine"):
        for m in re.findall(r'"client_id":\s*"([^"]+)"', record):
            assert m not in body
    page.screenshot(path=str(screenshots / "datakwaliteit-alphen-chaam.png"), full_page=True)
    dl = _download(page, "Download tabel (CSV)")
    target = tmp_path / dl.suggested_filename
    dl.save_as(target)
    assert target.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Reden;personen")
    page.select_option("#filter-gemeente", START)
    page.wait_for_url(re.compile(rf"gemeente={START}"))
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('Almere')")
    assert page.inner_text("#dk-quarantaine").strip() == "0"
    page.problems.check()


# --- Definities -------------------------------------------------------------------------------

def test_definities_lists_every_indicator_with_anchor(page, app_url, warehouse, screenshots):
    _open(page, f"{app_url}/definities#duaal_pct", "#duaal_pct")
    ids = [r[0] for r in q(warehouse, "SELECT id FROM mart_indicator_definities")]
    for i in ids:
        assert page.locator(f"section[id='{i}']").count() == 1, i
    titel, eenheid = q(warehouse, "SELECT titel, eenheid FROM mart_indicator_definities WHERE id = 'duaal_pct'")[0]
    assert page.inner_text("#duaal_pct h2") == titel
    assert eenheid in page.inner_text("#duaal_pct")
    page.wait_for_function("() => { const r = document.getElementById('duaal_pct').getBoundingClientRect();"
                           " return r.top >= -5 && r.top < window.innerHeight; }")
    page.screenshot(path=str(screenshots / "definities.png"))
    page.problems.check()


# --- Overzicht additions ----------------------------------------------------------------------

def test_overzicht_shows_change_and_goal_summary(page, app_url, warehouse):
    _open(page, f"{app_url}/?gemeente={START}", "#tabel-verandering")
    row = page.locator("#tabel-verandering tbody tr", has_text="Instroom")
    cells = row.locator("td").all_inner_texts()
    peil = _peildatum(warehouse, START)
    qn = (peil.month - 1) // 3 + 1
    done = f"{peil.year}-Q{qn}" if peil.month in (3, 6, 9, 12) and peil.day >= 30 else None
    if done:
        y, n = int(done[:4]), int(done[6])
        prev = f"{y - 1}-Q4" if n == 1 else f"{y}-Q{n - 1}"
        a = q(warehouse, "SELECT teller FROM mart_indicatoren WHERE indicator = 'instroom' AND gemeente_code = ? "
                         "AND periode = ? AND doelgroep = 'alle'", [START, prev])[0][0]
        b = q(warehouse, "SELECT teller FROM mart_indicatoren WHERE indicator = 'instroom' AND gemeente_code = ? "
                         "AND periode = ? AND doelgroep = 'alle'", [START, done])[0][0]
        assert cells[:2] == [str(a), str(b)]
    n_goals = q(warehouse, "SELECT count(DISTINCT doel_id) FROM mart_beleidsdoelen WHERE gemeente_code = ?", [START])[0][0]
    assert page.locator("#ov-doelen-lijst li").count() == n_goals
    page.problems.check()


# --- Accessibility ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    f"/vergelijken?gemeente={START}&indicator=pip_binnen_10_weken_pct",
    "/beleidsdoelen?gemeente=GM0384",
    f"/datakwaliteit?gemeente={DEFECT_GEMEENTE}",
    "/definities",
])
def test_accessibility_axe(page, app_url, screenshots, path):
    from axe_playwright_python.sync_playwright import Axe

    _open(page, app_url + path, "main h1")
    page.wait_for_timeout(300)
    # every chart drawn (one per frame, assets/loader.js) before the scan
    page.wait_for_function("() => [...document.querySelectorAll('.dash-graph')]"
                           ".every(g => g.querySelector('.main-svg'))")
    for summary in page.locator("details summary").all():
        summary.click()
    # Large tables (Vergelijken) are loaded when their details open.
    page.wait_for_function("() => !document.body.innerText.includes('De tabel wordt geladen')")
    results = Axe().run(page)
    violations = results.response["violations"]
    name = path.strip("/").split("?")[0] or "overzicht"
    (screenshots / f"axe-{name}.txt").write_text(
        "\n".join(f"{v['impact']}: {v['id']} {v['help']} ({len(v['nodes'])})" for v in violations) or "no violations\n")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in serious)
    assert page.locator("h1").count() == 1
    page.problems.check()
