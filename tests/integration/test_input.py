"""Input as it arrives (issue 12): BSNs in every written form never leave, input is bounded, a broken
file rejects only itself, and Excel's encodings, hidden sheets and multi-line cells are handled.

Every test loads real files through the real command line (`python -m pipelines.cli load`)."""
from __future__ import annotations

import csv
import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipelines.privacy.bsn import WEIGHTS, scrub
from pipelines.settings import PROJECT_ROOT
from tests.conftest import query, write_csv
from tests.integration.test_load import P_HEADER, personen_rows

GIB = 1024 ** 3


def make_bsn(stem: str) -> str:
    """A BSN passing the elfproef: 8 digits plus the check digit that makes it valid (None if none does)."""
    for last in "0123456789":
        candidate = stem + last
        if sum(int(d) * w for d, w in zip(candidate, WEIGHTS)) % 11 == 0:
            return candidate
    return make_bsn(str(int(stem) + 1).zfill(8))


def load(*paths, warehouse: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m pipelines.cli load` in a subprocess, with the test session's key folder."""
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "load", *map(str, paths), "--warehouse",
                           str(warehouse), "--vandaag", "2026-11-23"], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env={**os.environ, **(env or {})}, timeout=300)


# --- no BSN at any exit ------------------------------------------------------------------------------

BSNS = [make_bsn(s) for s in ("29340064", "22243938", "63653880", "73151260", "14830291", "25864735")]
LEADING_ZERO = make_bsn("04827361")   # written without its leading zero: 8 digits


def written_forms() -> list[str]:
    """The BSNs as people and spreadsheets write them."""
    a, b, c, d, e, f = BSNS
    return [a[:4] + "." + a[4:6] + "." + a[6:], " ".join((b[:3], b[3:6], b[6:])), "BSN " + c,
            "-".join((d[:3], d[3:6], d[6:])), e, LEADING_ZERO[1:], f]


def test_no_bsn_in_any_written_form_in_warehouse_output_or_messages(tmp_path):
    forms = written_forms()
    rows = personen_rows()
    for i, form in enumerate(forms[:5]):      # valid persons: the BSN column in each written form
        row = list(rows[0])
        row[2], row[3] = f"W{i}", form
        rows.append(row)
    bad_code = list(rows[0])
    bad_code[2], bad_code[3], bad_code[4] = "Q1", "", forms[6]          # a BSN where a code belongs
    rows.append(bad_code)
    bsn_as_id = list(rows[0])
    bsn_as_id[2], bsn_as_id[3] = forms[0], ""                         # a BSN (dotted) as client_id
    rows.append(bsn_as_id)
    folder = tmp_path / "GM0384_diemen"
    path = write_csv(folder / "personen.csv", P_HEADER, rows)
    with open(path, "a", encoding="utf-8") as fh:                     # wrong field count, BSN 8 digits
        fh.write(f"2025-06-30,GM0384,R1,{forms[5]},asiel,M\n")
    # headers peildatum and bsn swapped: the rejection quotes the 'peildatum' values
    swapped = [h for h in P_HEADER]
    swapped[0], swapped[3] = "bsn", "peildatum"
    other = tmp_path / "GM0363_amsterdam"
    write_csv(other / "personen.csv", swapped,
              [["2025-06-30", "GM0363", r[2], r[3], *r[4:]] for r in rows[3:8]])
    wh = tmp_path / "wh.duckdb"
    out = load(folder, other, warehouse=wh)
    assert out.returncode == 1, out.stderr
    assert "meer dan één peildatum" in out.stderr and "[verwijderd: mogelijk BSN]" in out.stderr
    assert "(11 gelezen, 9 geladen, 2 in quarantaine)" in out.stdout
    assert query(wh, "SELECT count(*) FROM raw_personen WHERE bsn_pseudoniem IS NOT NULL")[0][0] == 2 + 5
    records = dict(query(wh, "SELECT row_number, record FROM quarantine"))
    assert set(records) == {10, 12} and "R1" in records[12] and "Q1" in records[10]
    blob = wh.read_bytes()
    texts = out.stdout + out.stderr
    for value in [*BSNS, LEADING_ZERO, LEADING_ZERO[1:], *forms]:
        digits = "".join(c for c in value if c.isdigit())
        for needle in {value, digits, digits.lstrip("0")}:
            assert needle not in texts, needle
            assert needle.encode() not in blob, needle


@pytest.mark.parametrize("text, kept", [
    ("meer dan één peildatum (2026-03-31, 2026-06-30)", True),
    ("geladen: 30-09-2026; Inburgering_klanten_20260630.csv", True),
    ("rij heeft 6 velden, de kopregel 5", True),
    ("2934.00.647", False), ("222 439 385", False), ("BSN 636538801", False), ("48273611", False),
    ("123-456-782", False), ("klant 12 222 439 385", False),
])
def test_scrubber_keeps_dates_and_removes_every_form(text, kept):
    assert (scrub(text) == text) is kept
    if not kept:
        assert not any(run for run in "".join(c if c.isdigit() else " " for c in scrub(text)).split()
                       if len(run) >= 3)


def test_a_traceback_is_scrubbed_too(tmp_path):
    code = ("import sys; from pipelines.privacy.bsn import scrubbing_excepthook; "
            "sys.excepthook = scrubbing_excepthook; raise ValueError('waarde 2934.00.647 en 222 439 385')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert "ValueError" in out.stderr and "2934" not in out.stderr and "439" not in out.stderr


# --- bounded input ------------------------------------------------------------------------------------

def child_peak_bytes() -> int:
    """Peak resident memory of the largest child process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


@pytest.mark.parametrize("env, refusal", [
    ({}, "levering.zip: de invoer van deze load is samen 1.073,7 MB (2 bestanden), groter dan de grens van 30,0 MB"),
    ({"INBURGERING_MAX_INVOER_MB": "5000"},
     "levering.zip/examens.csv: uitgepakt 1.073,7 MB, groter dan de grens van 30,0 MB"),
    ({"INBURGERING_MAX_INVOER_MB": "5000", "INBURGERING_MAX_BESTAND_MB": "5000"},
     "levering.zip/examens.csv: compressieverhouding"),
])
def test_a_zip_bomb_member_is_refused_without_unpacking_and_the_rest_loads(tmp_path, env, refusal):
    bomb = tmp_path / "levering.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("examens.csv", "w", force_zip64=True) as fh:
            fh.write(b"peildatum,gemeente_code,client_id,onderdeel,niveau,datum_examen,resultaat,poging\n")
            block = b"0" * (64 * 1024 * 1024)
            for _ in range(16):                         # 1 GiB of one byte: about 1 MB compressed
                fh.write(block)
        archive.writestr("personen.csv", _csv_bytes(P_HEADER, personen_rows()))
    assert bomb.stat().st_size < 10 * 1024 * 1024
    wh = tmp_path / "wh.duckdb"
    out = load(bomb, warehouse=wh, env=env)
    assert out.returncode == 1
    assert refusal in out.stderr, out.stderr
    if env:   # a member over a limit rejects that member only
        assert "[geladen] levering.zip/personen.csv (3 gelezen, 3 geladen" in out.stdout
    else:     # over the limit of the whole load: nothing is read, no warehouse is made
        assert "[geladen]" not in out.stdout and not wh.exists()
    assert child_peak_bytes() < 2 * GIB


def test_files_and_members_over_the_size_limit_are_refused_with_the_limit(tmp_path):
    folder = tmp_path / "GM0384_diemen"
    write_csv(folder / "personen.csv", P_HEADER, personen_rows())
    rows = [["2025-06-30", "GM0384", "K1", "lezen", "B1", "2024-05-01", "geslaagd", "1"]] * 4000
    header = ["peildatum", "gemeente_code", "client_id", "onderdeel", "niveau", "datum_examen", "resultaat", "poging"]
    write_csv(folder / "examens.csv", header, rows)                                 # about 200 kB
    with zipfile.ZipFile(tmp_path / "extra.zip", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("gesprekken.csv", b"peildatum,gemeente_code,client_id,datum_gesprek,soort\n" * 4000)
    wh = tmp_path / "wh.duckdb"
    out = load(folder, tmp_path / "extra.zip", warehouse=wh, env={"INBURGERING_MAX_BESTAND_MB": "0,1"})
    assert out.returncode == 1
    assert "GM0384_diemen/examens.csv: het bestand is 0,21 MB, groter dan de grens van 0,10 MB" in out.stderr
    assert "extra.zip/gesprekken.csv: uitgepakt 0,22 MB, groter dan de grens van 0,10 MB" in out.stderr
    assert "[geladen] GM0384_diemen/personen.csv" in out.stdout
    assert query(wh, "SELECT count(*) FROM raw_examens") == [(0,)]


def test_a_malformed_limit_refuses_the_load_with_its_name(tmp_path):
    folder = tmp_path / "GM0384_diemen"
    write_csv(folder / "personen.csv", P_HEADER, personen_rows())
    out = load(folder, warehouse=tmp_path / "wh.duckdb", env={"INBURGERING_MAX_BESTAND_MB": "veel"})
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "instelling ongeldig: INBURGERING_MAX_BESTAND_MB='veel' is geen getal" in out.stderr


def test_a_big_allowed_file_loads_under_2_gib_even_when_every_row_is_quarantined(tmp_path):
    # the worst case: every row of a file just under the default limit becomes a quarantine record
    demo = (PROJECT_ROOT / "sample_exports/demo/canoniek/GM0034_almere/examens.csv").read_text().splitlines()
    path = tmp_path / "GM0034_almere" / "examens.csv"
    path.parent.mkdir()
    n = 0
    with open(path, "w") as fh:
        fh.write(demo[0] + "\n")
        while fh.tell() < 29 * 1000 * 1000:             # 29 MB, about 480,000 exams of unknown persons
            for line in demo[1:]:
                parts = line.split(",")
                parts[2] = f"X-{n:08d}"
                fh.write(",".join(parts) + "\n")
                n += 1
    out = load(path.parent, warehouse=tmp_path / "wh.duckdb")
    assert out.returncode == 0, out.stderr
    assert f"({n} gelezen, 0 geladen, {n} in quarantaine)" in out.stdout
    assert child_peak_bytes() < 2 * GIB


def test_a_load_over_the_total_input_limit_is_refused_whole(tmp_path):
    folder = tmp_path / "GM0384_diemen"
    persons = [[*row[:2], f"K{i}", *row[3:]] for i, row in enumerate(personen_rows() * 100)]
    write_csv(folder / "personen.csv", P_HEADER, persons)                           # about 25 kB each
    write_csv(folder / "examens.csv", ["peildatum", "gemeente_code", "client_id", "onderdeel", "niveau",
                                       "datum_examen", "resultaat", "poging"],
              [["2025-06-30", "GM0384", "K1", "lezen", "B1", "2024-05-01", "geslaagd", "1"]] * 500)
    wh = tmp_path / "wh.duckdb"
    out = load(folder, warehouse=wh, env={"INBURGERING_MAX_INVOER_MB": "0,04"})
    assert out.returncode == 1 and not wh.exists()
    assert "de invoer van deze load is samen 0,05 MB (2 bestanden), groter dan de grens van 0,04 MB per load " \
           "(INBURGERING_MAX_INVOER_MB)" in out.stderr, out.stderr
    assert load(folder, warehouse=wh).returncode == 0      # within the default limit: loads
    assert query(wh, "SELECT count(*) FROM raw_examens") == [(500,)]


def test_a_broken_file_rejects_only_itself(tmp_path):
    folder = tmp_path / "GM0384_diemen"
    write_csv(folder / "personen.csv", P_HEADER, personen_rows())
    (folder / "examens.csv").write_text("peildatum," + "x" * 200_000 + "\n2025-06-30,1\n")
    (folder / "uren.csv").write_text('peildatum,gemeente_code,client_id,maand\n2025-06-30,GM0384,K1,"' +
                                     "y" * 200_000 + '"\n')
    wh = tmp_path / "wh.duckdb"
    out = load(folder, warehouse=wh)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "examens.csv: regel 1: kopregel niet leesbaar" in out.stderr
    assert "uren.csv: rij 2: CSV niet leesbaar (een veld is langer dan 131.072 tekens)" in out.stderr
    assert query(wh, "SELECT count(*) FROM raw_personen") == [(3,)]


# --- Excel's reality ----------------------------------------------------------------------------------

def _csv_bytes(header, rows, sep=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("encoding, bom, label", [
    ("cp1252", b"", "tekenset Windows-1252"),
    ("utf-16-le", b"\xff\xfe", "tekenset UTF-16"),
    ("utf-16-be", b"\xfe\xff", "tekenset UTF-16 (big-endian)"),
])
def test_excel_encodings_are_read_and_reported(tmp_path, encoding, bom, label):
    rows = personen_rows()
    rows[1][2] = "K-Zoë-Ångström"
    text = _csv_bytes(P_HEADER, rows, sep="\t").decode()
    path = tmp_path / "GM0384_diemen" / "personen.csv"
    path.parent.mkdir()
    path.write_bytes(bom + text.encode(encoding))
    wh = tmp_path / "wh.duckdb"
    out = load(path.parent, warehouse=wh)
    assert out.returncode == 0, out.stderr
    assert f"(3 gelezen, 3 geladen, 0 in quarantaine): {label}" in out.stdout
    assert ("K-Zoë-Ångström",) in query(wh, "SELECT client_id FROM raw_personen")


def test_hidden_sheets_are_named_and_not_loaded(tmp_path):
    import xlsxwriter

    path = tmp_path / "GM0384_diemen.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, header, rows in (
            ("personen", P_HEADER, personen_rows()),
            ("examens", ["peildatum", "gemeente_code", "client_id", "onderdeel", "niveau", "datum_examen",
                         "resultaat", "poging"], [["2025-06-30", "GM0384", "K1", "lezen", "B1", "2024-05-01",
                                                   "geslaagd", "1"]])):
        sheet = book.add_worksheet(name)
        for r, row in enumerate([header, *rows]):
            sheet.write_row(r, 0, row)
        if name == "examens":
            sheet.hide()
    book.close()
    wh = tmp_path / "wh.duckdb"
    out = load(path, warehouse=wh)
    assert out.returncode == 0, out.stderr
    assert "verborgen werkblad(en) 'examens' niet geladen" in out.stdout
    assert query(wh, "SELECT count(*) FROM raw_examens") == [(0,)]
    assert query(wh, "SELECT count(*) FROM raw_personen") == [(3,)]


def test_row_numbers_match_the_spreadsheet_after_a_cell_with_a_line_break(tmp_path):
    header = ["peildatum", "gemeente_code", "client_id", "datum_gesprek", "soort", "opmerking"]
    rows = [["2025-06-30", "GM0384", "K1", "2024-01-01", "voortgang", "regel een\nregel twee\nregel drie"],
            ["2025-06-30", "GM0384", "K1", "2024-01-02", "voortgang", ""],
            ["2025-06-30", "GM0384", "K1", "2024-01-03", "voortgang", ""],
            ["2025-06-30", "GM0384", "K1", "2024-13-01", "voortgang", ""]]     # spreadsheet row 5
    folder = tmp_path / "GM0384_diemen"
    write_csv(folder / "personen.csv", P_HEADER, personen_rows())
    write_csv(folder / "gesprekken.csv", header, rows)
    wh = tmp_path / "wh.duckdb"
    out = load(folder, warehouse=wh)
    assert out.returncode == 0, out.stderr
    assert query(wh, "SELECT row_number FROM quarantine") == [(5,)]
    assert query(wh, "SELECT row_number FROM raw_gesprekken ORDER BY 1") == [(2,), (3,), (4,)]


def test_a_profile_can_force_an_encoding(tmp_path):
    own = tmp_path / "profielen"
    own.mkdir()
    (own / "oud_systeem.yaml").write_text("""
name: oud_systeem
description: an imaginary system that writes Latin-9 text without saying so
format: csv
encoding: iso8859-15
files:
  personen:
    match: "klanten*.csv"
    columns: {"Peildatum": peildatum, "Gemeente": gemeente_code, "Klant": client_id, "Groep": doelgroep,
              "Plicht": datum_plicht}
""", encoding="utf-8")
    export = tmp_path / "GM0384_diemen" / "klanten.csv"
    export.parent.mkdir()
    # '€' is 0xA4 in Latin-9 but '¤' in Windows-1252: only the forced encoding reads it right
    export.write_bytes("Peildatum,Gemeente,Klant,Groep,Plicht\n2025-06-30,GM0384,K-€1,asiel,2023-01-10\n"
                       .encode("iso8859-15"))
    wh = tmp_path / "wh.duckdb"
    out = load(export.parent, warehouse=wh, env={"INBURGERING_PROFILES_DIR": str(own)})
    assert out.returncode == 0, out.stderr
    assert "tekenset ISO8859-15" in out.stdout
    assert query(wh, "SELECT client_id FROM raw_personen") == [("K-€1",)]
