"""Issue 12: deliveries stay whole, wrong snapshots are refused, keys are guarded, faults are tidied.

Real files through the real CLI (a subprocess where the environment matters: key folders, locks).
"""
from __future__ import annotations

import fcntl
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.load import load_paths
from tests.conftest import query, write_csv
from tests.integration.test_load import BSN_OK, P_HEADER, TODAY, personen_rows

REPO = Path(__file__).resolve().parents[2]
E_HEADER = ["peildatum", "gemeente_code", "client_id", "onderdeel", "niveau", "datum_examen", "resultaat", "poging"]
G_HEADER = ["peildatum", "gemeente_code", "client_id", "datum_gesprek", "soort"]


def delivery(folder: Path, peildatum: str = "2025-06-30", gemeente: str = "GM0384", personen: list | None = None,
             broken_personen: bool = False, children: tuple[str, ...] = ("examens", "gesprekken")) -> Path:
    rows = personen if personen is not None else personen_rows(peildatum, gemeente)
    header = [c for c in P_HEADER if c != "doelgroep"] if broken_personen else P_HEADER
    if broken_personen:
        rows = [[v for c, v in zip(P_HEADER, r) if c != "doelgroep"] for r in rows]
    write_csv(folder / "personen.csv", header, rows)
    if "examens" in children:
        write_csv(folder / "examens.csv", E_HEADER,
                  [[peildatum, gemeente, "K1", "lezen", "B1", "2024-05-01", "geslaagd", "1"],
                   [peildatum, gemeente, "K2", "knm", "", "2024-05-02", "gezakt", "1"]])
    if "gesprekken" in children:
        write_csv(folder / "gesprekken.csv", G_HEADER, [[peildatum, gemeente, "K1", "2024-01-01", "voortgang"],
                                                         [peildatum, gemeente, "K3", "2025-01-01", "voortgang"]])
    return folder


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--vandaag", TODAY.isoformat()] if args[0] == "load" else list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def run(args: list[str], env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **(env or {})}, **kwargs)


def state(wh: Path) -> dict[str, list]:
    """What a user's figures depend on, without load ids and timestamps."""
    out = {t: query(wh, f"SELECT * EXCLUDE (load_id) FROM raw_{t} ORDER BY ALL")
           for t in ("personen", "examens", "gesprekken")}
    out["personen"] = [r for r in query(wh, "SELECT * EXCLUDE (load_id, bsn_versleuteld) FROM raw_personen ORDER BY ALL")]
    out["quarantine"] = query(wh, "SELECT file_name, target_table, row_number, reasons FROM quarantine ORDER BY ALL")
    out["snapshot"] = query(wh, "SELECT gemeente_code, target_table, peildatum, file_name, file_sha256 "
                                "FROM snapshot_current ORDER BY ALL")
    out["indicatoren"] = query(wh, "SELECT * FROM mart_indicatoren ORDER BY ALL")
    return out


# ------------------------------------------------------------------------------------ 1. deliveries stay whole

def test_rejected_personen_holds_back_the_delivery_and_the_fix_equals_a_clean_load(tmp_path):
    clean = tmp_path / "schoon.duckdb"
    assert cli("load", str(delivery(tmp_path / "a" / "levering")), "--warehouse", str(clean))[0] == 0

    wh = tmp_path / "wh.duckdb"
    bad = delivery(tmp_path / "b" / "levering", broken_personen=True)
    code, out = cli("load", str(bad), "--warehouse", str(wh))
    assert code == 1
    assert "[afgewezen] levering/personen.csv" in out
    for child in ("examens", "gesprekken"):
        assert f"[achtergehouden] levering/{child}.csv" in out
    assert "het personenbestand van GM0384 in deze levering is afgewezen (levering/personen.csv)" in out
    assert "0 bestand(en) afgewezen" not in out and "1 bestand(en) afgewezen, 2 achtergehouden" in out
    assert not wh.exists()                                   # nothing loaded, nothing quarantined as orphans

    fixed = delivery(tmp_path / "b" / "levering")
    code, out = cli("load", str(fixed), "--warehouse", str(wh))
    assert code == 0 and out.count("[geladen]") == 3, out
    assert state(wh) == state(clean)


def test_bad_then_fixed_on_top_of_an_older_snapshot(tmp_path):
    wh, clean = tmp_path / "wh.duckdb", tmp_path / "schoon.duckdb"
    for target in (wh, clean):
        assert load_paths([delivery(tmp_path / "oud" / "levering")], target, today=TODAY).changed
    before = wh.read_bytes()
    report = load_paths([delivery(tmp_path / "nieuw" / "levering", "2025-09-30", broken_personen=True)], wh,
                        today=TODAY)
    assert [f.status for f in report.files] == ["afgewezen", "achtergehouden", "achtergehouden"]
    assert wh.read_bytes() == before                          # the old, whole snapshot stays
    load_paths([delivery(tmp_path / "nieuw" / "levering", "2025-09-30")], wh, today=TODAY)
    load_paths([delivery(tmp_path / "nieuw" / "levering", "2025-09-30")], clean, today=TODAY)
    assert state(wh) == state(clean)


def test_unreadable_personen_holds_back_its_folder(tmp_path):
    folder = delivery(tmp_path / "levering")
    (folder / "personen.csv").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)))   # gzip under a .csv name
    report = load_paths([folder], tmp_path / "wh.duckdb", today=TODAY)
    assert {f.file_name: f.status for f in report.files} == {
        "levering/personen.csv": "afgewezen", "levering/examens.csv": "achtergehouden",
        "levering/gesprekken.csv": "achtergehouden"}
    assert "niet leesbaar" in report.held_back[0].message and not (tmp_path / "wh.duckdb").exists()


def test_unchanged_child_file_is_reloaded_when_its_persons_changed(tmp_path):
    wh = tmp_path / "wh.duckdb"
    folder = delivery(tmp_path / "levering")
    load_paths([folder], wh, today=TODAY)
    # a corrected personen file of the same peildatum (K3's geslacht): the child files are byte-identical
    rows = personen_rows()
    rows[2][P_HEADER.index("geslacht")] = "V"
    write_csv(folder / "personen.csv", P_HEADER, rows)
    report = load_paths([folder], wh, today=TODAY)
    assert {f.file_name: f.status for f in report.files} == {
        "levering/personen.csv": "geladen", "levering/examens.csv": "geladen", "levering/gesprekken.csv": "geladen"}
    assert query(wh, "SELECT count(DISTINCT load_id) FROM snapshot_current") == [(1,)]
    # a warehouse where the child rows were checked against other persons (as the old code left it)
    import duckdb
    con = duckdb.connect(str(wh))
    con.execute("UPDATE snapshot_current SET personen_load_id = 'ouder' WHERE target_table = 'gesprekken'")
    con.close()
    report = load_paths([folder], wh, today=TODAY)
    assert {f.file_name: f.status for f in report.files}["levering/gesprekken.csv"] == "geladen"
    again = load_paths([folder], wh, today=TODAY)
    assert {f.status for f in again.files} == {"ongewijzigd"}


def test_newer_personen_without_its_child_files_is_refused_unless_forced(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_paths([delivery(tmp_path / "oud")], wh, today=TODAY)
    before = wh.read_bytes()
    new = delivery(tmp_path / "nieuw", "2025-09-30", children=("examens",))
    code, out = cli("load", str(new), "--warehouse", str(wh))
    assert code == 1 and "[afgewezen] nieuw/personen.csv" in out
    assert "gesprekken van GM0384 (peildatum 30-06-2025)" in out and "Laad de hele levering" in out
    assert "[achtergehouden] nieuw/examens.csv" in out
    assert wh.read_bytes() == before

    code, out = cli("load", str(new), "--warehouse", str(wh), "--force")
    assert code == 0, out
    assert "met --force oudere rijen verwijderd: gesprekken van GM0384" in out
    assert query(wh, "SELECT count(*) FROM raw_gesprekken") == [(0,)]
    assert query(wh, "SELECT DISTINCT peildatum FROM raw_examens") == query(wh, "SELECT DISTINCT peildatum "
                                                                                "FROM raw_personen")


def test_child_file_of_another_peildatum_than_the_persons_is_held_back(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_paths([delivery(tmp_path / "oud")], wh, today=TODAY)
    newer_exams = delivery(tmp_path / "nieuw", "2025-09-30") / "examens.csv"
    report = load_paths([newer_exams], wh, today=TODAY)
    assert report.files[0].status == "achtergehouden"
    assert "past niet bij de geladen personen van GM0384 (peildatum 30-06-2025)" in report.files[0].message


# ------------------------------------------------------------------------------------ 2. wrong snapshot

@pytest.mark.parametrize("folder", ["GM0448_texel", "texel", "export_GM0448"])
def test_file_named_after_another_gemeente_is_refused(tmp_path, folder):
    wh = tmp_path / "wh.duckdb"
    code, out = cli("load", str(delivery(tmp_path / folder, gemeente="GM0034")), "--warehouse", str(wh))
    assert code == 1 and f"[afgewezen] {folder}/personen.csv" in out
    assert "maar het bestand bevat rijen van GM0034" in out and ("GM0448" in out or "Texel" in out)
    assert not wh.exists()


def test_file_named_after_its_own_gemeente_or_its_predecessor_loads(tmp_path):
    wh = tmp_path / "wh.duckdb"
    assert load_paths([delivery(tmp_path / "GM0034_almere", gemeente="GM0034")], wh, today=TODAY).changed
    assert not load_paths([delivery(tmp_path / "Weesp", gemeente="GM0457")], wh, today=TODAY).rejected


def test_snapshot_removing_over_30_percent_is_refused_unless_forced(tmp_path):
    wh = tmp_path / "wh.duckdb"
    ten = [personen_rows()[1][:2] + [f"K{i}"] + personen_rows()[1][3:] for i in range(1, 11)]
    load_paths([delivery(tmp_path / "oud", personen=ten)], wh, today=TODAY)
    before = wh.read_bytes()
    six = delivery(tmp_path / "nieuw", "2025-09-30",
                   personen=[["2025-09-30"] + r[1:] for r in ten[:6]])
    code, out = cli("load", str(six), "--warehouse", str(wh))
    assert code == 1 and "GM0384 van 10 naar 6 personen (-40 %)" in out and "--force" in out
    assert wh.read_bytes() == before
    seven = delivery(tmp_path / "nieuw", "2025-09-30", personen=[["2025-09-30"] + r[1:] for r in ten[:7]])
    assert cli("load", str(seven), "--warehouse", str(wh))[0] == 0                   # exactly 30 %: allowed
    code, out = cli("load", str(delivery(tmp_path / "kort", "2025-12-31", personen=[["2025-12-31"] + r[1:]
                                                                                       for r in ten[:2]])),
                    "--warehouse", str(wh), "--force")
    assert code == 0 and "met --force geladen hoewel" in out
    assert query(wh, "SELECT count(*) FROM raw_personen") == [(2,)]


def test_child_table_shrinking_over_30_percent_is_refused_with_its_counts(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_paths([delivery(tmp_path / "oud")], wh, today=TODAY)
    new = delivery(tmp_path / "nieuw", "2025-09-30")
    write_csv(new / "examens.csv", E_HEADER, [["2025-09-30", "GM0384", "K1", "lezen", "B1", "2024-05-01",
                                               "geslaagd", "1"]])
    report = load_paths([new], wh, today=TODAY)
    statuses = {f.file_name: f.status for f in report.files}
    assert statuses["nieuw/examens.csv"] == "afgewezen" and statuses["nieuw/personen.csv"] == "afgewezen"
    exams = next(f for f in report.files if f.file_name == "nieuw/examens.csv")
    assert "GM0384 van 2 naar 1 rijen in examens (-50 %)" in exams.message
    assert query(wh, "SELECT DISTINCT peildatum FROM snapshot_current") == [(date(2025, 6, 30),)]


# ------------------------------------------------------------------------------------ 4. keys

def keys_env(folder: Path) -> dict:
    return {"INBURGERING_KEY_DIR": str(folder), "INBURGERING_PSEUDONYM_KEY": "", "INBURGERING_BSN_KEY": ""}


def test_keys_are_made_for_a_new_warehouse_and_guarded_afterwards(tmp_path):
    keys, other = tmp_path / "sleutels", tmp_path / "andere-sleutels"
    wh = tmp_path / "wh.duckdb"
    proc = run(["load", str(delivery(tmp_path / "levering")), "--warehouse", str(wh), "--vandaag", "2026-11-23"],
               keys_env(keys))
    assert proc.returncode == 0, proc.stderr
    assert "Nieuwe pseudoniemsleutel en BSN-sleutel gemaakt" in proc.stderr and "back-up" in proc.stderr
    assert stat.S_IMODE((keys / "pseudoniem.key").stat().st_mode) == 0o600
    recorded = dict(query(wh, "SELECT key_name, fingerprint FROM key_fingerprints"))
    assert set(recorded) == {"pseudoniem", "bsn"} and all(len(v) == 16 for v in recorded.values())
    blob = wh.read_bytes()
    for name in ("pseudoniem.key", "bsn.key"):
        assert (keys / name).read_text().strip().encode() not in blob

    # another key folder (cron with another HOME): refused, nothing made, nothing loaded
    before = wh.read_bytes()
    newer = delivery(tmp_path / "nieuw", "2025-09-30")
    proc = run(["load", str(newer), "--warehouse", str(wh), "--vandaag", "2026-11-23"], keys_env(other))
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "pseudoniemsleutel" in proc.stderr and "ontbreekt" in proc.stderr and "back-up" in proc.stderr
    assert not other.exists() and wh.read_bytes() == before

    # other keys (made on purpose for a new warehouse): a load with them is refused
    assert run(["sleutels", "maak", "--warehouse", str(tmp_path / "nieuw.duckdb")], keys_env(other)).returncode == 0
    proc = run(["load", str(newer), "--warehouse", str(wh), "--vandaag", "2026-11-23"], keys_env(other))
    assert proc.returncode == 3 and "past niet bij dit warehouse" in proc.stderr
    assert recorded["pseudoniem"] in proc.stderr and wh.read_bytes() == before
    # ... and so is the CBS delivery with the other BSN key
    proc = run(["cbs-levering", "--gemeente", "GM0384", "--kwartaal", "2025-Q2", "--out", str(tmp_path / "x.xml"),
                "--warehouse", str(wh)], keys_env(other))
    assert proc.returncode == 1 and "BSN-sleutel past niet bij dit warehouse" in proc.stderr
    assert recorded["bsn"] in proc.stderr and not (tmp_path / "x.xml").exists()

    # sleutels controleer / maak
    ok = run(["sleutels", "controleer", "--warehouse", str(wh)], keys_env(keys))
    assert ok.returncode == 0 and ok.stdout.count("past bij het warehouse") == 2
    bad = run(["sleutels", "controleer", "--warehouse", str(wh)], keys_env(other))
    assert bad.returncode == 3 and "PAST NIET" in bad.stdout
    refused = run(["sleutels", "maak", "--warehouse", str(wh)], keys_env(tmp_path / "leeg"))
    assert refused.returncode == 3 and "bevat al gegevens" in refused.stderr and not (tmp_path / "leeg").exists()

    # the right keys again: loads
    proc = run(["load", str(newer), "--warehouse", str(wh), "--vandaag", "2026-11-23"], keys_env(keys))
    assert proc.returncode == 0, proc.stderr


def test_key_problems_give_a_dutch_message_not_a_traceback(tmp_path):
    wh = tmp_path / "wh.duckdb"
    keys = tmp_path / "sleutels"
    assert run(["load", str(delivery(tmp_path / "levering")), "--warehouse", str(wh), "--vandaag", "2026-11-23"],
               keys_env(keys)).returncode == 0
    malformed = run(["load", str(tmp_path / "levering"), "--warehouse", str(wh)],
                    {**keys_env(keys), "INBURGERING_PSEUDONYM_KEY": "geen-sleutel-" + BSN_OK[0]})
    assert malformed.returncode == 3 and "Traceback" not in malformed.stderr
    assert "INBURGERING_PSEUDONYM_KEY: verwacht een sleutel van 32 bytes" in malformed.stderr
    assert BSN_OK[0] not in malformed.stderr                    # the bad value is not echoed

    unreadable = tmp_path / "kapot"
    (unreadable / "pseudoniem.key").mkdir(parents=True)        # a folder where the key file should be
    proc = run(["load", str(tmp_path / "levering"), "--warehouse", str(wh)], keys_env(unreadable))
    assert proc.returncode == 3 and "Traceback" not in proc.stderr and "niet leesbaar" in proc.stderr

    (keys / "bsn.key").write_text("kapot\n")
    proc = run(["sleutels", "controleer", "--warehouse", str(wh)], keys_env(keys))
    assert proc.returncode == 3 and "Traceback" not in proc.stderr and "32 bytes" in proc.stderr


def test_a_warehouse_from_before_fingerprints_is_checked_against_its_rows(tmp_path, monkeypatch):
    keys = tmp_path / "sleutels"
    monkeypatch.setenv("INBURGERING_KEY_DIR", str(keys))
    wh = tmp_path / "wh.duckdb"
    load_paths([delivery(tmp_path / "levering")], wh, today=TODAY)
    import duckdb
    con = duckdb.connect(str(wh))
    con.execute("DROP TABLE key_fingerprints")
    con.close()
    monkeypatch.setenv("INBURGERING_BSN_KEY", os.urandom(32).hex())
    newer = delivery(tmp_path / "nieuw", "2025-09-30")
    code, out = cli("load", str(newer), "--warehouse", str(wh))
    assert code == 3 and "BSN-sleutel past niet" in out
    monkeypatch.delenv("INBURGERING_BSN_KEY")
    code, out = cli("load", str(newer), "--warehouse", str(wh))
    assert code == 0, out
    assert {r[0] for r in query(wh, "SELECT key_name FROM key_fingerprints")} == {"pseudoniem", "bsn"}


# ------------------------------------------------------------------------------------ 7. tidy after faults

def test_leftover_working_copies_are_removed_and_new_ones_are_private(tmp_path, monkeypatch):
    wh = tmp_path / "wh.duckdb"
    load_paths([delivery(tmp_path / "oud")], wh, today=TODAY)
    mode = stat.S_IMODE(wh.stat().st_mode)
    leftover = tmp_path / ".wh.duckdb.20260101T000000-abcdef.tmp"
    shutil.copyfile(wh, leftover)
    os.chmod(leftover, 0o644)
    seen = {}
    from pipelines.transform import runner
    real = runner.run_models

    def spy(con):
        seen.update({p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob(".wh.duckdb.*.tmp*")})
        return real(con)

    monkeypatch.setattr("pipelines.transform.runner.run_models", spy)
    load_paths([delivery(tmp_path / "nieuw", "2025-09-30")], wh, today=TODAY)
    assert leftover.name not in seen and seen and set(seen.values()) == {0o600}
    assert not list(tmp_path.glob(".wh.duckdb.*"))
    assert stat.S_IMODE(wh.stat().st_mode) == mode            # the warehouse keeps its own mode


def hold_lock(wh: Path):
    fh = open(wh.with_name(wh.name + ".lock"), "a")
    fcntl.flock(fh, fcntl.LOCK_EX)
    return fh


def test_a_second_load_says_it_waits_and_gives_up_after_its_time_limit(tmp_path):
    wh = tmp_path / "wh.duckdb"
    fh = hold_lock(wh)
    try:
        started = time.monotonic()
        proc = run(["load", str(delivery(tmp_path / "levering")), "--warehouse", str(wh), "--wachttijd", "1"])
        assert time.monotonic() - started < 60
    finally:
        fh.close()
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert "Er loopt al een andere load op dit warehouse; deze load wacht" in proc.stderr
    assert "maximaal 1 seconden" in proc.stderr and "na 1 seconden nog niet klaar" in proc.stderr
    assert not wh.exists()


def test_a_waiting_load_goes_ahead_when_the_first_is_done(tmp_path):
    wh = tmp_path / "wh.duckdb"
    fh = hold_lock(wh)
    threading.Timer(2.0, fh.close).start()
    proc = run(["load", str(delivery(tmp_path / "levering")), "--warehouse", str(wh), "--vandaag", "2026-11-23"])
    assert proc.returncode == 0, proc.stderr
    assert "deze load wacht tot die klaar is (zonder tijdslimiet" in proc.stderr and "[geladen]" in proc.stdout
