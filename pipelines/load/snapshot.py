"""Load export snapshots into the warehouse, atomically.

A load copies the warehouse to a working file, applies every accepted file there (a rejected file
changes nothing), rebuilds the models and indicators, and swaps the working file in with os.replace:
readers never see a half-loaded warehouse and a crash leaves the old one intact. Snapshot rules
(export-format.md): per gemeente and file type, a newer peildatum replaces the current rows, the same
file twice changes nothing, an older peildatum is refused unless forced.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.extract.files import RawTable, ReadError, discover, read_source
from pipelines.extract.profiles import ProfileError, available_profiles
from pipelines.load.schema import cast_expression, create_schema, raw_columns
from pipelines.privacy.bsn import protect_frame, scrub, scrub_record
from pipelines.settings import FILE_TYPES
from pipelines.validate.contract import check_file, check_rows, column_types, prepare

GEMEENTE_CODE = r"^GM\d{4}$"


@dataclass
class FileResult:
    """What happened to one file (or workbook sheet)."""

    file_name: str
    target_table: str | None
    status: str                     # geladen | ongewijzigd | afgewezen
    message: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    peildatum: date | None = None
    gemeente_codes: list[str] = field(default_factory=list)

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

    def timed(self, step: str):
        """Context manager adding the wall time of a step to `seconds`."""
        return _Timer(self.seconds, step)

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "afgewezen"]

    @property
    def changed(self) -> bool:
        return any(f.status == "geladen" for f in self.files)


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
               today: date | None = None, progress=None) -> LoadReport:
    """Read, validate and load every export under `paths` into `warehouse` in one atomic swap."""
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
    with _lock(warehouse):
        work = warehouse.with_name(f".{warehouse.name}.{report.load_id}.tmp")
        if warehouse.exists():
            shutil.copyfile(warehouse, work)
        con = duckdb.connect(str(work))
        try:
            create_schema(con)
            # persons first: child rows are checked against the persons loaded before them
            for file_type in FILE_TYPES:
                group = [t for t in tables if t.file_type == file_type]
                if group:
                    report.files += _load_group(con, group, report, force, today, progress)
            if report.changed:
                with report.timed("transformeren"):
                    load_reference(con)
                    runner.run_models(con)
                with report.timed("indicatoren"):
                    compute_indicators(con)
                con.execute("CHECKPOINT")
                con.close()
                os.replace(work, warehouse)
        finally:
            con.close()
            work.unlink(missing_ok=True)
    return report


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
    """One load at a time per warehouse (a second process waits)."""

    def __init__(self, warehouse: Path):
        self.path = warehouse.with_name(warehouse.name + ".lock")

    def __enter__(self):
        self.fh = open(self.path, "w")
        fcntl.flock(self.fh, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def _reject(table: RawTable, message: str) -> FileResult:
    return FileResult(table.file_name, table.file_type, "afgewezen", f"{table.file_name}: {message}",
                      rows_read=table.rows_read)


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


def _load_group(con, group: list[RawTable], report: LoadReport, force: bool, today: date,
                progress) -> list[FileResult]:
    """Load all files of one file type: file checks per file, one row-level validation, insert per file."""
    results, staged = [], []
    with report.timed("valideren"):
        for i, table in enumerate(progress(group) if progress else group):
            outcome = _stage(con, table, i, force, today)
            (staged if isinstance(outcome, _Staged) else results).append(outcome)
        if not staged:
            return results
        file_type = group[0].file_type
        combined = pd.concat([s.prepared for s in staged], ignore_index=True)
        if file_type != "personen":
            combined["persoon__bekend"] = _known_persons(con, combined)
        outcome = check_rows(combined, file_type)
    with report.timed("laden"):
        return results + _insert_all(con, staged, outcome, report.load_id)


def _insert_all(con, staged: list[_Staged], outcome, load_id: str) -> list[FileResult]:
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
        results.append(_insert_file(con, s, reasons, checks, load_id))
        offset += n
    return results


def _stage(con, table: RawTable, index: int, force: bool, today: date) -> FileResult | _Staged:
    """Protect the BSN, run the file-level contract and the snapshot rules for one file."""
    file_type = table.file_type
    frame = protect_frame(table.frame, file_type)
    prepared = prepare(frame, file_type, index)
    outcome = check_file(prepared, file_type, today)
    if outcome.rejected:
        return _reject(table, "; ".join(dict.fromkeys(outcome.file_errors)))
    peildatum = _single_date(sorted(set(frame["peildatum"].dropna())))
    if peildatum is None:
        return _reject(table, "geen geldige peildatum (JJJJ-MM-DD) in het bestand")
    codes = prepared["gemeente_code"].dropna()
    gemeenten = sorted(set(codes[codes.str.match(GEMEENTE_CODE)]))
    current = con.execute(
        "SELECT gemeente_code, peildatum, file_sha256 FROM snapshot_current WHERE target_table = ? "
        "AND gemeente_code IN (SELECT unnest(?::VARCHAR[]))", [file_type, gemeenten]).fetchall()
    if len(current) == len(gemeenten) and all(sha == table.sha256 and p == peildatum for _, p, sha in current):
        return FileResult(table.file_name, file_type, "ongewijzigd",
                          f"{table.file_name}: al geladen (zelfde bestand, peildatum {peildatum:%d-%m-%Y}); "
                          "niets gewijzigd", rows_read=table.rows_read, peildatum=peildatum, gemeente_codes=gemeenten)
    newer = [(g, p) for g, p, _ in current if p > peildatum]
    if newer and not force:
        shown = ", ".join(f"{g} (geladen: {p:%d-%m-%Y})" for g, p in newer)
        return _reject(table, f"snapshot met peildatum {peildatum:%d-%m-%Y} is ouder dan de geladen snapshot "
                              f"voor {shown}; gebruik --force om toch te laden")
    checks = [{k: v for k, v in r.items() if k != "unexpected_index"} for r in outcome.results]
    return _Staged(table, frame, prepared, peildatum, gemeenten, bool(newer), checks)


def _insert_file(con, s: _Staged, reasons: dict[int, list[str]], checks: list[dict], load_id: str) -> FileResult:
    """Replace the gemeenten' current rows by this file's valid rows, in one transaction."""
    table, file_type, gemeenten = s.table, s.table.file_type, s.gemeenten
    keep = [i for i in range(len(s.prepared)) if i not in reasons]
    good = s.prepared.iloc[keep].assign(load_id=load_id, file_name=table.file_name,
                                        row_number=[table.row_numbers[i] for i in keep])
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
    result = FileResult(table.file_name, file_type, "geladen", "; ".join(notes) or "geladen",
                        rows_read=table.rows_read, rows_loaded=len(good), rows_quarantined=len(quarantined),
                        peildatum=s.peildatum, gemeente_codes=gemeenten)
    if result.rows_read != result.rows_loaded + result.rows_quarantined:
        raise RuntimeError(f"{table.file_name}: rijen gelezen <> geladen + quarantaine")
    con.execute("BEGIN")
    try:
        con.execute(f"DELETE FROM raw_{file_type} WHERE gemeente_code IN (SELECT unnest(?::VARCHAR[]))", [gemeenten])
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
        con.execute("DELETE FROM snapshot_current WHERE target_table = ? AND gemeente_code IN "
                    "(SELECT unnest(?::VARCHAR[]))", [file_type, gemeenten])
        con.executemany("INSERT INTO snapshot_current VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [[g, file_type, s.peildatum, load_id, table.file_name, table.sha256, now] for g in gemeenten])
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
    if report.rejected:
        raise RuntimeError("demo-exports afgewezen: " + "; ".join(f.message for f in report.rejected))
    return Path(warehouse)
