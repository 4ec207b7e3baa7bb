"""The `inburgering` command as a user runs it."""
from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from pipelines.cli import main


@pytest.mark.parametrize("command", ["samples", "load", "indicators", "serve", "referentie", "cbs-levering", "msd", "rapport",
                                     "sleutels"])
def test_every_command_explains_itself(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    assert any(word in result.output for word in ("warehouse", "voorbeeldexports", "indicatoren", "CBS", "Monitor Sociaal Domein", "kwartaal"))


def test_samples_then_load_then_indicators(tmp_path):
    runner = CliRunner()
    out = tmp_path / "exports"
    result = runner.invoke(main, ["samples", "--out", str(out), "--peildatum", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert len(list(out.rglob("*.csv"))) + len(list(out.rglob("*.xlsx"))) >= 30
    wh = tmp_path / "wh.duckdb"
    result = runner.invoke(main, ["load", str(out), "--warehouse", str(wh), "--vandaag", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "[afgewezen]" not in result.output and result.output.count("[geladen]") >= 30
    again = runner.invoke(main, ["load", str(out), "--warehouse", str(wh), "--vandaag", "2026-11-23"])
    assert again.exit_code == 0 and "[geladen]" not in again.output and "[ongewijzigd]" in again.output


def test_rejection_exit_code_and_message_from_a_real_process(tmp_path):
    bad = tmp_path / "personen.csv"
    bad.write_text("peildatum,gemeente_code,client_id\n2025-06-30,GM0384,K1\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "load", str(bad), "--warehouse",
                           str(tmp_path / "wh.duckdb")], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "personen.csv: verplichte kolom 'doelgroep' ontbreekt" in proc.stderr
