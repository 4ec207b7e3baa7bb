"""Find export files (a file, a folder or a .zip) and read them into text frames in the canonical layout.

Reading never guesses silently: a file that cannot be read, has no header, or fits no layout raises
`ReadError` with the file name; a row with the wrong number of fields is kept aside with its row number
so that it can be quarantined (rows read = rows loaded + rows quarantined).
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from pipelines.extract.profiles import CANONICAL, Profile
from pipelines.settings import FILE_TYPES

DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
DATA_LIKE = re.compile(r"^(GM\d{4}|\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}|\d+)$")


class ReadError(ValueError):
    """A file that is rejected before validation (unreadable, empty, no header, unknown layout)."""


@dataclass(frozen=True)
class Source:
    """One physical export file, possibly inside a .zip."""

    name: str            # shown to users: 'levering.zip/personen.csv'
    content: bytes

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class RawTable:
    """One file type from one source, as text in canonical column names."""

    source: Source
    file_type: str
    profile: str
    frame: pd.DataFrame                       # str or None per cell, canonical names
    row_numbers: list[int]                    # row number in the file per frame row (header = row 1)
    sheet: str | None = None
    extra_columns: list[str] = field(default_factory=list)
    bad_rows: list[tuple[int, str, dict]] = field(default_factory=list)   # (row, reason, record)

    @property
    def file_name(self) -> str:
        return f"{self.source.name}[{self.sheet}]" if self.sheet else self.source.name

    @property
    def sha256(self) -> str:
        digest = self.source.sha256
        return f"{digest}:{self.sheet}" if self.sheet else digest

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.bad_rows)


def discover(paths: list[Path]) -> tuple[list[Source], list[ReadError]]:
    """Every data file under the given files, folders and zips, in a stable order, and what failed."""
    sources: list[Source] = []
    errors: list[ReadError] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            errors.append(ReadError(f"{path}: bestand of map bestaat niet"))
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            shown = str(file.relative_to(path.parent)) if path.is_dir() else file.name
            try:
                if file.suffix.lower() == ".zip":
                    sources += _zip_members(shown, file.read_bytes())
                elif file.suffix.lower() in DATA_SUFFIXES:
                    sources.append(Source(shown, file.read_bytes()))
            except (ReadError, OSError) as exc:
                errors.append(exc if isinstance(exc, ReadError) else ReadError(f"{shown}: niet leesbaar ({exc})"))
    return sources, errors


def _zip_members(name: str, content: bytes) -> list[Source]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{name}: geen geldig zip-bestand ({exc})") from exc
    members = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        if info.is_dir() or "__MACOSX" in info.filename:
            continue
        if Path(info.filename).suffix.lower() in DATA_SUFFIXES:
            members.append(Source(f"{name}/{info.filename}", archive.read(info)))
    return members


def read_source(source: Source, profiles: dict[str, Profile], forced: str | None = None) -> list[RawTable]:
    """Read one source into one RawTable per file type it holds (a workbook may hold several)."""
    candidates = [profiles[forced]] if forced else list(profiles.values())
    if source.suffix in (".xlsx", ".xlsm"):
        return _read_workbook(source, candidates)
    return [_read_csv(source, candidates)]


# --- CSV -------------------------------------------------------------------------------------------

def _decode(source: Source, encoding: str) -> str:
    if not source.content.strip():
        raise ReadError(f"{source.name}: het bestand is leeg")
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig") else encoding
    try:
        return source.content.decode(enc)
    except UnicodeDecodeError as exc:
        line = source.content[: exc.start].count(b"\n") + 1
        raise ReadError(f"{source.name}: regel {line}: tekst is geen {enc.upper().replace('-SIG', '')} "
                        f"(byte {exc.start}); sla het bestand op als UTF-8") from exc


def _sniff_separator(header_line: str, preferred: str | None) -> str:
    """The profile's separator, else whichever of , ; tab | the header uses most (ties: ,)."""
    if preferred:
        return preferred
    return max([",", ";", "\t", "|"], key=lambda sep: header_line.count(sep))


def _read_csv(source: Source, candidates: list[Profile]) -> RawTable:
    csv_profiles = [p for p in candidates if p.format in ("csv", "any")]
    if not csv_profiles:
        raise ReadError(f"{source.name}: het gekozen profiel leest geen CSV-bestanden")
    decoded: dict[str, str] = {}
    best, error, header = None, None, []
    for profile in csv_profiles:
        try:
            text = decoded.get(profile.encoding) or _decode(source, profile.encoding)
        except ReadError as exc:
            error = error or exc
            continue
        decoded[profile.encoding] = text
        first_line = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
        sep = _sniff_separator(first_line, profile.separator)
        header = next(csv.reader([first_line], delimiter=sep))
        choice = _best_file_type(profile, header, Path(source.name).name)
        if choice and (best is None or choice[0] > best[0]):
            best = (choice[0], profile, choice[1], text, sep)
    if best is None:
        raise error if error and not header else _unknown_layout(source.name, header)
    _, profile, file_type, text, sep = best
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=sep)
    records: list[tuple[int, list]] = []
    try:
        header = next(rows)
        for row in rows:
            if row and any(c.strip() for c in row):
                records.append((rows.line_num, row))
    except csv.Error as exc:
        raise ReadError(f"{source.name}: regel {rows.line_num}: CSV niet leesbaar ({exc})") from exc
    return _build_table(source, profile, file_type, header, records, None, text_cells=True)


def _score(profile: Profile, file_type: str, header: list[str]) -> int:
    """How well a header fits a file type of a profile: required columns weigh most; 0 is no fit."""
    from pipelines.validate.contract import column_types, required_columns  # local: avoids an import cycle

    names = {n for n in profile.rename(file_type, header) if n} & set(column_types(file_type))
    required = names & required_columns(file_type)
    return 10 * len(required) + len(names) if required else 0


def _best_file_type(profile: Profile, header: list[str], file_name: str) -> tuple[int, str] | None:
    """(score, file type) of the best match of a header against a profile; None when nothing fits."""
    by_name = profile.file_type_for_name(file_name)
    best = None
    for file_type in profile.files:
        score = _score(profile, file_type, header)
        score += 5 if score and file_type == by_name else 0
        if score and (best is None or score > best[0]):
            best = (score, file_type)
    if best is None and by_name:
        return (1, by_name)
    return best


def _unknown_layout(name: str, header: list[str]) -> ReadError:
    if header and sum(bool(DATA_LIKE.match(h.strip())) for h in header) >= 2:
        return ReadError(f"{name}: geen kopregel: de eerste regel bevat gegevens in plaats van kolomnamen")
    return ReadError(f"{name}: onbekende indeling: geen van de bestandstypen ({', '.join(FILE_TYPES)}) "
                     f"of bronprofielen past bij de kolommen; kies een profiel met --profile")


def _build_table(source: Source, profile: Profile, file_type: str, header: list[str],
                 records: list[tuple[int, list]], sheet: str | None, text_cells: bool) -> RawTable:
    from pipelines.validate.contract import column_types

    names = profile.rename(file_type, header)
    types = column_types(file_type)
    if not any(n in types for n in names):
        raise _unknown_layout(source.name, [str(h) for h in header])
    seen: dict[str, int] = {}
    for name in names:
        if name:
            seen[name] = seen.get(name, 0) + 1
    doubles = [n for n, k in seen.items() if k > 1]
    if doubles:
        raise ReadError(f"{source.name}: kolom {', '.join(doubles)} komt meer dan één keer voor")
    known = [i for i, n in enumerate(names) if n in types]
    extra = [str(header[i]) for i, n in enumerate(names) if n not in types and str(header[i]).strip()]
    width = len(header)
    good_rows, numbers, bad = [], [], []
    for line, row in records:
        if len(row) != width:
            record = {str(header[i]) if i < width else f"veld_{i + 1}": row[i] for i in range(len(row))}
            bad.append((line, f"rij heeft {len(row)} velden, de kopregel {width}", record))
            continue
        good_rows.append(row)
        numbers.append(line)
    columns = {}
    for i in known:
        values = [row[i] for row in good_rows]
        if text_cells:
            # CSV cells are text already: trim them and read empty as unknown, column by column
            series = pd.Series(values, dtype=object).str.strip()
            columns[names[i]] = series.where(series != "", None).astype(object)
        else:
            columns[names[i]] = pd.Series([_cell(v) for v in values], dtype=object)
    frame = profile.to_canonical(file_type, pd.DataFrame(columns), types)
    return RawTable(source, file_type, profile.name, frame, numbers, sheet, extra, bad)


def _cell(value: object) -> str | None:
    """A cell as trimmed text; empty means unknown."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


# --- XLSX ------------------------------------------------------------------------------------------

def _read_workbook(source: Source, candidates: list[Profile]) -> list[RawTable]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(source.content))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ReadError(f"{source.name}: Excel-bestand niet leesbaar ({exc})") from exc
    xlsx_profiles = [p for p in candidates if p.format in ("xlsx", "any")]
    tables: list[RawTable] = []
    ignored = []
    for sheet in book.sheet_names:
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        header_index = next((i for i, r in enumerate(rows) if any(_cell(c) for c in r)), None)
        if header_index is None:
            continue
        header = [_cell(c) or "" for c in rows[header_index]]
        best = None
        for profile in xlsx_profiles:
            file_type = profile.file_type_for_sheet(sheet)
            if not file_type:
                continue
            score = _score(profile, file_type, header)
            if best is None or score > best[0]:
                best = (score, profile, file_type)
        if best is None:
            ignored.append(sheet)
            continue
        _, profile, file_type = best
        records = [(header_index + i + 2, list(r)) for i, r in enumerate(rows[header_index + 1:])
                   if any(_cell(c) for c in r)]
        width = len(header)
        records = [(n, (r + [None] * width)[:width] if len(r) <= width or not any(_cell(c) for c in r[width:]) else r)
                   for n, r in records]
        tables.append(_build_table(source, profile, file_type, header, records, sheet, text_cells=False))
    if not tables:
        raise ReadError(f"{source.name}: geen werkblad herkend (gevonden: {', '.join(book.sheet_names) or 'geen'}); "
                        f"verwacht werkbladen met de namen {', '.join(FILE_TYPES)} of een bronprofiel")
    for table in tables:
        table.extra_columns += [f"werkblad {s} (genegeerd)" for s in ignored]
    return tables
