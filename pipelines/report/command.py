"""The `inburgering rapport` command (registered in pipelines/cli.py with main.add_command(rapport))."""
from __future__ import annotations

import time
from pathlib import Path

import click

from pipelines.settings import warehouse_path

WAREHOUSE_HELP = "DuckDB-bestand van het warehouse (standaard: $INBURGERING_WAREHOUSE of data/warehouse.duckdb)."


@click.command(name="rapport", context_settings={"help_option_names": ["-h", "--help"]}, help=(
    "Maak de kwartaalrapportage voor gemeenteraad en adviesraad, als PDF of Excel.\n\n"
    "Het rapport bevat de kerncijfers van het kwartaal met de vergelijking met het vorige kwartaal en "
    "hetzelfde kwartaal een jaar eerder, de status van de beleidsdoelen, een vergelijking met andere "
    "gemeenten en landelijke cijfers, de definities en een toelichting op de datakwaliteit. Kleine aantallen "
    "zijn afgeschermd. Voor PDF is Chromium nodig (/usr/bin/chromium).\n\n"
    "Voorbeeld: inburgering rapport --gemeente GM0141 --kwartaal 2025-Q3 --formaat pdf"))
@click.option("--gemeente", required=True, metavar="GMxxxx", help="CBS-code van de gemeente, bijvoorbeeld GM0141.")
@click.option("--kwartaal", required=True, metavar="JJJJ-Qn", help="Het kwartaal, bijvoorbeeld 2025-Q3.")
@click.option("--formaat", type=click.Choice(["pdf", "xlsx"], case_sensitive=False), default="pdf", show_default=True,
              help="PDF om te lezen en af te drukken, of Excel met dezelfde cijfers.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Uitvoerbestand (standaard: kwartaalrapportage-inburgering-<gemeente>-<kwartaal>.<formaat> "
                   "in de huidige map).")
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def rapport(gemeente: str, kwartaal: str, formaat: str, out: Path | None, warehouse: Path | None) -> None:
    """Write the quarterly council report of one gemeente as PDF or Excel."""
    from pipelines.report import ReportError, build_report, report_filename
    from pipelines.report.pdf import RenderError

    formaat = formaat.lower()
    target = warehouse_path(warehouse)
    if not target.exists():
        raise click.ClickException(f"warehouse niet gevonden: {target} (laad eerst exports met `inburgering load`)")
    out = out or Path(report_filename(gemeente, kwartaal, formaat))
    t0 = time.perf_counter()
    try:
        path = build_report(target, gemeente, kwartaal, out, formaat)
    except (ReportError, RenderError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Rapport geschreven: {path} ({time.perf_counter() - t0:.1f} s)")
