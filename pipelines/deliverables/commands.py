"""Click commands for the deliverables; the lead registers them in pipelines/cli.py:

    from pipelines.deliverables.commands import cbs_levering, msd
    main.add_command(cbs_levering)   # inburgering cbs-levering
    main.add_command(msd)            # inburgering msd
"""
from __future__ import annotations

from pathlib import Path

import click

from pipelines.settings import warehouse_path

WAREHOUSE_HELP = "DuckDB-bestand van het warehouse (standaard: $INBURGERING_WAREHOUSE of data/warehouse.duckdb)."


@click.command("cbs-levering", help=(
    "Maak de kwartaallevering voor CBS (Statistiek Wet inburgering): een XML-bestand per persoon met BSN, "
    "gecontroleerd tegen het XSD in data_contracts/cbs/ (cbs_swi.xsd als dat er staat, anders het model van het "
    "project).\n\n"
    "Alleen Wi2021-personen, vanaf het kwartaal van koppeling (asiel) of inschrijving BRP/plicht (gezin, overig). "
    "Personen zonder BSN worden achtergehouden en in het controlerapport genoemd (met client_id). Naast het "
    "XML-bestand komen een controlerapport (.controle.csv) en een leveringsmanifest (.levering.json) waarmee de "
    "volgende levering de wijzigingen toont.\n\n"
    "Het BSN wordt alleen hier ontsleuteld, met de BSN-sleutel buiten het warehouse (INBURGERING_BSN_KEY of "
    "bsn.key in de sleutelmap). Zonder sleutel, of met een verkeerde sleutel, wordt de levering geweigerd "
    "(exitcode 1) en wordt er niets geschreven."))
@click.option("--gemeente", required=True, help="CBS-code van de gemeente, bijvoorbeeld GM0141.")
@click.option("--kwartaal", required=True, help="Kwartaal van de levering, JJJJ-Qn, bijvoorbeeld 2025-Q3.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="XML-bestand voor de levering (bijvoorbeeld GM0141_2025-Q3.xml).")
@click.option("--historie", type=click.Path(file_okay=False, path_type=Path),
              help="Map met de manifesten van eerdere leveringen (standaard: de map van --out).")
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def cbs_levering(gemeente: str, kwartaal: str, out: Path, historie: Path | None, warehouse: Path | None) -> None:
    """Write the CBS SWI delivery of one gemeente and quarter (refuses without the BSN key)."""
    from pipelines.deliverables.cbs import DeliveryError, build_delivery

    try:
        report = build_delivery(warehouse_path(warehouse), gemeente, kwartaal, out, history_dir=historie)
    except DeliveryError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.text())


@click.command("msd", help=(
    "Schrijf de maandcijfers voor de Monitor Sociaal Domein (CSV of XLSX): per maand het aantal inburgeraars "
    "met een lopende plicht (totaal, per doelgroep, per gevolgde leerroute) en de plaatsingen die in de maand "
    "begonnen (vrijwilligerswerk, betaald werk, werkervaringsplek, stage).\n\n"
    "Kleine aantallen (1 tot en met 4) en cellen waaruit die terug te rekenen zijn, worden onderdrukt en "
    "getoond als 'x'. Definities: docs/deliverables.md."))
@click.option("--gemeente", required=True, help="CBS-code van de gemeente, bijvoorbeeld GM0141.")
@click.option("--van", required=True, help="Eerste maand, JJJJ-MM.")
@click.option("--tot", required=True, help="Laatste maand (tot en met), JJJJ-MM; uiterlijk de maand van de peildatum.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Uitvoerbestand: .csv of .xlsx.")
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def msd(gemeente: str, van: str, tot: str, out: Path, warehouse: Path | None) -> None:
    """Write the monthly Monitor Sociaal Domein figures (small numbers suppressed)."""
    from pipelines.deliverables.msd import MsdError, export_msd

    try:
        result = export_msd(warehouse_path(warehouse), gemeente, out, van=van, tot=tot)
    except MsdError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{len(result.published)} maand(en) geschreven naar {out} "
               f"({result.hidden_cells} cel(len) onderdrukt)")


__all__ = ["cbs_levering", "msd"]
