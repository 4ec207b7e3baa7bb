"""The Rapportage page: the council report downloads as a real PDF and Excel workbook."""
from __future__ import annotations

import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.e2e


def test_report_downloads_from_the_dashboard(page, app_url, tmp_path, screenshots):
    page.goto(f"{app_url}/rapportage?gemeente=GM0141&periode=2025-Q3")
    page.wait_for_selector("#rapport-download-pdf")
    assert "Almelo" in page.inner_text("h1")
    assert page.input_value("#filter-periode") == "2025-Q3"
    with page.expect_download(timeout=90_000) as info:
        page.click("#rapport-download-pdf")
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.name == "kwartaalrapportage-inburgering-almelo-2025-Q3.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Almelo" in text and "kwartaal" in text
    with page.expect_download(timeout=90_000) as info:
        page.click("#rapport-download-xlsx")
    xlsx = tmp_path / info.value.suggested_filename
    info.value.save_as(xlsx)
    assert len(CalamineWorkbook.from_path(str(xlsx)).sheet_names) > 2
    page.screenshot(path=str(screenshots / "rapportage.png"), full_page=True)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    page.problems.check()
