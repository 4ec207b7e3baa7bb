"""Benchmark: dashboard callback server time and first page render on the national-scale warehouse.

    python bench/bench_pipeline.py       # once: builds bench/out/national.duckdb
    python bench/bench_dashboard.py      # server time per page (Flask test client), then Chromium

Server time: every registered page is requested through Dash's own page-routing callback
(POST /_dash-update-component, exactly what the browser sends when the URL changes) for several filter
values, via Flask's test client in this process; p50/p95 per page. Target: p95 < 150 ms. Each request is
timed twice: "first visit" with the server's result cache emptied just before (every query runs against
DuckDB), then "repeat visit" (the same view again, results from the per-warehouse-version cache).
Vergelijken's tables are filled by their own callback when their details are first opened: each is
timed right after its page callback, as the browser sends it (rows "/vergelijken tabel rang|trechter").
First render: `python app.py` serving the same warehouse, system Chromium (a fresh context per visit, nothing
cached), from navigation start until the frame with the page's first chart (or heading, for pages without
charts) is drawn, measured in the page itself; for a gemeente with policy goals. Target: median < 1,5 s.
The "wall" column is the older, coarser measure (Playwright's polling wait, see `render_times`).
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = Path("/usr/bin/chromium")
TARGET_P95_MS = 150.0
TARGET_RENDER_S = 1.5


def pick_gemeenten(warehouse: Path) -> list[str]:
    """A large, a middle and a small gemeente (by inhabitants) plus one with policy goals."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT DISTINCT p.gemeente_code, r.inwoners FROM mart_indicatoren_publicatie p "
            "JOIN ref_gemeenten r USING (gemeente_code) ORDER BY r.inwoners DESC").fetchall()
        with_goals = [r[0] for r in con.execute(
            "SELECT DISTINCT gemeente_code FROM mart_beleidsdoelen ORDER BY gemeente_code").fetchall()]
    finally:
        con.close()
    codes = [r[0] for r in rows]
    picks = [codes[0], codes[len(codes) // 2], codes[-1]] + with_goals[:1]
    return list(dict.fromkeys(picks))


def scenarios(gemeenten: list[str], pages: list[str]) -> dict[str, list[str]]:
    """Query strings per page path: several gemeenten and filter values."""
    out: dict[str, list[str]] = {}
    for path in pages:
        qs = []
        for g in gemeenten:
            qs.append(f"?gemeente={g}")
            qs.append(f"?gemeente={g}&periode=2025&doelgroep=asiel")
        if path == "/vergelijken":
            g = gemeenten[0]
            qs += [f"?gemeente={g}&indicator=leerroute_aandeel_pct:B1&groep=GELADEN",
                   f"?gemeente={g}&indicator=wachttijd_huisvesting_mediaan&periode=2025-Q2",
                   f"?gemeente={gemeenten[-1]}&indicator=vrijwilligerswerk_plaatsingen&periode=2024"]
        if path == "/definities":
            qs = [""] * 4
        out[path] = qs
    return out


def _payload(pathname: str, search: str) -> dict:
    return {
        "output": "..\u005fpages_content.children...\u005fpages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }


def _tabel_payload(key: str, search: str) -> dict:
    """The request of Vergelijken's table callback when the details of table `key` are opened."""
    summary = {"type": "vergelijken-tabel-summary", "tabel": key}
    inhoud = {"type": "vergelijken-tabel-inhoud", "tabel": key}
    return {
        "output": '{"tabel":["MATCH"],"type":"vergelijken-tabel-inhoud"}.children',
        "outputs": {"id": inhoud, "property": "children"},
        "inputs": [{"id": summary, "property": "n_clicks", "value": 1}],
        "changedPropIds": [json.dumps(summary, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [{"id": "vergelijken-url", "property": "search", "value": search}],
    }


def _timed(client, payload: dict, label: str) -> tuple[float, bool]:
    """(milliseconds until the response body is complete, whether the callback changed anything); exits
    on an error."""
    start = time.perf_counter()
    resp = client.post("/_dash-update-component", json=payload)
    body = resp.get_data()
    elapsed = (time.perf_counter() - start) * 1000
    if resp.status_code not in (200, 204):
        raise SystemExit(f"{label}: HTTP {resp.status_code}: {body[:500]!r}")
    return elapsed, resp.status_code == 200 and bool(json.loads(body).get("response"))


def server_times(warehouse: Path, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per page-routing callback (response fully built), per page path, for a first visit
    (result cache emptied) and a repeat visit."""
    os.environ["INBURGERING_WAREHOUSE"] = str(warehouse)
    import dash

    from dashboards import warehouse as wh
    from dashboards.app import create_app

    app = create_app(warehouse)
    client = app.server.test_client()
    assert client.get("/").status_code == 200   # builds the layout, warms the connection
    pages = [p["path"] for p in sorted(dash.page_registry.values(), key=lambda p: p.get("order") or 0)]
    gemeenten = pick_gemeenten(warehouse)
    print(f"gemeenten: {', '.join(gemeenten)}; {repeats} run(s) per query string")
    times: dict[str, dict[str, list[float]]] = {"eerste": {}, "herhaald": {}}
    for path, queries in scenarios(gemeenten, pages).items():
        # one warm-up request per page (imports, first query plans)
        client.post("/_dash-update-component", json=_payload(path, queries[0]))
        for search in queries:
            for _ in range(repeats):
                wh.clear_cache()
                for visit in ("eerste", "herhaald"):
                    elapsed, _ = _timed(client, _payload(path, search), f"{path}{search}")
                    times[visit].setdefault(path, []).append(elapsed)
                    if path != "/vergelijken":
                        continue
                    for key in ("rang", "trechter"):   # a count or median has no funnel plot (nothing sent)
                        elapsed, filled = _timed(client, _tabel_payload(key, search), f"{path} tabel {key}{search}")
                        if filled:
                            times[visit].setdefault(f"{path} tabel {key}", []).append(elapsed)
    return times


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100, linear interpolation)."""
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    k = (len(values) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Installed in every page before its own scripts: records when `main h1` and the first chart's SVG enter the
# document, and the start of the next animation frame (the one that shows them: the task that inserted them,
# e.g. drawing the whole chart, has finished by then), in ms since navigation start (performance.now()).
PROBE_JS = r"""
(() => {
  const t = window.__firstRender = {};
  const drawn = (key) => requestAnimationFrame(() => { t[key] = performance.now(); });
  const check = () => {
    if (t.h1 === undefined && document.querySelector("main h1")) { t.h1 = performance.now(); drawn("h1Drawn"); }
    if (t.chart === undefined && document.querySelector(".js-plotly-plot .main-svg")) {
      t.chart = performance.now(); drawn("chartDrawn");
    }
    if (t.h1 !== undefined && t.chart !== undefined) { observer.disconnect(); }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true});
})();
"""


def render_times(warehouse: Path, pages: list[str], gemeente: str, runs: int) -> dict[str, dict[str, list[float]]]:
    """Seconds from navigation start to the first chart (or, on pages without charts, the h1) drawn, per page,
    in system Chromium: {"drawn": [...], "wall": [...]}.

    "drawn" is measured in the page (PROBE_JS): the start of the animation frame that shows the first chart.
    "wall" is the older measure, kept for comparison: the time until Playwright's wait_for_selector returns,
    which polls at growing intervals (0, 20, 50, 100, 100, then every 500 ms) from the page's load event on,
    so it adds up to half a second that is not the page's own."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "INBURGERING_WAREHOUSE": str(warehouse), "INBURGERING_HOST": "127.0.0.1",
           "INBURGERING_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    out: dict[str, dict[str, list[float]]] = {}
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"`python app.py` did not answer on {url}")
                time.sleep(0.25)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            for path in pages:
                for i in range(runs + 1):
                    # a fresh context each time: nothing cached, as a first visit
                    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL")
                    ctx.add_init_script(PROBE_JS)
                    page = ctx.new_page()
                    start = time.perf_counter()
                    page.goto(f"{url}{path}?gemeente={gemeente}")
                    page.wait_for_selector("main h1")
                    # dcc.Graph renders div.dash-graph at once, also while plotly.js is still loading
                    charts = page.locator(".dash-graph, .js-plotly-plot").count() > 0
                    if charts:
                        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
                    wall = time.perf_counter() - start
                    key = "chartDrawn" if charts else "h1Drawn"
                    page.wait_for_function(f"() => window.__firstRender && window.__firstRender.{key} !== undefined")
                    drawn = page.evaluate(f"window.__firstRender.{key}") / 1000
                    if i:   # the first run warms the server (query plans, imports)
                        out.setdefault(path, {"drawn": [], "wall": []})
                        out[path]["drawn"].append(drawn)
                        out[path]["wall"].append(wall)
                    ctx.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=ROOT / "bench" / "out" / "national.duckdb")
    parser.add_argument("--repeats", type=int, default=3, help="runs per query string (server time)")
    parser.add_argument("--render-runs", type=int, default=3, help="first renders per page (Chromium)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium first-render timing")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    if not args.warehouse.exists():
        sys.exit(f"{args.warehouse} does not exist: run `python bench/bench_pipeline.py` first")

    times = server_times(args.warehouse, args.repeats)
    result = {"server_ms": {}, "render_s": {}}
    for visit, title in (("eerste", "first visit, result cache empty"), ("herhaald", "repeat visit, cached")):
        print(f"\nserver time per callback (ms): page callbacks, and Vergelijken's tables opened after their "
              f"page; {title}; target p95 < {TARGET_P95_MS:.0f} ms")
        print(f"  {'callback':<30}{'n':>4}{'p50':>9}{'p95':>9}{'max':>9}")
        for path, ms in times[visit].items():
            p50, p95 = pct(ms, 50), pct(ms, 95)
            flag = "" if p95 < TARGET_P95_MS else "  > target"
            print(f"  {path:<30}{len(ms):>4}{p50:>9.0f}{p95:>9.0f}{max(ms):>9.0f}{flag}")
            result["server_ms"].setdefault(visit, {})[path] = {"n": len(ms), "p50": round(p50, 1),
                                                               "p95": round(p95, 1)}

    if not args.no_browser:
        if not CHROMIUM.exists():
            print(f"\n{CHROMIUM} is absent: no first-render timing")
        else:
            gemeente = pick_gemeenten(args.warehouse)[-1]   # one with policy goals: every page has content
            pages = [name for name in times["eerste"] if " tabel " not in name]
            renders = render_times(args.warehouse, pages, gemeente, args.render_runs)
            print(f"\nfirst render in Chromium (s, navigation -> first chart drawn, or the h1 on pages without "
                  f"charts), gemeente {gemeente}, target median < {TARGET_RENDER_S:.1f} s; wall = until "
                  f"Playwright's polling wait_for_selector returns (older measure, for comparison)")
            print(f"  {'page':<22}{'n':>4}{'median':>9}{'max':>9}{'wall':>9}")
            for path, r in renders.items():
                s = r["drawn"]
                flag = "" if statistics.median(s) < TARGET_RENDER_S else "  > target"
                print(f"  {path:<22}{len(s):>4}{statistics.median(s):>9.2f}{max(s):>9.2f}"
                      f"{statistics.median(r['wall']):>9.2f}{flag}")
                result["render_s"][path] = {"n": len(s), "median": round(statistics.median(s), 3),
                                            "max": round(max(s), 3),
                                            "wall_median": round(statistics.median(r["wall"]), 3)}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
