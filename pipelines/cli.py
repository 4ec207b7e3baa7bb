"""The `inburgering` command: generate samples, load exports, export indicators, serve the dashboard."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from pipelines.load.guards import MAX_SHRINK
from pipelines.settings import DEMO_EXPORTS_DIR, REFERENCE_DIR, warehouse_path

WAREHOUSE_HELP = "DuckDB-bestand van het warehouse (standaard: $INBURGERING_WAREHOUSE of data/warehouse.duckdb)."


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=(
    "Monitor Wet inburgering 2021: van zaakexport naar betrouwbare cijfers.\n\n"
    "Gebruik: `inburgering load EXPORTMAP`, daarna `inburgering indicators --out cijfers.csv` "
    "of `inburgering serve`."))
def main() -> None:
    """The `inburgering` command group."""
    from pipelines.privacy.bsn import scrubbing_excepthook

    sys.excepthook = scrubbing_excepthook   # no BSN from an export in a traceback either


@main.command(help="Schrijf realistische voorbeeldexports (met vaste seed, reproduceerbaar).")
@click.option("--out", type=click.Path(path_type=Path), default=DEMO_EXPORTS_DIR, show_default=True,
              help="Map waarin de voorbeeldexports komen.")
@click.option("--seed", type=int, default=2021, show_default=True, help="Startgetal: dezelfde seed geeft dezelfde data.")
@click.option("--peildatum", type=click.DateTime(["%Y-%m-%d"]), default="2026-09-30", show_default=True,
              help="Peildatum van de exports (JJJJ-MM-DD).")
@click.option("--landelijk", is_flag=True, help="Alle 342 gemeenten op landelijke schaal (voor benchmarks; groot).")
@click.option("--defecten", is_flag=True, help="Schrijf ook de set met opzettelijk foute exports (sample_exports/defect).")
def samples(out: Path, seed: int, peildatum, landelijk: bool, defecten: bool) -> None:
    """Generate realistic sample exports (seeded, reproducible)."""
    from pipelines.samples import write_defect_set, write_demo_set, write_national_set

    writer = write_national_set if landelijk else write_demo_set
    files = writer(out, seed=seed, peildatum=peildatum.date())
    click.echo(f"{len(files)} bestanden geschreven in {out}")
    if defecten:
        files = write_defect_set()
        click.echo(f"{len(files)} defecte voorbeeldbestanden geschreven")


KEY_PROBLEM_EXIT = 3      # a key is missing, unreadable, malformed or does not fit the warehouse: nothing loaded
BUSY_EXIT = 4             # another load did not finish within --wachttijd: nothing loaded


def _fail(message: str, code: int) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(code)


@main.command(help=(
    "Laad zaakexports (bestanden, mappen of .zip) in het warehouse.\n\n"
    "Elk bestand wordt gecontroleerd tegen zijn datacontract. Een fout op bestandsniveau wijst het bestand "
    "af en verandert niets; rijen met fouten gaan met hun reden in quarantaine, de rest wordt geladen. "
    "Is het personenbestand van een gemeente afgewezen, dan worden haar andere bestanden achtergehouden. "
    "Exitcode 1: een bestand is afgewezen of achtergehouden; 3: sleutelprobleem; 4: wachttijd verstreken."))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--profile", help="Bronprofiel (naam van een YAML-bestand in data_contracts/profiles); "
                                "zonder deze optie wordt het profiel per bestand herkend.")
@click.option("--force", is_flag=True, help="Laad ook een snapshot die ouder is dan de geladen snapshot, die meer dan "
                                            f"{round(100 * MAX_SHRINK)} % van de huidige rijen verwijdert, of personen "
                                            "zonder de bijbehorende kindbestanden (de oudere kindrijen worden dan "
                                            "verwijderd).")
@click.option("--wachttijd", type=click.FloatRange(min=0), metavar="SECONDEN",
              help="Wacht hoogstens zo lang op een andere load van hetzelfde warehouse (standaard: onbeperkt).")
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
@click.option("--vandaag", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Datum van vandaag (voor tests).")
def load(paths: tuple[Path, ...], profile: str | None, force: bool, wachttijd: float | None, warehouse: Path | None,
         vandaag) -> None:
    """Load case exports (files, folders or .zip) into the warehouse.

    Every file is checked against its data contract. A file with a file-level error is rejected and
    changes nothing; rows with errors go to quarantine with their reasons, the rest is loaded. The
    exit code is 1 when any file was rejected or held back, 3 for a key problem, 4 when the wait ran out.
    """
    from tqdm import tqdm

    from pipelines.extract.profiles import ProfileError
    from pipelines.load.snapshot import LoadBusy, load_paths
    from pipelines.privacy.keys import KEY_LABELS, KeyError_
    from pipelines.reference.errors import ReferenceDataError
    from pipelines.settings import key_dir

    target = warehouse_path(warehouse)
    bar = (lambda items: tqdm(items, desc="Laden", unit="bestand", file=sys.stderr)) if sys.stderr.isatty() else None
    try:
        report = load_paths(list(paths), target, profile=profile, force=force,
                            today=vandaag.date() if vandaag else date.today(), progress=bar, wait=wachttijd,
                            notify=lambda text: click.echo(text, err=True))
    except (ProfileError, ReferenceDataError) as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyError_ as exc:
        _fail(str(exc), KEY_PROBLEM_EXIT)
    except LoadBusy as exc:
        _fail(str(exc), BUSY_EXIT)
    if report.keys_created:
        click.echo(f"Nieuwe {' en '.join(KEY_LABELS[k] for k in report.keys_created)} gemaakt in {key_dir()} voor dit "
                   "nieuwe warehouse. Maak er nu een back-up van (zie README): zonder deze sleutels kan dit warehouse "
                   "niet verder worden geladen.", err=True)
    for f in report.files:
        counts = (f" ({f.rows_read} gelezen, {f.rows_loaded} geladen, {f.rows_quarantined} in quarantaine)"
                  if f.status == "geladen" else "")
        line = f"[{f.status}] {f.file_name}{counts}"
        if f.status in ("afgewezen", "achtergehouden"):
            click.echo(f"{line}\n    {f.message}", err=True)
        else:
            click.echo(f"{line}: {f.message}" if f.message not in ("geladen", "") and f.status == "geladen" else line)
    click.echo(f"Warehouse: {target} (load_id {report.load_id})")
    if report.rejected or report.held_back:
        click.echo(f"{len(report.rejected)} bestand(en) afgewezen, {len(report.held_back)} achtergehouden; het "
                   "warehouse is voor die bestanden ongewijzigd.", err=True)
        sys.exit(1)


@main.group(help=(
    "Beheer de twee sleutels (pseudoniemsleutel en BSN-sleutel) buiten het warehouse.\n\n"
    "Het warehouse onthoudt een vingerafdruk van elke sleutel (nooit de sleutel zelf); een load of CBS-levering "
    "met een andere sleutel wordt geweigerd. Maak een back-up van de sleutelmap (zie README)."))
def sleutels() -> None:
    """Key management: make keys for a new warehouse, check keys against a warehouse."""


def _key_state(warehouse: Path | None) -> tuple[Path, dict[str, str], bool]:
    """(warehouse file, fingerprints recorded in it, whether it holds data) for the sleutels commands."""
    from pipelines.load.keyguard import warehouse_state

    target = warehouse_path(warehouse)
    return (target, *warehouse_state(target))


@sleutels.command("maak", help=(
    "Maak ontbrekende sleutelbestanden in de sleutelmap ($INBURGERING_KEY_DIR) voor een nieuw warehouse. "
    "Bestaande sleutels worden nooit overschreven; voor een warehouse dat al gegevens bevat weigert dit "
    "commando (zet dan de sleutels terug uit de back-up). Exitcode 3 bij een sleutelprobleem."))
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def sleutels_maak(warehouse: Path | None) -> None:
    """Create missing key files, only for a new or empty warehouse."""
    from pipelines.privacy.keys import KEY_LABELS, KEYS, KeyError_, fingerprint, get_key, key_exists, key_origin

    target, recorded, has_data = _key_state(warehouse)
    missing = [name for name, which in KEYS.items() if not key_exists(which)]
    if missing and (recorded or has_data):
        _fail(f"het warehouse {target} bevat al gegevens met eigen sleutels; nieuwe sleutels passen daar niet bij. "
              "Zet de sleutelmap uit de back-up terug (of laat INBURGERING_KEY_DIR naar die map wijzen), of kies met "
              "--warehouse een nieuw warehouse.", KEY_PROBLEM_EXIT)
    try:
        for name, which in KEYS.items():
            key = get_key(which, create=True)
            state = "gemaakt" if name in missing else "bestond al"
            click.echo(f"{KEY_LABELS[name]}: {state} ({key_origin(which)}), vingerafdruk {fingerprint(key)}")
    except KeyError_ as exc:
        _fail(str(exc), KEY_PROBLEM_EXIT)
    if missing:
        click.echo("Maak nu een back-up van de sleutelmap (zie README).")


@sleutels.command("controleer", help=(
    "Laat zien waar elke sleutel vandaan komt, met zijn vingerafdruk, en of hij past bij het warehouse. "
    "Exitcode 0 als alles past, 3 als een sleutel ontbreekt, onleesbaar is of niet past."))
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def sleutels_controleer(warehouse: Path | None) -> None:
    """Show each key's origin and fingerprint and whether it fits the warehouse."""
    from pipelines.privacy.keys import KEY_LABELS, KEYS, KeyError_, fingerprint, get_key, key_origin

    _, recorded, has_data = _key_state(warehouse)
    problems = 0
    for name, which in KEYS.items():
        try:
            key = get_key(which, create=False)
        except KeyError_ as exc:
            problems += 1
            click.echo(f"{KEY_LABELS[name]}: PROBLEEM: {exc}", err=True)
            continue
        mine = fingerprint(key)
        if name not in recorded:
            verdict = "nog niet vastgelegd in het warehouse" + (" (wordt bij de volgende load gecontroleerd)"
                                                                if has_data else "")
        elif recorded[name] == mine:
            verdict = "past bij het warehouse"
        else:
            problems += 1
            verdict = f"PAST NIET: het warehouse is geladen met vingerafdruk {recorded[name]}"
        click.echo(f"{KEY_LABELS[name]} ({key_origin(which)}): vingerafdruk {mine}; {verdict}")
    if problems:
        sys.exit(KEY_PROBLEM_EXIT)


@main.command(help=(
    "Schrijf alle indicatoren als nette CSV-rijen (niet onderdrukt: voor analisten, niet voor publicatie).\n\n"
    "Kolommen: indicator, gemeente_code, periode, doelgroep, categorie, teller, noemer, waarde."))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="CSV-bestand voor de indicatoren.")
@click.option("--groepen", type=click.Path(path_type=Path),
              help="Schrijf ook de rijen van vergelijkingsgroepen (alle geladen gemeenten, provincie, "
                   "arbeidsmarktregio, grootteklasse, eigen regio's) met 95%-interval naar dit CSV-bestand.")
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def indicators(out: Path, groepen: Path | None, warehouse: Path | None) -> None:
    """Write every indicator as tidy CSV rows (unsuppressed), and optionally the peer-group rows."""
    from pipelines.indicators.engine import export_groups, export_indicators

    target = warehouse_path(warehouse)
    if not target.exists():
        raise click.ClickException(f"geen warehouse gevonden op {target}; laad eerst exports met `inburgering load`")
    n = export_indicators(target, out)
    click.echo(f"{n} rijen geschreven naar {out}")
    if groepen:
        click.echo(f"{export_groups(target, groepen)} groepsrijen geschreven naar {groepen}")


@main.command(help="Ververs data_contracts/reference/gemeenten.csv uit CBS open data (Gebieden in Nederland 2026, "
                   "86247NED; Regionale kerncijfers, 70072NED). Vraagt internet; kijk daarna de wijzigingen na.")
@click.option("--out", type=click.Path(path_type=Path), default=REFERENCE_DIR, show_default=True,
              help="Map voor gemeenten.csv.")
@click.option("--peiljaar", type=int, help="Jaar van de inwonertallen (1 januari); standaard het laatste complete jaar.")
def referentie(out: Path, peiljaar: int | None) -> None:
    """Refresh the reference list of gemeenten from CBS open data."""
    from pipelines.reference.cbs import refresh_from_cbs
    from pipelines.reference.errors import ReferenceDataError

    try:
        click.echo(f"Geschreven: {refresh_from_cbs(out, peiljaar=peiljaar)}")
    except ReferenceDataError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command(help="Start het dashboard (bouwt eerst het warehouse uit de voorbeeldexports als er geen is).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres waarop het dashboard luistert.")
@click.option("--port", default=8050, show_default=True, type=int, help="Poort van het dashboard.")
@click.option("--warehouse", type=click.Path(path_type=Path), help=WAREHOUSE_HELP)
def serve(host: str, port: int, warehouse: Path | None) -> None:
    """Serve the dashboard (builds the warehouse from the sample exports when none exists)."""
    from dashboards.app import create_app
    from pipelines.load.snapshot import build_demo_warehouse

    target = warehouse_path(warehouse)
    if not target.exists():
        click.echo(f"Geen warehouse op {target}: voorbeeldexports worden geladen ...")
        build_demo_warehouse(target)
    click.echo(f"Dashboard: http://{host}:{port}/")
    create_app(target).run(host=host, port=port, debug=False)


def _register_deliverables() -> None:
    """Commands that produce what leaves the building (CBS delivery, Monitor Sociaal Domein, council report)."""
    from pipelines.deliverables.commands import cbs_levering, msd
    from pipelines.report.command import rapport

    main.add_command(cbs_levering)
    main.add_command(msd)
    main.add_command(rapport)


_register_deliverables()

if __name__ == "__main__":
    main()
