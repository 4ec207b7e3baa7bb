"""The quarterly council report (kwartaalrapportage) as PDF or Excel, from the published tables.

    build_report(warehouse, "GM0141", "2025-Q3", "rapport.pdf", "pdf")   -> Path
    report_bytes(warehouse, "GM0141", "2025-Q3", "xlsx")                 -> bytes (for a download button)

See docs/report.md for what the report contains and how its sentences are generated.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipelines.report.data import ReportError, Rapportgegevens, verzamel

FORMATEN = ("pdf", "xlsx")
MEDIA_TYPES = {"pdf": "application/pdf",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}

__all__ = ["FORMATEN", "MEDIA_TYPES", "ReportError", "Rapportgegevens", "build_report", "report_bytes",
           "report_filename", "verzamel"]


def report_filename(gemeente_naam_of_code: str, kwartaal: str, formaat: str) -> str:
    """'kwartaalrapportage-inburgering-almelo-2025-Q3.pdf'."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in gemeente_naam_of_code.lower()).strip("-")
    return f"kwartaalrapportage-inburgering-{slug}-{kwartaal}.{formaat}"


def build_report(warehouse: str | os.PathLike, gemeente_code: str, kwartaal: str, out_path: str | os.PathLike,
                 formaat: str = "pdf") -> Path:
    """Write the quarterly report of one gemeente and quarter ('YYYY-Qn') as PDF or Excel; returns the path.

    Raises ReportError (Dutch message) for an unknown gemeente, a quarter without figures or an unknown
    formaat, and pipelines.report.pdf.RenderError when Chromium cannot print.
    """
    formaat = str(formaat).lower().lstrip(".")
    if formaat not in FORMATEN:
        raise ReportError(f"onbekend formaat {formaat!r} (kies pdf of xlsx)")
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    gegevens = verzamel(warehouse, gemeente_code, kwartaal)
    # Write next to the target and move into place, so a failed render never leaves half a file.
    fd, tmp_name = tempfile.mkstemp(prefix=".rapport-", suffix=f".{formaat}", dir=str(out.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if formaat == "pdf":
            from pipelines.report.pdf import TITEL, html_naar_pdf, render_html
            from pipelines.report.text import kwartaal_titel

            html_naar_pdf(render_html(gegevens), tmp, (TITEL, gegevens.gemeente_naam, kwartaal_titel(gegevens.kwartaal)))
        else:
            from pipelines.report.excel import write_workbook

            write_workbook(gegevens, tmp)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out


def report_bytes(warehouse: str | os.PathLike, gemeente_code: str, kwartaal: str, formaat: str = "pdf") -> bytes:
    """The report as bytes, for a download (e.g. dcc.send_bytes in the dashboard)."""
    with tempfile.TemporaryDirectory(prefix="rapport-") as tmp:
        path = build_report(warehouse, gemeente_code, kwartaal, Path(tmp) / f"rapport.{str(formaat).lower()}", formaat)
        return path.read_bytes()
