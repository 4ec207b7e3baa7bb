"""How a page starts in Chromium: plotly.js (the basic bundle, never the full one) is loaded once and only
where charts are drawn, Dash's polyfill and dash_table's bundle are not loaded, and every chart is drawn
(one per frame, see dashboards/assets/loader.js)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

ALL_CHARTS_DRAWN = ("() => { const g = [...document.querySelectorAll('.dash-graph')];"
                    " return g.length > 0 && g.every(x => x.querySelector('.main-svg')); }")


def _requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    return seen


def test_chart_page_evaluates_the_basic_plotly_bundle_once(page, app_url):
    seen = _requests(page)
    page.goto(f"{app_url}/participatie?gemeente=GM0034&periode=2025")
    page.wait_for_selector("main h1")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    assert page.locator(".dash-graph .main-svg").count() >= 2 * 3   # several charts, 3 SVG layers each
    plotly = [u for u in seen if "plotly" in u]
    assert len(plotly) == 1 and "/assets/plotly-basic.min.js" in plotly[0], plotly
    assert not any("polyfill@" in u or "/dash_table/" in u for u in seen)
    assert page.evaluate("typeof window.Plotly.react") == "function"
    assert page.evaluate("typeof window.regeneratorRuntime.wrap") == "function"
    page.problems.check()


def test_page_without_charts_loads_plotly_only_when_a_chart_page_opens(page, app_url):
    seen = _requests(page)
    page.goto(f"{app_url}/definities")
    page.wait_for_selector("main h1")
    page.wait_for_timeout(500)
    assert not any("plotly" in u for u in seen)
    assert page.evaluate("window.Plotly === undefined")

    page.locator(".site-nav a", has_text="Instroom").first.click()
    page.wait_for_selector("#grafiek-instroom .main-svg")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    plotly = [u for u in seen if "plotly" in u]
    assert len(plotly) == 1 and "/assets/plotly-basic.min.js" in plotly[0], plotly
    page.problems.check()


def test_charts_are_drawn_again_after_a_new_choice(page, app_url):
    page.goto(f"{app_url}/instroom?gemeente=GM0034&periode=2025")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    page.select_option("#filter-doelgroep", "asiel")
    page.wait_for_url(lambda u: "doelgroep=asiel" in u)
    page.wait_for_selector("#kerncijfers-titel:has-text('asielstatushouders')")
    page.wait_for_function(ALL_CHARTS_DRAWN)
    assert page.locator("#grafiek-instroom .main-svg").count() >= 1
    page.problems.check()


def test_a_browser_without_es2017_gets_dashs_polyfill(page, app_url):
    seen = _requests(page)
    # pretend to be an older browser: one of the features the polyfill provides is missing
    page.add_init_script("delete String.prototype.padStart;")
    page.goto(f"{app_url}/instroom?gemeente=GM0034&periode=2025")
    page.wait_for_selector("#grafiek-instroom .main-svg")
    assert sum("/deps/polyfill@" in u for u in seen) == 1
    assert page.evaluate("typeof ''.padStart") == "function"   # provided by the polyfill
    page.problems.check()
