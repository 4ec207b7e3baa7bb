"""Browser tests: the demo warehouse, the app in a subprocess (`python app.py`) and system Chromium."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
STARTUP_TIMEOUT_S = 120


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run e2e tests")


@pytest.fixture(scope="session")
def warehouse(demo_warehouse) -> Path:
    """The demo warehouse, built from sample_exports/demo through the real pipeline."""
    _require_chromium()
    return demo_warehouse


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(warehouse: Path, log_dir: Path, probe: str = "/"):
    """`python app.py` serving `warehouse` on a free port; yields its base URL once `probe` answers 200."""
    port = _free_port()
    log_path = log_dir / "app.log"
    env = {**os.environ, "INBURGERING_WAREHOUSE": str(warehouse), "INBURGERING_HOST": "127.0.0.1",
           "INBURGERING_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"app exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url + probe, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"app did not answer within {STARTUP_TIMEOUT_S} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def app_url(warehouse, tmp_path_factory):
    """Base URL of `python app.py` serving the warehouse on a free port."""
    with serve_app(warehouse, tmp_path_factory.mktemp("app")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """System Chromium through Playwright (no browser download). Module scope: a Playwright sync session
    left open would stop later code in this process (the PDF report) from starting its own."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class PageProblems(list):
    """Console errors, page errors, failed and non-local requests seen by a page."""

    def check(self) -> None:
        """Fail the test when anything went wrong in the browser."""
        assert not self, "browser problems:\n" + "\n".join(self)


@pytest.fixture
def page(browser, app_url):
    """A fresh page (Dutch locale) that records every console error and failed or external request."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL", accept_downloads=True)
    pg = context.new_page()
    problems = PageProblems()
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    pg.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def block_external(route):
        # Offline by design: anything not served by the app (CDN, fonts, telemetry) is a bug.
        problems.append(f"external request: {route.request.url}")
        route.abort()

    context.route(lambda url: not url.startswith(app_url) and not url.startswith(("data:", "blob:")),
                  block_external)
    pg.problems = problems
    yield pg
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """tests/e2e/screenshots/ (gitignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
