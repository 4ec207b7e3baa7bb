"""Reference data on gemeenten, built from data_contracts/reference/ and data_contracts/groepen/.

Tables (see docs/reference-data.md; provenance in data_contracts/reference/gemeenten_SOURCES.md):

- ref_gemeenten: the 342 gemeenten of the 2026 indeling with province, arbeidsmarktregio, population and size class;
- ref_herindelingen: every merger and split since 2019, as listed in herindelingen.csv;
- ref_gemeente_codes: every code that may appear in an export since 2019, mapped onto the 2026 indeling;
- ref_groepen / ref_groep_definities: the peer groups (province, arbeidsmarktregio, size class, regio YAML).

Everything is read and checked in Python first, so a broken file raises ReferenceDataError (naming the file)
before any table is replaced.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.reference.errors import ReferenceDataError
from pipelines.settings import REFERENCE_DIR

GEMEENTEN_CSV = "gemeenten.csv"
HERINDELINGEN_CSV = "herindelingen.csv"
SPLITSINGEN_CSV = "splitsingen.csv"

# Column order of gemeenten.csv (also written by pipelines.reference.cbs.refresh_from_cbs)
GEMEENTEN_COLUMNS = ["gemeente_code", "gemeente_naam", "provincie", "arbeidsmarktregio", "inwoners",
                     "inwoners_peiljaar", "bron", "provincie_code", "arbeidsmarktregio_code"]
HERINDELINGEN_COLUMNS = ["datum_ingang", "oude_gemeente_code", "oude_gemeente_naam", "nieuwe_gemeente_code",
                         "nieuwe_gemeente_naam"]
SPLITSINGEN_COLUMNS = ["oude_gemeente_code", "oude_gemeente_naam", "gemeente_code", "toelichting", "bron"]

GEMEENTE_CODE_RE = re.compile(r"^GM\d{4}$")
PROVINCIE_CODE_RE = re.compile(r"^PV\d{2}$")
AMR_CODE_RE = re.compile(r"^AM\d{2}$")

# CBS gemeentegrootte classes (inhabitants), in CBS order: class n of "Gebieden in Nederland" is GK0n here
SIZE_CLASSES = [(0, "< 5.000"), (5_000, "5.000 - 10.000"), (10_000, "10.000 - 20.000"),
                (20_000, "20.000 - 50.000"), (50_000, "50.000 - 100.000"), (100_000, "100.000 - 150.000"),
                (150_000, "150.000 - 250.000"), (250_000, "250.000 of meer")]


def size_class(inwoners: int) -> tuple[str, str]:
    """(grootteklasse_code, grootteklasse) of a population: ('GK04', '20.000 - 50.000') for 25.845."""
    for number, (lower, label) in reversed(list(enumerate(SIZE_CLASSES, start=1))):
        if inwoners >= lower:
            return f"GK{number:02d}", label
    raise ValueError(f"negatief inwonertal: {inwoners}")


def size_class_sql(column: str) -> str:
    """SQL CASE giving the CBS size class label of a population column."""
    whens = " ".join(f"WHEN {column} >= {lo} THEN '{label}'" for lo, label in reversed(SIZE_CLASSES))
    return f"CASE {whens} END"


# ---------------------------------------------------------------- reading and checking the CSV files
def _read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    """Rows of a reference CSV as stripped strings; the header must hold `columns`."""
    if not path.exists():
        raise ReferenceDataError(f"{path}: referentiebestand ontbreekt")
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(f"{path}: kolom(men) ontbreken: {', '.join(missing)}")
        return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]


def _int(path: Path, line: int, column: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ReferenceDataError(f"{path}, regel {line}: {column} is geen geheel getal: {value!r}") from None


def read_gemeenten(reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    """The current gemeenten from gemeenten.csv, checked; inwoners and inwoners_peiljaar as int."""
    path = Path(reference_dir) / GEMEENTEN_CSV
    rows = _read_csv(path, GEMEENTEN_COLUMNS)
    seen: set[str] = set()
    names: dict[tuple[str, str], str] = {}
    out = []
    for line, row in enumerate(rows, start=2):
        code = row["gemeente_code"]
        checks = [(GEMEENTE_CODE_RE, "gemeente_code"), (PROVINCIE_CODE_RE, "provincie_code"),
                  (AMR_CODE_RE, "arbeidsmarktregio_code")]
        for pattern, column in checks:
            if not pattern.match(row[column]):
                raise ReferenceDataError(f"{path}, regel {line}: ongeldige {column} {row[column]!r}")
        if code in seen:
            raise ReferenceDataError(f"{path}, regel {line}: gemeentecode {code} staat er twee keer in")
        seen.add(code)
        for code_col, name_col in (("provincie_code", "provincie"), ("arbeidsmarktregio_code", "arbeidsmarktregio")):
            key = (code_col, row[code_col])
            if names.setdefault(key, row[name_col]) != row[name_col]:
                raise ReferenceDataError(f"{path}, regel {line}: {row[code_col]} heet {row[name_col]!r}, "
                                         f"eerder {names[key]!r}")
        if not row["gemeente_naam"]:
            raise ReferenceDataError(f"{path}, regel {line}: gemeente_naam is leeg")
        out.append({**row, "inwoners": _int(path, line, "inwoners", row["inwoners"]),
                    "inwoners_peiljaar": _int(path, line, "inwoners_peiljaar", row["inwoners_peiljaar"])})
    if not out:
        raise ReferenceDataError(f"{path}: geen gemeenten")
    return out


def read_herindelingen(reference_dir: Path = REFERENCE_DIR) -> list[dict]:
    """Rows of herindelingen.csv (one per old gemeente x receiving gemeente), datum_ingang as date."""
    path = Path(reference_dir) / HERINDELINGEN_CSV
    out = []
    for line, row in enumerate(_read_csv(path, HERINDELINGEN_COLUMNS), start=2):
        for column in ("oude_gemeente_code", "nieuwe_gemeente_code"):
            if not GEMEENTE_CODE_RE.match(row[column]):
                raise ReferenceDataError(f"{path}, regel {line}: ongeldige {column} {row[column]!r}")
        try:
            datum = date.fromisoformat(row["datum_ingang"])
        except ValueError:
            raise ReferenceDataError(f"{path}, regel {line}: datum_ingang is geen datum (JJJJ-MM-DD): "
                                     f"{row['datum_ingang']!r}") from None
        out.append({**row, "datum_ingang": datum})
    return out


def read_splitsingen(reference_dir: Path = REFERENCE_DIR) -> dict[str, dict]:
    """The chosen successor of each split gemeente (splitsingen.csv), keyed by old code; '' = not mapped."""
    path = Path(reference_dir) / SPLITSINGEN_CSV
    out: dict[str, dict] = {}
    for line, row in enumerate(_read_csv(path, SPLITSINGEN_COLUMNS), start=2):
        if not GEMEENTE_CODE_RE.match(row["oude_gemeente_code"]) or (
                row["gemeente_code"] and not GEMEENTE_CODE_RE.match(row["gemeente_code"])):
            raise ReferenceDataError(f"{path}, regel {line}: ongeldige gemeentecode")
        if not row["toelichting"] or not row["bron"]:
            raise ReferenceDataError(f"{path}, regel {line}: toelichting en bron zijn verplicht")
        out[row["oude_gemeente_code"]] = row
    return out


# ---------------------------------------------------------------- old codes onto the current indeling
def gemeente_code_rows(reference_dir: Path = REFERENCE_DIR, gemeenten: list[dict] | None = None) -> list[dict]:
    """Rows of ref_gemeente_codes: bron_code, gemeente_code, gemeente_naam, toelichting.

    One identity row per current gemeente, one row per dissolved gemeente of herindelingen.csv. A gemeente
    merged into one other maps onto that one (following later mergers too); a split gemeente maps onto the
    successor chosen in splitsingen.csv, or onto nothing (gemeente_code NULL) when none was chosen.
    """
    reference_dir = Path(reference_dir)
    gemeenten = gemeenten if gemeenten is not None else read_gemeenten(reference_dir)
    current = {g["gemeente_code"]: g["gemeente_naam"] for g in gemeenten}
    herindelingen = read_herindelingen(reference_dir)
    splitsingen = read_splitsingen(reference_dir)
    path = reference_dir / HERINDELINGEN_CSV

    successors: dict[str, list[dict]] = {}
    for row in herindelingen:
        if row["oude_gemeente_code"] in current:
            raise ReferenceDataError(f"{path}: {row['oude_gemeente_code']} staat als opgeheven gemeente, maar is "
                                     f"ook een huidige gemeente in {GEMEENTEN_CSV}")
        successors.setdefault(row["oude_gemeente_code"], []).append(row)

    def resolve(code: str, trail: tuple[str, ...] = ()) -> str | None:
        """The current code for `code` (None for an unmapped split)."""
        if code in current:
            return code
        if code in trail:
            raise ReferenceDataError(f"{path}: kringverwijzing in herindelingen: {' -> '.join(trail + (code,))}")
        options = sorted({r["nieuwe_gemeente_code"] for r in successors.get(code, [])})
        if not options:
            raise ReferenceDataError(f"{path}: opvolger {code} is geen huidige gemeente en niet opgeheven")
        if len(options) == 1:
            return resolve(options[0], trail + (code,))
        choice = splitsingen.get(code)
        if choice is None:
            raise ReferenceDataError(
                f"{path}: {code} is gesplitst over {', '.join(options)}; leg in {SPLITSINGEN_CSV} vast naar welke "
                f"gemeente de code gaat (of laat gemeente_code leeg), met toelichting en bron")
        if choice["gemeente_code"] and choice["gemeente_code"] not in options:
            raise ReferenceDataError(f"{reference_dir / SPLITSINGEN_CSV}: {choice['gemeente_code']} is geen opvolger "
                                     f"van {code} (opvolgers: {', '.join(options)})")
        return resolve(choice["gemeente_code"], trail + (code,)) if choice["gemeente_code"] else None

    for old in splitsingen:
        if len({r["nieuwe_gemeente_code"] for r in successors.get(old, [])}) < 2:
            raise ReferenceDataError(f"{reference_dir / SPLITSINGEN_CSV}: {old} is volgens {HERINDELINGEN_CSV} "
                                     f"geen gesplitste gemeente")

    rows = [{"bron_code": code, "gemeente_code": code, "gemeente_naam": naam,
             "toelichting": "huidige gemeente"} for code, naam in sorted(current.items())]
    for old in sorted(successors):
        events = successors[old]
        datum = min(r["datum_ingang"] for r in events).isoformat()
        naam = events[0]["oude_gemeente_naam"]
        target = resolve(old)
        if old in splitsingen:
            toelichting = f"{naam}: {splitsingen[old]['toelichting']}"
        else:
            nieuw = events[0]
            toelichting = f"{naam}: opgeheven per {datum}, opgegaan in {nieuw['nieuwe_gemeente_naam']} " \
                          f"({nieuw['nieuwe_gemeente_code']})"
            if target is None:
                toelichting += ", die later is gesplitst zonder gekozen opvolger; niet omgezet"
            elif target != nieuw["nieuwe_gemeente_code"]:
                toelichting += f", later in {current[target]} ({target})"
        rows.append({"bron_code": old, "gemeente_code": target,
                     "gemeente_naam": current[target] if target else None, "toelichting": toelichting})
    return rows


@lru_cache(maxsize=4)
def _code_map(reference_dir: str) -> dict[str, str | None]:
    return {r["bron_code"]: r["gemeente_code"] for r in gemeente_code_rows(Path(reference_dir))}


def normalise_code(code: object) -> str | None:
    """'GM0363', 'gm0363', ' 0363 ' and 363 all become 'GM0363'; anything else gives None."""
    if code is None:
        return None
    text = str(code).strip().upper()
    if text.startswith("GM"):
        text = text[2:]
    return f"GM{int(text):04d}" if text.isdigit() and len(text) <= 4 else None


def current_code(code: object, reference_dir: Path = REFERENCE_DIR) -> str | None:
    """The 2026 gemeente code for a code from an export since 2019.

    A current code maps to itself, a dissolved gemeente to its successor (GM0457 Weesp -> GM0363 Amsterdam).
    None for an unknown code and for a split gemeente without a chosen successor (GM0788 Haaren).
    """
    normalised = normalise_code(code)
    return _code_map(str(Path(reference_dir).resolve())).get(normalised) if normalised else None


# ---------------------------------------------------------------- tables
def _table(con: duckdb.DuckDBPyConnection, name: str, schema: pa.Schema, rows: list[dict]) -> None:
    """(Re)create table `name` with exactly `schema` from `rows`."""
    data = pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)
    view = f"_{name}_rows"
    con.register(view, data)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)


def _schema(columns: list[tuple[str, pa.DataType]]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in columns])


S = pa.string()
REF_GEMEENTEN_SCHEMA = _schema([
    ("gemeente_code", S), ("gemeente_naam", S), ("provincie", S), ("arbeidsmarktregio", S),
    ("inwoners", pa.int32()), ("inwoners_peiljaar", pa.int32()), ("grootteklasse", S), ("bron", S),
    ("provincie_code", S), ("arbeidsmarktregio_code", S), ("grootteklasse_code", S)])
REF_HERINDELINGEN_SCHEMA = _schema([
    ("datum_ingang", pa.date32()), ("oude_gemeente_code", S), ("oude_gemeente_naam", S),
    ("nieuwe_gemeente_code", S), ("nieuwe_gemeente_naam", S)])
REF_GEMEENTE_CODES_SCHEMA = _schema([("bron_code", S), ("gemeente_code", S), ("gemeente_naam", S),
                                     ("toelichting", S)])
REF_GROEPEN_SCHEMA = _schema([("groep_code", S), ("groep_soort", S), ("groep_naam", S), ("gemeente_code", S)])
REF_GROEP_DEFINITIES_SCHEMA = _schema([
    ("groep_code", S), ("groep_soort", S), ("groep_naam", S), ("omschrijving", S), ("bron", S),
    ("bestand", S), ("aantal_gemeenten", pa.int32())])


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create ref_gemeenten, ref_herindelingen, ref_gemeente_codes, ref_groepen and ref_groep_definities.

    Reads data_contracts/reference/, data_contracts/groepen/*.yaml and the folders in $INBURGERING_GROEPEN_DIR.
    Raises ReferenceDataError (naming the file) before touching any table when a file is wrong.
    """
    from pipelines.reference.groepen import all_groepen

    gemeenten = read_gemeenten()
    for g in gemeenten:
        g["grootteklasse_code"], g["grootteklasse"] = size_class(g["inwoners"])
    herindelingen = read_herindelingen()
    codes = gemeente_code_rows(gemeenten=gemeenten)
    groepen = all_groepen(gemeenten, {r["bron_code"]: r["gemeente_code"] for r in codes})

    _table(con, "ref_gemeenten", REF_GEMEENTEN_SCHEMA, gemeenten)
    _table(con, "ref_herindelingen", REF_HERINDELINGEN_SCHEMA, herindelingen)
    _table(con, "ref_gemeente_codes", REF_GEMEENTE_CODES_SCHEMA, codes)
    _table(con, "ref_groepen", REF_GROEPEN_SCHEMA,
           [{"groep_code": g.code, "groep_soort": g.soort, "groep_naam": g.naam, "gemeente_code": code}
            for g in groepen for code in g.gemeenten])
    _table(con, "ref_groep_definities", REF_GROEP_DEFINITIES_SCHEMA,
           [{"groep_code": g.code, "groep_soort": g.soort, "groep_naam": g.naam, "omschrijving": g.omschrijving,
             "bron": g.bron, "bestand": g.bestand, "aantal_gemeenten": len(g.gemeenten)} for g in groepen])
