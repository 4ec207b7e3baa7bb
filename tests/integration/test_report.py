"""The quarterly report end to end on the demo warehouse: PDF (Chromium via Playwright, read back with
pdftotext / pdftoppm) and Excel (read back with python-calamine)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from pipelines.report import ReportError, build_report, report_bytes
from pipelines.report.command import rapport
from pipelines.report.excel import SHEETS
from pipelines.report.text import pct
from tests.conftest import query

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent: the PDF is printed by "
                                    "Chromium (apt-get install chromium)")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) is absent")
KWARTAAL = "2025-Q3"
BSN_LIKE = re.compile(r"(?<![\d.,])\d{9}(?![\d.,])")


def _tekst(pdf: Path) -> str:
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    return raw


def _plat(text: str) -> str:
    """Text with line breaks, page breaks and non-breaking spaces as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\f", " "))


def _rij(warehouse: Path, indicator: str, gemeente: str, periode: str, categorie: str | None = None) -> dict:
    cat = "categorie IS NULL" if categorie is None else f"categorie = '{categorie}'"
    cols = ["teller", "noemer", "waarde", "onderdrukt"]
    r = query(warehouse, f"SELECT {', '.join(cols)} FROM mart_indicatoren_publicatie WHERE indicator = ? AND "
                         f"gemeente_code = ? AND periode = ? AND doelgroep = 'alle' AND {cat}",
              [indicator, gemeente, periode])
    return dict(zip(cols, r[0])) if r else {}


@pytest.fixture(scope="module")
def pdf_almelo(demo_warehouse, tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: the PDF is printed by Chromium (apt-get install chromium)")
    return build_report(demo_warehouse, "GM0141", KWARTAAL, tmp_path_factory.mktemp("rapport") / "almelo.pdf", "pdf")


@pytest.fixture(scope="module")
def pdf_diemen(demo_warehouse, tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: the PDF is printed by Chromium (apt-get install chromium)")
    return build_report(demo_warehouse, "GM0384", KWARTAAL, tmp_path_factory.mktemp("rapport") / "diemen.pdf", "pdf")


@pytest.fixture(scope="module")
def xlsx_diemen(demo_warehouse, tmp_path_factory) -> Path:
    return build_report(demo_warehouse, "GM0384", KWARTAAL, tmp_path_factory.mktemp("rapport") / "diemen.xlsx", "xlsx")


# --- PDF text --------------------------------------------------------------------------------------

@needs_chromium
@needs_poppler
def test_pdf_has_title_gemeente_quarter_and_generated_sentence(pdf_almelo, demo_warehouse):
    text = _plat(_tekst(pdf_almelo))
    assert "Kwartaalrapportage Wet inburgering 2021" in text
    assert "Gemeente Almelo" in text
    assert "Derde kwartaal 2025" in text and "het derde kwartaal van 2025" in text
    # the PIP sentence: its numbers are the warehouse's
    nu = _rij(demo_warehouse, "pip_binnen_10_weken_pct", "GM0141", KWARTAAL)
    vorig = _rij(demo_warehouse, "pip_binnen_10_weken_pct", "GM0141", "2025-Q2")
    assert not nu["onderdrukt"] and not vorig["onderdrukt"]
    expected = (f"Van de {int(nu['noemer'])} inburgeraars die in het derde kwartaal van 2025 in de BRP werden "
                f"ingeschreven, kregen er {int(nu['teller'])} ({pct(nu['waarde'])}) binnen tien weken een PIP, "
                f"tegen {pct(vorig['waarde'])} een kwartaal eerder.")
    assert expected in text
    # the instroom sentence
    instroom = _rij(demo_warehouse, "instroom", "GM0141", KWARTAAL)
    assert f"In het derde kwartaal van 2025 stroomden {int(instroom['waarde'])} nieuwe inburgeraars in" in text


@needs_chromium
@needs_poppler
def test_pdf_shows_goal_statuses(pdf_almelo, demo_warehouse):
    text = _plat(_tekst(pdf_almelo))
    from pipelines.goals import STATUS_LABELS

    rows = query(demo_warehouse, "SELECT titel, status FROM mart_beleidsdoelen WHERE gemeente_code = 'GM0141' "
                                 "AND periode = '2025'")
    assert rows
    for titel, status in rows:
        # the status is shown as a shape (CSS, may be extracted as a symbol) and a word
        assert re.search(re.escape(f"{titel} (2025): ") + r"(\S )?" + re.escape(STATUS_LABELS[status]), text)


@needs_chromium
@needs_poppler
def test_pdf_sections_peers_national_definitions_quality(pdf_almelo):
    text = _plat(_tekst(pdf_almelo))
    for kop in ("Samenvatting", "1. Kerncijfers van het kwartaal", "2. Beleidsdoelen en hun status",
                "3. Vergelijking met andere gemeenten en landelijk", "Bijlage A. Definities",
                "Bijlage B. Gegevens en datakwaliteit"):
        assert kop in text
    assert "Alle geladen gemeenten" in text and "Provincie Overijssel" in text
    assert "CBS, Statistiek Wet inburgering (SWI)" in text and "Ministerie van SZW" in text
    assert "Almelo ligt met" in text
    assert "personen.csv" in text  # the loaded files are listed
    assert "pagina 2 van" in text


@needs_chromium
@needs_poppler
def test_pdf_never_states_a_suppressed_number(pdf_diemen, demo_warehouse):
    text = _plat(_tekst(pdf_diemen))
    pip = _rij(demo_warehouse, "pip_binnen_10_weken_pct", "GM0384", KWARTAAL)
    assert pip["onderdrukt"], "demo data changed: Diemen's PIP share of 2025-Q3 is no longer suppressed"
    assert ("Over het derde kwartaal van 2025 is geen cijfer te publiceren over het aandeel met een PIP binnen "
            "tien weken") in text
    # the unsuppressed figure (analyst table) must not appear in the PIP sentence
    real = query(demo_warehouse, "SELECT teller, noemer FROM mart_indicatoren WHERE indicator = "
                                 "'pip_binnen_10_weken_pct' AND gemeente_code = 'GM0384' AND periode = ? AND "
                                 "doelgroep = 'alle'", [KWARTAAL])
    zinnen = text[text.index("Wat de cijfers zeggen"):text.index("Figuur 1.")]
    pip_zin = zinnen[zinnen.index("PIP binnen 10 weken"):zinnen.index("Doorlooptijd van inschrijving")]
    if real:
        teller, noemer = real[0]
        assert not re.search(rf"\b({int(noemer)}|{int(teller)})\b(?! kwartaal)", pip_zin.replace("2025", ""))
    assert "<5" in text and "niet getoond" in text
    # every count shown in the instroom table is either 0, >= 5, or the marker
    for n in re.findall(r"stroomden? (\d+) nieuwe", text):
        assert int(n) == 0 or int(n) >= 5


@needs_chromium
@needs_poppler
def test_pdf_has_no_bsn_like_number(pdf_almelo, pdf_diemen):
    for pdf in (pdf_almelo, pdf_diemen):
        assert not BSN_LIKE.search(_tekst(pdf))


@needs_chromium
@needs_poppler
def test_pdf_pages_render_and_are_not_blank(pdf_almelo, tmp_path):
    subprocess.run(["pdftoppm", "-r", "50", "-gray", str(pdf_almelo), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) > 1
    for page in pages:
        data = page.read_bytes()
        # binary PGM: 'P5\n<w> <h>\n<max>\n' then w*h bytes
        header = data.split(b"\n", 3)
        w, h = map(int, header[1].split())
        pixels = np.frombuffer(header[3][: w * h], dtype=np.uint8)
        assert w > 300 and h > 400
        assert pixels.var() > 20, f"{page.name} looks blank"
        assert (pixels < 128).mean() > 0.002, f"{page.name} has almost no ink"


# --- Excel -----------------------------------------------------------------------------------------

def test_excel_sheets_values_and_suppressed_cells(xlsx_diemen, demo_warehouse):
    wb = CalamineWorkbook.from_path(str(xlsx_diemen))
    assert wb.sheet_names == list(SHEETS)
    kern = wb.get_sheet_by_name("Kerncijfers").to_python()
    assert kern[0][:4] == ["Onderwerp", "3e kw. 2025", "2e kw. 2025", "3e kw. 2024"]
    by_title = {row[0]: row for row in kern[1:] if row and row[0]}
    instroom = _rij(demo_warehouse, "instroom", "GM0384", KWARTAAL)
    assert by_title["Instroom"][1] == pytest.approx(instroom["waarde"])
    deelname = _rij(demo_warehouse, "activiteit_deelname_pct", "GM0384", KWARTAAL)
    assert by_title["Deelname aan een participatieactiviteit"][1] == pytest.approx(deelname["waarde"])
    # suppressed: text markers, never numbers
    assert by_title["PIP binnen 10 weken na inschrijving BRP"][1] == "–"
    assert by_title["Plaatsingen in vrijwilligerswerk"][1] == "<5"
    instroom_sheet = wb.get_sheet_by_name("Instroom").to_python()
    hidden = query(demo_warehouse, "SELECT count(*) FROM mart_indicatoren_publicatie WHERE indicator = 'instroom' "
                                   "AND gemeente_code = 'GM0384' AND onderdrukt AND length(periode) = 7 "
                                   "AND periode BETWEEN '2023-Q4' AND ?",
                   [KWARTAAL])[0][0]
    cells = [c for row in instroom_sheet[1:] for c in row[1:]]
    assert sum(1 for c in cells if c == "<5") == hidden
    assert all(isinstance(c, str) or c == 0 or c >= 5 for c in cells)
    assert "Definities" in wb.sheet_names
    defs = wb.get_sheet_by_name("Definities").to_python()
    assert defs[0] == ["Indicator", "Titel", "Definitie", "Eenheid", "Bron of norm"]
    assert len(defs) > 20
    doelen = wb.get_sheet_by_name("Beleidsdoelen").to_python()
    statuses = {row[6] for row in doelen[1:]}
    assert statuses <= {"Op koers", "Risico", "Niet gehaald", "Nog niet meetbaar"} and statuses
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).to_python():
            for c in row:
                assert not BSN_LIKE.search(str(c)), f"{name}: {c!r}"


def test_report_bytes_and_errors(demo_warehouse):
    data = report_bytes(demo_warehouse, "GM0141", KWARTAAL, "xlsx")
    assert data[:2] == b"PK"
    with pytest.raises(ReportError, match="geen cijfers voor gemeente GM9999"):
        report_bytes(demo_warehouse, "GM9999", KWARTAAL, "xlsx")
    with pytest.raises(ReportError, match="beschikbare kwartalen"):
        report_bytes(demo_warehouse, "GM0141", "2031-Q1", "xlsx")
    with pytest.raises(ReportError, match="geen kwartaal"):
        report_bytes(demo_warehouse, "GM0141", "2025-7", "xlsx")
    with pytest.raises(ReportError, match="onbekend formaat"):
        report_bytes(demo_warehouse, "GM0141", KWARTAAL, "docx")


def test_command_writes_the_report(demo_warehouse, tmp_path):
    out = tmp_path / "almere.xlsx"
    result = CliRunner().invoke(rapport, ["--gemeente", "GM0034", "--kwartaal", KWARTAAL, "--formaat", "xlsx",
                                          "--out", str(out), "--warehouse", str(demo_warehouse)])
    assert result.exit_code == 0, result.output
    assert "Rapport geschreven" in result.output and out.exists()
    help_text = CliRunner().invoke(rapport, ["--help"]).output
    assert "kwartaalrapportage" in help_text and "--gemeente" in help_text
    bad = CliRunner().invoke(rapport, ["--gemeente", "GM0034", "--kwartaal", "2025-Q9", "--warehouse",
                                       str(demo_warehouse)])
    assert bad.exit_code == 1 and "geen kwartaal" in bad.output


@needs_chromium
def test_report_bytes_pdf(demo_warehouse):
    data = report_bytes(demo_warehouse, "GM0034", KWARTAAL, "pdf")
    assert data[:5] == b"%PDF-" and len(data) > 20_000
