"""Load export snapshots into the warehouse, atomically, one delivery at a time.

A load copies the warehouse to a working file (readable by the owner only), applies every accepted file
there (a rejected file changes nothing), rebuilds the models and indicators, and swaps the working file in
with os.replace: readers never see a half-loaded warehouse and a crash leaves the old one intact; the next
load removes working files that a killed load left behind. Snapshot rules (export-format.md,
docs/warehouse.md): per gemeente and file type, a newer peildatum replaces the current rows, the same file
twice changes nothing, an older peildatum is refused unless forced. Deliveries stay whole: child files are
loaded only beside the personen of their own peildatum, and a new personen snapshot only together with
the gemeente's child files (else it is refused, or with --force the older child rows are removed).
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.extract.files import RawTable, ReadError, discover, read_source
from pipelines.extract.profiles import ProfileError, available_profiles
from pipelines.load.guards import name_conflict, shrink_problem
from pipelines.load.keyguard import guard_keys
from pipelines.load.schema import cast_expression, create_schema, raw_columns
from pipelines.privacy.bsn import protect_frame, scrub, scrub_record
from pipelines.settings import CHILD_FILE_TYPES, FILE_TYPES
from pipelines.validate.contract import check_file, check_rows, column_types, prepare

GEMEENTE_CODE = r"^GM\d{4}$"
HELD = "achtergehouden"
IN_GEMEENTEN = "gemeente_code IN (SELECT unnest(?::VARCHAR[]))"   # one ? for a list of codes


@dataclass
class FileResult:
    """What happened to one file (or workbook sheet)."""

    file_name: str
    target_table: str | None
    status: str                     # geladen | ongewijzigd | afgewezen | achtergehouden
    message: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    peildatum: date | None = None
    gemeente_codes: list[str] = field(default_factory=list)
    table_id: int | None = field(default=None, repr=False, compare=False)   # which RawTable (within one load)

    def __post_init__(self):
        # messages may quote values from the file: never a BSN in any written form
        self.message = scrub(self.message)


@dataclass
class LoadReport:
    """The outcome of one `load_paths` call."""

    load_id: str
    warehouse: Path
    files: list[FileResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)   # wall time per step, for bench/
    keys_created: list[str] = field(default_factory=list)     # keys made for this new warehouse

    def timed(self, step: str):
        """Context manager adding the wall time of a step to `seconds`."""
        return _Timer(self.seconds, step)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "afgewezen"]

    @property
    def held_back(self) -> list[FileResult]:
        return [f for f in self.files if f.status == HELD]

    @property
    def changed(self) -> bool:
        return any(f.status == "geladen" for f in self.files)


class LoadBusy(RuntimeError):
    """Another load kept the warehouse longer than this load would wait."""


class _Timer:
    def __init__(self, seconds: dict, step: str):
        self.seconds, self.step = seconds, step

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.seconds[self.step] = self.seconds.get(self.step, 0.0) + time.perf_counter() - self.start


def new_load_id() -> str:
    """A sortable, unique id for one load run."""
    return f"{datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def load_paths(paths: list[Path], warehouse: Path, profile: str | None = None, force: bool = False,
               today: date | None = None, progress=None, wait: float | None = None, notify=None) -> LoadReport:
    """Read, validate and load every export under `paths` into `warehouse` in one atomic swap.

    wait: seconds to wait for another load of the same warehouse (None: as long as it takes), else LoadBusy;
    notify: called with a Dutch sentence when this load has to wait. Raises KeyError_ for key problems.
    """
    from pipelines.indicators.engine import compute_indicators
    from pipelines.reference.gemeenten import load_reference
    from pipelines.transform import runner

    today = today or date.today()
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    report = LoadReport(new_load_id(), warehouse)
    profiles = available_profiles()
    if profile and profile not in profiles:
        raise ProfileError(f"onbekend profiel {profile!r}; beschikbaar: {', '.join(profiles)}")
    with report.timed("lezen"):
        tables = _read_all(paths, profiles, profile, report)
    unreadable = list(report.files)
    with _lock(warehouse, wait, notify), _owner_only() as umask:
        _remove_leftovers(warehouse)
        refused: dict[int, str] = {}          # personen files refused because their delivery is incomplete
        while True:
            report.files = list(unreadable)
            work = warehouse.with_name(f".{warehouse.name}.{report.load_id}.tmp")
            if warehouse.exists():
                shutil.copyfile(warehouse, work)
            con = duckdb.connect(str(work))
            try:
                create_schema(con)
                report.keys_created += guard_keys(con)
                again = _apply(_Run(con, report, force, today, progress, refused), tables)
                if again:                      # decided only after the child files: start over without them
                    refused.update(again)
                    continue
                if report.changed:
                    with report.timed("transformeren"):
                        load_reference(con)
                        runner.run_models(con)
                    with report.timed("indicatoren"):
                        compute_indicators(con)
                    con.execute("CHECKPOINT")
                    con.close()
                    os.chmod(work, warehouse.stat().st_mode & 0o777 if warehouse.exists() else 0o666 & ~umask)
                    os.replace(work, warehouse)
                return report
            finally:
                con.close()
                for leftover in (work, work.with_name(work.name + ".wal")):
                    leftover.unlink(missing_ok=True)


def _read_all(paths, profiles, forced, report) -> list[RawTable]:
    tables: list[RawTable] = []
    sources, errors = discover(paths)
    for error in errors:
        report.files.append(FileResult(str(error).split(": ", 1)[0], None, "afgewezen", str(error)))
    for source in sources:
        try:
            tables += read_source(source, profiles, forced)
        except ReadError as exc:
            report.files.append(FileResult(source.name, None, "afgewezen", str(exc)))
    return tables


class _lock:
    """One load at a time per warehouse: a second process says it waits, and waits (at most `wait` seconds)."""

    def __init__(self, warehouse: Path, wait: float | None = None, notify=None):
        self.path = warehouse.with_name(warehouse.name + ".lock")
        self.wait, self.notify = wait, notify

    def _try(self) -> bool:
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def __enter__(self):
        self.fh = open(self.path, "a")
        if self._try():
            return
        limit = (f"maximaal {self.wait:g} seconden" if self.wait is not None
                 else "zonder tijdslimiet; stel er een in met --wachttijd SECONDEN")
        if self.notify:
            self.notify(f"Er loopt al een andere load op dit warehouse; deze load wacht tot die klaar is ({limit}).")
        deadline = None if self.wait is None else time.monotonic() + self.wait
        while not self._try():
            if deadline is not None and time.monotonic() >= deadline:
                self.fh.close()
                raise LoadBusy(f"de andere load op dit warehouse was na {self.wait:g} seconden nog niet klaar; er is "
                               "niets geladen. Probeer het later opnieuw of geef meer tijd met --wachttijd")
            time.sleep(0.1)

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


@contextmanager
def _owner_only():
    """Files created meanwhile (working copies, their WAL) are readable by the owner only; yields the old umask."""
    old = os.umask(0o077)
    try:
        yield old
    finally:
        os.umask(old)


def _remove_leftovers(warehouse: Path) -> None:
    """Working copies of killed loads (`.warehouse.duckdb.<load_id>.tmp`); only called while holding the lock."""
    for leftover in warehouse.parent.glob(f".{warehouse.name}.*.tmp*"):
        leftover.unlink(missing_ok=True)


@dataclass
class _Run:
    """One pass over the read files against a working copy."""

    con: duckdb.DuckDBPyConnection
    report: LoadReport
    force: bool
    today: date
    progress: object
    refused: dict[int, str]
    held: "_Held | None" = None


def _apply(run: _Run, tables: list[RawTable]) -> dict[int, str]:
    """Load persons first, then the child files that may go beside them; return personen files to refuse."""
    persons = _load_group(run, [t for t in tables if t.file_type == "personen"])
    run.report.files += persons
    run.held = _Held.after(run.report.files, tables)
    for file_type in CHILD_FILE_TYPES:
        run.report.files += _load_group(run, [t for t in tables if t.file_type == file_type])
    again = _incomplete(run, [f for f in persons if f.status == "geladen"])
    if again:                  # the next pass keeps this pass's refusals of child files (with their own reason)
        again.update({f.table_id: f.message for f in run.report.files
                      if f.status == "afgewezen" and f.target_table in CHILD_FILE_TYPES and f.table_id not in again})
    return again


@dataclass
class _Held:
    """Where a rejected personen file leaves child files without their persons: by gemeente or by folder."""

    gemeenten: dict[str, str]      # gemeente -> the rejected personen file
    folders: dict[str, str]        # folder -> the rejected or unreadable file whose gemeente is unknown

    @classmethod
    def after(cls, results: list[FileResult], tables: list[RawTable]) -> "_Held":
        read_persons = {_folder(t.file_name) for t in tables if t.file_type == "personen"}
        gemeenten, folders = {}, {}
        for r in results:
            if r.status != "afgewezen" or r.target_table not in ("personen", None):
                continue
            for g in r.gemeente_codes:
                gemeenten.setdefault(g, r.file_name)
            unread_elsewhere = r.target_table is None and _folder(r.file_name) in read_persons
            if not r.gemeente_codes and not unread_elsewhere:
                folders.setdefault(_folder(r.file_name), r.file_name)
        return cls(gemeenten, folders)

    def reason(self, gemeenten: list[str], file_name: str) -> str | None:
        hit = [g for g in gemeenten if g in self.gemeenten]
        if hit:
            return (f"het personenbestand van {', '.join(hit)} in deze levering is afgewezen "
                    f"({self.gemeenten[hit[0]]}); de andere bestanden van die gemeente worden pas geladen naast "
                    "goedgekeurde personen. Laad de gecorrigeerde levering opnieuw, met alle bestanden")
        folder = _folder(file_name)
        if folder in self.folders:
            return (f"het personenbestand in dezelfde levering is afgewezen of niet leesbaar ({self.folders[folder]}); "
                    "de andere bestanden worden pas geladen naast goedgekeurde personen. Laad de gecorrigeerde "
                    "levering opnieuw, met alle bestanden")
        return None


def _folder(file_name: str) -> str:
    """The delivery a file came with: its folder (or zip) as shown, '' for a file given on its own."""
    name = re.sub(r"\[[^\]]*\]$", "", file_name)
    return name.rsplit("/", 1)[0] if "/" in name else ""


def _incomplete(run: _Run, persons: list[FileResult]) -> dict[int, str]:
    """New personen beside child rows of another snapshot: refuse the personen file, or (--force) drop those rows."""
    again: dict[int, str] = {}
    con, load_id = run.con, run.report.load_id
    for f in persons:
        stale = con.execute(
            "SELECT gemeente_code, target_table, peildatum FROM snapshot_current WHERE target_table <> 'personen' "
            f"AND load_id <> ? AND {IN_GEMEENTEN} ORDER BY ALL",
            [load_id, f.gemeente_codes]).fetchall()
        if not stale:
            continue
        shown = ", ".join(f"{t} van {g} (peildatum {p:%d-%m-%Y})" for g, t, p in stale)
        if not run.force:
            again[f.table_id] = (f"{f.file_name}: niet geladen: de nieuwe personen zouden naast oudere of niet "
                                 f"opnieuw gecontroleerde rijen komen te staan: {shown}; die bestanden zitten niet "
                                 "(goedgekeurd) in deze levering. Laad de hele levering met alle bestanden, of "
                                 "gebruik --force om die oudere rijen te verwijderen")
            continue
        for g, t, _ in stale:
            con.execute(f"DELETE FROM raw_{t} WHERE gemeente_code = ?", [g])
            con.execute("DELETE FROM snapshot_current WHERE gemeente_code = ? AND target_table = ?", [g, t])
        f.message = "; ".join(m for m in (f.message if f.message != "geladen" else "",
                                          f"met --force oudere rijen verwijderd: {shown}") if m)
        con.execute("UPDATE load_log SET message = ? WHERE load_id = ? AND file_name = ? AND target_table = "
                    "'personen'", [f.message, load_id, f.file_name])
    return again


def _reject(table: RawTable, message: str, gemeenten: list[str] | None = None, status: str = "afgewezen",
            peildatum: date | None = None) -> FileResult:
    return FileResult(table.file_name, table.file_type, status, f"{table.file_name}: {message}",
                      rows_read=table.rows_read, peildatum=peildatum, gemeente_codes=gemeenten or [],
                      table_id=id(table))


@dataclass
class _Staged:
    """A file that passed the file-level checks and waits for its row-level validation."""

    table: RawTable
    frame: pd.DataFrame          # after BSN protection, text values (for quarantine records)
    prepared: pd.DataFrame       # with typed twins
    peildatum: date
    gemeenten: list[str]
    forced_older: bool
    file_checks: list[dict]


def _load_group(run: _Run, group: list[RawTable]) -> list[FileResult]:
    """Load all files of one file type: file checks per file, one row-level validation, insert per file."""
    results, staged = [], []
    if not group:
        return results
    with run.report.timed("valideren"):
        for i, table in enumerate(run.progress(group) if run.progress else group):
            outcome = _stage(run, table, i)
            (staged if isinstance(outcome, _Staged) else results).append(outcome)
        if not staged:
            return results
        file_type = group[0].file_type
        combined = pd.concat([s.prepared for s in staged], ignore_index=True)
        if file_type != "personen":
            combined["persoon__bekend"] = _known_persons(run.con, combined)
        outcome = check_rows(combined, file_type)
    with run.report.timed("laden"):
        return results + _insert_all(run, staged, outcome)


def _insert_all(run: _Run, staged: list[_Staged], outcome) -> list[FileResult]:
    """Split the combined row validation back per file and insert each file."""
    results = []
    offset = 0
    for s in staged:
        n = len(s.prepared)
        reasons = {pos - offset: r for pos, r in outcome.row_reasons.items() if offset <= pos < offset + n}
        checks = s.file_checks + [
            {**r, "element_count": n, "unexpected_count": sum(offset <= i < offset + n for i in r["unexpected_index"]),
             "success": not any(offset <= i < offset + n for i in r["unexpected_index"])}
            for r in outcome.results]
        results.append(_insert_file(run, s, reasons, checks))
        offset += n
    return results


def _row_gemeenten(prepared: pd.DataFrame) -> list[str]:
    if "gemeente_code" not in prepared:
        return []
    codes = prepared["gemeente_code"].dropna()
    return sorted(set(codes[codes.str.match(GEMEENTE_CODE)]))


def _stage(run: _Run, table: RawTable, index: int) -> FileResult | _Staged:
    """Protect the BSN, run the file-level contract, the guards and the snapshot rules for one file."""
    con, file_type = run.con, table.file_type
    frame = protect_frame(table.frame, file_type)
    prepared = prepare(frame, file_type, index)
    gemeenten = _row_gemeenten(prepared)
    outcome = check_file(prepared, file_type, run.today)
    if outcome.rejected:
        return _reject(table, "; ".join(dict.fromkeys(outcome.file_errors)), gemeenten)
    peildatum = _single_date(sorted(set(frame["peildatum"].dropna())))
    if peildatum is None:
        return _reject(table, "geen geldige peildatum (JJJJ-MM-DD) in het bestand", gemeenten)
    conflict = name_conflict(table.file_name, gemeenten)
    if conflict:
        return _reject(table, conflict, gemeenten)
    if id(table) in run.refused:
        return FileResult(table.file_name, file_type, "afgewezen", run.refused[id(table)], rows_read=table.rows_read,
                          peildatum=peildatum, gemeente_codes=gemeenten, table_id=id(table))
    persons: dict[str, tuple[date, str]] = {}
    if file_type != "personen":
        held = run.held.reason(gemeenten, table.file_name)
        if held:
            return _reject(table, held, gemeenten, HELD, peildatum)
        persons = {g: (p, load_id) for g, p, load_id in con.execute(
            f"SELECT gemeente_code, peildatum, load_id FROM snapshot_current WHERE target_table = 'personen' AND "
            f"{IN_GEMEENTEN}", [gemeenten]).fetchall()}
        other = [(g, p) for g, (p, _) in sorted(persons.items()) if p != peildatum]
        if other:
            shown = ", ".join(f"{g} (peildatum {p:%d-%m-%Y})" for g, p in other)
            return _reject(table, f"peildatum {peildatum:%d-%m-%Y} past niet bij de geladen personen van {shown}; "
                                  "kindbestanden worden alleen geladen naast personen van dezelfde peildatum. Laad "
                                  "de hele levering van deze peildatum, met het personenbestand", gemeenten, HELD,
                           peildatum)
    current = con.execute(
        f"SELECT gemeente_code, peildatum, file_sha256, personen_load_id FROM snapshot_current WHERE target_table = ? "
        f"AND {IN_GEMEENTEN}", [file_type, gemeenten]).fetchall()
    same_persons = all(basis == persons.get(g, (None, None))[1] for g, _, _, basis in current)
    if (len(current) == len(gemeenten) and (file_type == "personen" or same_persons)
            and all(sha == table.sha256 and p == peildatum for _, p, sha, _ in current)):
        return FileResult(table.file_name, file_type, "ongewijzigd",
                          f"{table.file_name}: al geladen (zelfde bestand, peildatum {peildatum:%d-%m-%Y}); "
                          "niets gewijzigd", rows_read=table.rows_read, peildatum=peildatum, gemeente_codes=gemeenten,
                          table_id=id(table))
    newer = [(g, p) for g, p, _, _ in current if p > peildatum]
    if newer and not run.force:
        shown = ", ".join(f"{g} (geladen: {p:%d-%m-%Y})" for g, p in newer)
        return _reject(table, f"snapshot met peildatum {peildatum:%d-%m-%Y} is ouder dan de geladen snapshot "
                              f"voor {shown}; gebruik --force om toch te laden", gemeenten)
    checks = [{k: v for k, v in r.items() if k != "unexpected_index"} for r in outcome.results]
    return _Staged(table, frame, prepared, peildatum, gemeenten, bool(newer), checks)


def _insert_file(run: _Run, s: _Staged, reasons: dict[int, list[str]], checks: list[dict]) -> FileResult:
    """Replace the gemeenten' current rows by this file's valid rows, in one transaction."""
    con, load_id = run.con, run.report.load_id
    table, file_type, gemeenten = s.table, s.table.file_type, s.gemeenten
    keep = [i for i in range(len(s.prepared)) if i not in reasons]
    good = s.prepared.iloc[keep].assign(load_id=load_id, file_name=table.file_name,
                                        row_number=[table.row_numbers[i] for i in keep])
    old = dict(con.execute(f"SELECT gemeente_code, count(*) FROM raw_{file_type} WHERE {IN_GEMEENTEN} GROUP BY ALL",
                           [gemeenten]).fetchall())
    shrink = shrink_problem(file_type, old, good["gemeente_code"].value_counts().to_dict())
    if shrink and not run.force:
        return _reject(table, shrink, gemeenten, peildatum=s.peildatum)
    quarantined = _quarantine_rows(table, s.frame, reasons, load_id)
    now = datetime.now()
    notes = []
    if quarantined:
        notes.append(f"{len(quarantined)} rij(en) in quarantaine")
    notes += table.notes
    if table.extra_columns:
        notes.append(f"extra kolommen genegeerd: {', '.join(table.extra_columns)}")
    if s.forced_older:
        notes.append("oudere snapshot geladen met --force")
    if shrink:
        notes.append("met --force geladen hoewel " + shrink.split(": ", 1)[1].split(". ", 1)[0])
    result = FileResult(table.file_name, file_type, "geladen", "; ".join(notes) or "geladen",
                        rows_read=table.rows_read, rows_loaded=len(good), rows_quarantined=len(quarantined),
                        peildatum=s.peildatum, gemeente_codes=gemeenten, table_id=id(table))
    if result.rows_read != result.rows_loaded + result.rows_quarantined:
        raise RuntimeError(f"{table.file_name}: rijen gelezen <> geladen + quarantaine")
    basis = {} if file_type == "personen" else dict(con.execute(
        f"SELECT gemeente_code, load_id FROM snapshot_current WHERE target_table = 'personen' AND {IN_GEMEENTEN}",
        [gemeenten]).fetchall())
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM raw_{file_type} WHERE {IN_GEMEENTEN}", [gemeenten])
        _insert_rows(con, file_type, good)
        if quarantined:
            con.register("q_frame", pd.DataFrame(quarantined))
            con.execute("INSERT INTO quarantine SELECT load_id, file_name, target_table, row_number, "
                        "reasons, CAST(record AS JSON) FROM q_frame")
            con.unregister("q_frame")
        dq = pd.DataFrame(checks).assign(load_id=load_id, file_name=table.file_name, target_table=file_type,
                                         validated_at=now)
        con.register("dq_frame", dq)
        con.execute("INSERT INTO dq_results SELECT load_id, file_name, target_table, expectation, kolom, niveau, "
                    "regel, reden, success, element_count, unexpected_count, validated_at FROM dq_frame")
        con.unregister("dq_frame")
        con.execute(f"DELETE FROM snapshot_current WHERE target_table = ? AND {IN_GEMEENTEN}", [file_type, gemeenten])
        con.executemany("INSERT INTO snapshot_current VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [[g, file_type, s.peildatum, load_id, table.file_name, table.sha256, now, basis.get(g)]
                         for g in gemeenten])
        con.execute("INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [load_id, table.file_name, table.sha256, gemeenten, s.peildatum, file_type, table.profile,
                     result.rows_read, result.rows_loaded, result.rows_quarantined, "geladen", result.message, now])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return result


def _single_date(values: list[str]) -> date | None:
    """The file's peildatum when there is exactly one well-formed value."""
    if len(values) != 1:
        return None
    try:
        return date.fromisoformat(values[0]) if len(values[0]) == 10 else None
    except ValueError:
        return None


def _known_persons(con, frame: pd.DataFrame) -> pd.Series:
    """For child rows: is (gemeente_code, client_id) a loaded person of the current snapshot?"""
    keys = frame[["gemeente_code", "client_id"]].copy()
    con.register("child_keys", keys)
    known = con.execute(
        "SELECT k.rn FROM (SELECT row_number() OVER () - 1 AS rn, * FROM child_keys) k "
        "SEMI JOIN raw_personen p ON p.gemeente_code = k.gemeente_code AND p.client_id = k.client_id"
    ).fetchnumpy()["rn"]
    con.unregister("child_keys")
    flags = pd.Series(False, index=frame.index, dtype=object)
    flags.iloc[known.astype(int)] = True
    return flags.where(keys["client_id"].notna() & keys["gemeente_code"].notna(), None)


def _insert_rows(con, file_type: str, good: pd.DataFrame) -> None:
    types = column_types(file_type)
    selects = []
    for name, sql_type in raw_columns(file_type).items():
        kind = types.get(name)
        selects.append(f"{cast_expression(name, kind) if kind else name} AS {name}")
    cols = [c for c in raw_columns(file_type) if c in good]
    con.register("good_rows", good[cols])
    con.execute(f"INSERT INTO raw_{file_type} SELECT {', '.join(selects)} FROM good_rows")
    con.unregister("good_rows")


def _quarantine_rows(table: RawTable, frame: pd.DataFrame, reasons: dict[int, list[str]], load_id: str) -> list[dict]:
    rows = []
    canonical = [c for c in frame.columns if not c.endswith("__geldig") and c not in ("bsn_pseudoniem", "bsn_versleuteld")]
    records = frame[canonical].to_dict(orient="records") if reasons else []
    for pos in sorted(reasons):
        record = {k: v for k, v in records[pos].items() if v is not None}
        rows.append({"load_id": load_id, "file_name": table.file_name, "target_table": table.file_type,
                     "row_number": table.row_numbers[pos], "reasons": list(dict.fromkeys(reasons[pos])),
                     "record": json.dumps(scrub_record(record), ensure_ascii=False)})
    for line, reason, record in table.bad_rows:
        rows.append({"load_id": load_id, "file_name": table.file_name, "target_table": table.file_type,
                     "row_number": line, "reasons": [reason], "record": json.dumps(scrub_record(record), ensure_ascii=False)})
    return rows


def build_demo_warehouse(warehouse: Path) -> Path:
    """Load the bundled demo exports (sample_exports/demo) into `warehouse`; fail loudly if any is rejected."""
    from pipelines.settings import DEMO_EXPORTS_DIR

    report = load_paths([DEMO_EXPORTS_DIR], Path(warehouse))
    if report.rejected or report.held_back:
        raise RuntimeError("demo-exports afgewezen: " + "; ".join(f.message for f in report.rejected + report.held_back))
    return Path(warehouse)
