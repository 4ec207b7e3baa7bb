"""Find export files (a file, a folder or a .zip) and read them into text frames in the canonical layout.

Reading never guesses silently: a file that cannot be read, has no header, fits no layout or is larger
than the input limits (pipelines.settings: file size, zip compression ratio) raises `ReadError` with the
file name; a row with the wrong number of fields is kept aside with its row number so that it can be
quarantined (rows read = rows loaded + rows quarantined). Row numbers are the rows a spreadsheet shows
(the header is row 1; a quoted field with a line break stays one row). Text is UTF-8, UTF-16 (with a
byte order mark) or Windows-1252, detected per file unless a profile sets an encoding; anything other
than UTF-8 is noted in the load message. Hidden workbook sheets are never loaded; they are named.
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
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from pipelines.extract.profiles import CANONICAL, Profile
from pipelines.privacy.bsn import scrub
from pipelines.settings import FILE_TYPES, max_file_mb, max_input_mb, max_zip_ratio

DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
DATA_LIKE = re.compile(r"^(GM\d{4}|\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}|\d+)$")
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}
MB = 1_000_000


class ReadError(ValueError):
    """A file that is rejected before validation (unreadable, empty, no header, unknown layout, too big)."""


@dataclass
class Source:
    """One physical export file, possibly inside a .zip; its bytes are read only by `read_bytes`."""

    name: str            # shown to users: 'levering.zip/personen.csv'
    path: Path
    member: str | None = None      # the member's name inside the zip at `path`
    digest: str | None = None      # sha256 of the bytes, set when read
    size: int = 0                  # bytes (a zip member: unpacked, as its zip directory says)

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def sha256(self) -> str:
        if self.digest is None:
            self.read_bytes()
        return self.digest

    def read_bytes(self) -> bytes:
        """The file's bytes, refused (ReadError) beyond the size and compression limits."""
        limit = int(max_file_mb() * MB)
        if self.member is None:
            size = self.path.stat().st_size
            if size > limit:
                raise ReadError(f"{self.name}: het bestand is {_mb(size)}, groter dan de grens van "
                                f"{_mb(limit)} (INBURGERING_MAX_BESTAND_MB); splits de export of verhoog de grens")
            content = self.path.read_bytes()
        else:
            with zipfile.ZipFile(self.path) as archive:
                info = archive.getinfo(self.member)
                _check_member(self.name, info, limit)
                with archive.open(info) as fh:
                    content = fh.read(limit + 1)
                if len(content) > limit:   # the size in the zip directory can lie
                    raise ReadError(f"{self.name}: uitgepakt groter dan de grens van {_mb(limit)} "
                                    f"(INBURGERING_MAX_BESTAND_MB); het zip-bestand wordt niet verder gelezen")
        self.digest = hashlib.sha256(content).hexdigest()
        return content


def _mb(size: int) -> str:
    """A size in MB the Dutch way: '1.073,7 MB', '0,21 MB'."""
    return f"{size / MB:,.{1 if size >= MB else 2}f} MB".replace(",", "X").replace(".", ",").replace("X", ".")


def _check_member(name: str, info: zipfile.ZipInfo, limit: int) -> None:
    """Refuse a zip member that is too big or compressed suspiciously well (a zip bomb)."""
    if info.file_size > limit:
        raise ReadError(f"{name}: uitgepakt {_mb(info.file_size)}, groter dan de grens van {_mb(limit)} "
                        f"(INBURGERING_MAX_BESTAND_MB); splits de export of verhoog de grens")
    ratio = max_zip_ratio()
    if info.file_size > MB and info.file_size > ratio * max(info.compress_size, 1):
        raise ReadError(f"{name}: compressieverhouding {info.file_size / max(info.compress_size, 1):,.0f}:1 is "
                        f"groter dan de grens van {ratio:,.0f}:1 (INBURGERING_MAX_ZIP_RATIO); "
                        f"het bestand wordt niet uitgepakt")


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
    notes: list[str] = field(default_factory=list)    # Dutch remarks for the load message (encoding, sheets)

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
    """Every data file under the given files, folders and zips, in a stable order, and what failed.

    Nothing is read here but zip directories: each source reads its bytes when it is read."""
    try:
        limits = max_file_mb(), max_input_mb(), max_zip_ratio()
    except ValueError as exc:   # a malformed limit in the environment: refuse the load, say which
        return [], [ReadError(f"{Path(paths[0]).name}: instelling ongeldig: {exc}")]
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
                    sources += _zip_members(shown, file)
                elif file.suffix.lower() in DATA_SUFFIXES:
                    sources.append(Source(shown, file, size=file.stat().st_size))
            except (ReadError, OSError) as exc:
                errors.append(exc if isinstance(exc, ReadError) else ReadError(f"{shown}: niet leesbaar ({exc})"))
    total, limit = sum(s.size for s in sources), int(limits[1] * MB)
    if total > limit:
        # refuse the whole load before anything is read: loading part of it could split a delivery
        first = sources[0].name.split("/")[0]
        return [], errors + [ReadError(
            f"{first}: de invoer van deze load is samen {_mb(total)} ({len(sources)} bestanden), groter dan de "
            f"grens van {_mb(limit)} per load (INBURGERING_MAX_INVOER_MB); laad de exports in delen (bijvoorbeeld "
            f"per gemeente) of verhoog de grens")]
    return sources, errors


def _zip_members(name: str, path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ReadError(f"{name}: geen geldig zip-bestand ({exc})") from exc
    members = []
    for info in sorted(infos, key=lambda i: i.filename):
        if info.is_dir() or "__MACOSX" in info.filename:
            continue
        if Path(info.filename).suffix.lower() in DATA_SUFFIXES:
            members.append(Source(f"{name}/{info.filename}", path, info.filename, size=info.file_size))
    return members


def read_source(source: Source, profiles: dict[str, Profile], forced: str | None = None) -> list[RawTable]:
    """Read one source into one RawTable per file type it holds (a workbook may hold several).

    Whatever goes wrong reading this file rejects this file only (ReadError), never the run."""
    candidates = [profiles[forced]] if forced else list(profiles.values())
    try:
        content = source.read_bytes()
        if source.suffix in (".xlsx", ".xlsm"):
            return _read_workbook(source, content, candidates)
        return [_read_csv(source, content, candidates)]
    except ReadError as exc:
        raise ReadError(scrub(str(exc))) from None
    except csv.Error as exc:
        raise ReadError(f"{source.name}: CSV niet leesbaar ({scrub(str(exc))})") from None
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ReadError(f"{source.name}: niet leesbaar ({scrub(str(exc))})") from None
    except (MemoryError, RecursionError, ValueError, TypeError, KeyError, IndexError, UnicodeError) as exc:
        raise ReadError(f"{source.name}: bestand niet te verwerken ({type(exc).__name__}: "
                        f"{scrub(str(exc))[:200]})") from None


# --- CSV -------------------------------------------------------------------------------------------

BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _decode(name: str, content: bytes, encoding: str | None) -> tuple[str, str]:
    """(text, Dutch name of the encoding used): the profile's encoding, else by byte order mark, else
    UTF-8, else Windows-1252. Binary data and text that none of these decode are refused."""
    bom = next(((mark, enc) for mark, enc in BOMS if content.startswith(mark)), None)
    body = content[len(bom[0]):] if bom else content
    if not body.strip(b" \t\r\n\x00"):
        raise ReadError(f"{name}: het bestand is leeg")
    if encoding and encoding.lower() not in ("auto", ""):
        enc = encoding.lower().replace("_", "-")
        tries = ["utf-8" if enc in ("utf-8", "utf8", "utf-8-sig") else enc]
        if enc in ("utf-16", "utf16") and bom:   # the byte order mark says which UTF-16
            tries = [bom[1]]
    elif bom:
        tries = [bom[1]]
    elif b"\x00" in body[:65536]:
        raise ReadError(f"{name}: geen tekstbestand (geen UTF-8, UTF-16 of Windows-1252; binaire gegevens); "
                        "sla het bestand op als CSV")
    else:
        tries = ["utf-8", "cp1252"]
    error = None
    for enc in tries:
        try:
            text = body.decode(enc)
        except (UnicodeDecodeError, LookupError) as exc:
            error = error or exc
            continue
        label = ENCODING_LABELS.get(enc, ENCODING_LABELS.get(enc[:6], enc.upper()))
        if enc.startswith("utf-16"):
            label += " (big-endian)" if enc.endswith("be") else ""
        return text, label
    if isinstance(error, LookupError):
        raise ReadError(f"{name}: onbekende tekenset {encoding!r} in het bronprofiel")
    line = body[: error.start].count(b"\n") + 1
    shown = "UTF-8, UTF-16 of Windows-1252" if len(tries) > 1 else ENCODING_LABELS.get(tries[0], tries[0].upper())
    raise ReadError(f"{name}: regel {line}: tekst is geen {shown} (byte {error.start}); sla het bestand op als UTF-8")


def _sniff_separator(header_line: str, preferred: str | None) -> str:
    """The profile's separator, else whichever of , ; tab | the header uses most (ties: ,)."""
    if preferred:
        return preferred
    return max([",", ";", "\t", "|"], key=lambda sep: header_line.count(sep))


def _lines(text: str):
    """The text's lines with their line ends, without copying the whole text (csv.reader joins the
    lines of a quoted field with a line break)."""
    end_mark = "\n" if "\n" in text or "\r" not in text else "\r"
    start = 0
    while start < len(text):
        end = text.find(end_mark, start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _read_csv(source: Source, content: bytes, candidates: list[Profile]) -> RawTable:
    csv_profiles = [p for p in candidates if p.format in ("csv", "any")]
    if not csv_profiles:
        raise ReadError(f"{source.name}: het gekozen profiel leest geen CSV-bestanden")
    decoded: dict[str | None, tuple[str, str]] = {}
    best, error, header = None, None, []
    for profile in csv_profiles:
        try:
            if profile.encoding not in decoded:
                decoded[profile.encoding] = _decode(source.name, content, profile.encoding)
        except ReadError as exc:
            error = error or exc
            continue
        text = decoded[profile.encoding][0]
        first_line = next(_lines(text), "").rstrip("\r\n")
        sep = _sniff_separator(first_line, profile.separator)
        try:
            header = next(csv.reader([first_line], delimiter=sep), [])
        except csv.Error as exc:
            raise ReadError(f"{source.name}: regel 1: kopregel niet leesbaar ({exc})") from None
        choice = _best_file_type(profile, header, Path(source.name).name)
        if choice and (best is None or choice[0] > best[0]):
            best = (choice[0], profile, choice[1], profile.encoding, sep)
    del content
    if best is None:
        raise error if error and not header else _unknown_layout(source.name, header)
    _, profile, file_type, encoding, sep = best
    text, label = decoded.pop(encoding)
    decoded.clear()
    rows = csv.reader(_lines(text), delimiter=sep)
    row_number = 1
    try:
        header = next(rows)
        records = []
        for row_number, row in enumerate(rows, start=2):
            if row and any(c.strip() for c in row):
                records.append((row_number, row))
    except csv.Error as exc:
        raise ReadError(f"{source.name}: rij {row_number + 1}: CSV niet leesbaar ({_csv_reason(exc)})") from None
    table = _build_table(source, profile, file_type, header, records, None, text_cells=True)
    if label != "UTF-8":
        table.notes.append(f"tekenset {label}")
    return table


def _csv_reason(exc: csv.Error) -> str:
    """A csv module error in Dutch."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"een veld is langer dan {csv.field_size_limit():,} tekens".replace(",", ".")
    if "new-line character seen in unquoted field" in text:
        return "regeleinde midden in een veld zonder aanhalingstekens"
    return text


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
            # the raw record, less the BSN column (the scrubber removes BSN-like values that shifted)
            record = {str(header[i]) if i < width else f"veld_{i + 1}": row[i] for i in range(len(row))
                      if i >= width or types.get(names[i]) != "bsn"}
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

def _read_workbook(source: Source, content: bytes, candidates: list[Profile]) -> list[RawTable]:
    _check_workbook_size(source.name, content)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise ReadError(f"{source.name}: Excel-bestand niet leesbaar ({exc})") from exc
    hidden = [m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible]
    xlsx_profiles = [p for p in candidates if p.format in ("xlsx", "any")]
    tables: list[RawTable] = []
    ignored = []
    for sheet in [n for n in book.sheet_names if n not in hidden]:
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
    shown_hidden = ", ".join(f"'{h}'" for h in hidden)
    if not tables:
        found = ", ".join(n for n in book.sheet_names if n not in hidden) or "geen"
        raise ReadError(f"{source.name}: geen werkblad herkend (gevonden: {found}); verwacht werkbladen met de "
                        f"namen {', '.join(FILE_TYPES)} of een bronprofiel"
                        + (f"; verborgen werkbladen worden niet geladen: {shown_hidden} (maak ze zichtbaar "
                           f"in Excel als ze mee moeten)" if hidden else ""))
    for table in tables:
        table.extra_columns += [f"werkblad {s} (genegeerd)" for s in ignored]
        if hidden:
            table.notes.append(f"verborgen werkblad(en) {shown_hidden} niet geladen (maak ze zichtbaar in Excel "
                               f"als ze mee moeten)")
    return tables


def _check_workbook_size(name: str, content: bytes) -> None:
    """An .xlsx is a zip: refuse one whose sheets unpack beyond the file limit or compress like a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        return   # calamine gives the Dutch 'niet leesbaar' message
    limit = int(max_file_mb() * MB)
    total = sum(i.file_size for i in infos)
    if total > limit:
        raise ReadError(f"{name}: uitgepakt {_mb(total)}, groter dan de grens van {_mb(limit)} "
                        f"(INBURGERING_MAX_BESTAND_MB); splits de export of verhoog de grens")
    for info in infos:
        _check_member(name, info, limit)
