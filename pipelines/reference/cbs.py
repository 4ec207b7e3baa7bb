"""Rebuild gemeenten.csv from CBS open data (needs a network; the load step never calls this).

Two StatLine tables are read with `cbsodata`:

- "Gebieden in Nederland 2026" (86247NED): code and name of each gemeente, its arbeidsmarktregio and province.
  Its columns are numbered per edition (Code_1, Naam_2, ... Code_28/Naam_29 for the province in 2026), so they
  are looked up by their titles in the table's DataProperties and then checked on their values (GM...., AM..,
  PV..) instead of being hard-coded.
- "Regionale kerncijfers Nederland" (70072NED): TotaleBevolking_1, the population on 1 January, per gemeente
  (KoppelvariabeleRegioCode_* holds the GM code). The latest year with a figure for every gemeente is used,
  unless a peiljaar is given.

The result has exactly the columns of the shipped gemeenten.csv; `bron` records both tables and the date
fetched, and gemeenten_CBS_REFRESH.md next to it records the columns used. Files are only written when
everything checked out. Run `python -m pipelines.reference.cbs --out data_contracts/reference` to refresh the
shipped list (then review the diff and update gemeenten_SOURCES.md and herindelingen.csv by hand).
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from datetime import datetime
from pathlib import Path

import cbsodata
import requests

from pipelines.reference.errors import CbsFormatError, CbsUnavailableError, ReferenceDataError
from pipelines.reference.gemeenten import (AMR_CODE_RE, GEMEENTE_CODE_RE, GEMEENTEN_COLUMNS, GEMEENTEN_CSV,
                                           PROVINCIE_CODE_RE)

GEBIEDEN_TABLE = "86247NED"      # Gebieden in Nederland 2026
KERNCIJFERS_TABLE = "70072NED"   # Regionale kerncijfers Nederland
REFRESH_NOTE = "gemeenten_CBS_REFRESH.md"
TIMEOUT = 120                    # seconds per request
YEARS_TO_TRY = 4                 # newest years of 70072NED tried for a complete population column

# (group title prefix, topic title) -> role; titles as shown on StatLine, compared case-insensitively
GEBIEDEN_TOPICS = {
    ("codes en namen van gemeenten", "code"): "gemeente_code",
    ("codes en namen van gemeenten", "naam"): "gemeente_naam",
    ("arbeidsmarktregio", "code"): "arbeidsmarktregio_code",
    ("arbeidsmarktregio", "naam"): "arbeidsmarktregio",
    ("provincie", "code"): "provincie_code",
    ("provincie", "naam"): "provincie",
}
CODE_PATTERNS = {"gemeente_code": GEMEENTE_CODE_RE, "arbeidsmarktregio_code": AMR_CODE_RE,
                 "provincie_code": PROVINCIE_CODE_RE}
VALUE_PREFIXES = {"gemeente_code": "GM", "arbeidsmarktregio_code": "AM", "provincie_code": "PV"}
NAME_ROLES = {"gemeente_code": "gemeente_naam", "arbeidsmarktregio_code": "arbeidsmarktregio",
              "provincie_code": "provincie"}


def _norm(title: object) -> str:
    return " ".join(str(title or "").replace("\u2019", "'").lower().split())


def _clean(value: object) -> str:
    """CBS pads text values with spaces; None becomes ''."""
    return "" if value is None else str(value).strip()


def _number(value: object) -> int | None:
    """An integer from a typed or untyped CBS value; None for a missing one (None, '', '.').

    cbsodata 1.3.5 inverts its `typed` flag (the default typed=False downloads TypedDataSet), so both shapes
    are accepted: 931298 as well as '    931298'.
    """
    text = _clean(value)
    if text in ("", ".", "-"):
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def resolve_gebieden_keys(props: list[dict], table: str = GEBIEDEN_TABLE) -> dict[str, str]:
    """Role -> column key (e.g. 'provincie_code' -> 'Code_28') from the DataProperties of Gebieden in Nederland."""
    groups = {p.get("ID"): _norm(p.get("Title")) for p in props if p.get("Type") == "TopicGroup"}
    keys: dict[str, str] = {}
    for p in props:
        if p.get("Type") != "Topic":
            continue
        group, title = groups.get(p.get("ParentID"), ""), _norm(p.get("Title"))
        for (prefix, topic), role in GEBIEDEN_TOPICS.items():
            if group.startswith(prefix) and title == topic and role not in keys:
                keys[role] = p["Key"]
    missing = sorted(set(GEBIEDEN_TOPICS.values()) - set(keys))
    if missing:
        raise CbsFormatError(f"CBS-tabel {table}: kolommen voor {', '.join(missing)} niet gevonden in "
                             f"DataProperties; is de tabel van opzet veranderd?")
    return keys


def _keys_from_values(rows: list[dict], table: str) -> dict[str, str]:
    """Fallback without usable DataProperties: the Code_n column whose values all start with GM/AM/PV."""
    keys: dict[str, str] = {}
    for role, prefix in VALUE_PREFIXES.items():
        candidates = [k for k in rows[0] if re.fullmatch(r"Code_\d+", k)
                      and all(_clean(r.get(k)).startswith(prefix) for r in rows)]
        if len(candidates) != 1:
            raise CbsFormatError(f"CBS-tabel {table}: geen eenduidige kolom met {prefix}-codes "
                                 f"(gevonden: {candidates or 'geen'})")
        keys[role] = candidates[0]
        keys[NAME_ROLES[role]] = f"Naam_{int(candidates[0].split('_')[1]) + 1}"  # CBS pairs Code_n with Naam_n+1
    return keys


def fetch_gebieden(table: str = GEBIEDEN_TABLE) -> tuple[list[dict], dict[str, str]]:
    """Rows (gemeente_code, gemeente_naam, provincie_code, provincie, arbeidsmarktregio_code, arbeidsmarktregio)."""
    try:
        keys = resolve_gebieden_keys(cbsodata.get_meta(table, "DataProperties", timeout=TIMEOUT), table)
        raw = cbsodata.get_data(table, select=sorted(set(keys.values())), timeout=TIMEOUT)
    except CbsFormatError:
        raw = cbsodata.get_data(table, timeout=TIMEOUT)
        if not raw:
            raise
        keys = _keys_from_values(raw, table)
    rows = []
    for r in raw:
        row = {role: _clean(r.get(key)) for role, key in keys.items()}
        if not row["gemeente_code"].startswith("GM"):
            continue
        for role, pattern in CODE_PATTERNS.items():
            if not pattern.match(row[role]):
                raise CbsFormatError(f"CBS-tabel {table}, kolom {keys[role]}: {row[role]!r} is geen geldige "
                                     f"{role} (gemeente {row['gemeente_code']})")
        for role in ("gemeente_naam", "provincie", "arbeidsmarktregio"):
            if not row[role]:
                raise CbsFormatError(f"CBS-tabel {table}, kolom {keys[role]}: lege {role} voor "
                                     f"{row['gemeente_code']}")
        rows.append(row)
    if not rows:
        raise CbsFormatError(f"CBS-tabel {table}: geen gemeenten (GM-codes) in het antwoord")
    codes = [r["gemeente_code"] for r in rows]
    if len(set(codes)) != len(codes):
        raise CbsFormatError(f"CBS-tabel {table}: gemeentecodes komen dubbel voor")
    return rows, keys


def fetch_inwoners(codes: list[str], table: str = KERNCIJFERS_TABLE,
                   peiljaar: int | None = None) -> tuple[dict[str, int], int, dict[str, str]]:
    """Population on 1 January per gemeente code, the year used and the column keys used."""
    props = cbsodata.get_meta(table, "DataProperties", timeout=TIMEOUT)
    prop_keys = [_clean(p.get("Key")) for p in props]
    population = next((k for k in prop_keys if k.startswith("TotaleBevolking_")), None)
    koppel = next((k for k in prop_keys if k.startswith("KoppelvariabeleRegioCode_")), None)
    if not population or not koppel:
        raise CbsFormatError(f"CBS-tabel {table}: kolom TotaleBevolking_* of KoppelvariabeleRegioCode_* niet "
                             f"gevonden in DataProperties")
    periods = sorted({_clean(p.get("Key")) for p in cbsodata.get_meta(table, "Perioden", timeout=TIMEOUT)
                      if re.fullmatch(r"\d{4}JJ00", _clean(p.get("Key")))}, reverse=True)
    if peiljaar is not None:
        periods = [p for p in periods if p == f"{peiljaar}JJ00"]
        if not periods:
            raise CbsFormatError(f"CBS-tabel {table}: geen cijfers over {peiljaar}")
    wanted = set(codes)
    for period in periods[:YEARS_TO_TRY]:
        rows = cbsodata.get_data(table, select=["RegioS", "Perioden", population, koppel],
                                 filters=f"Perioden eq '{period}' and startswith(RegioS,'GM')", timeout=TIMEOUT)
        values = {_clean(r.get(koppel)): _number(r.get(population)) for r in rows}
        found = {code: n for code, n in values.items() if code in wanted and n is not None}
        if len(found) == len(wanted):
            return found, int(period[:4]), {"inwoners": population, "gemeente_code": koppel}
        if peiljaar is not None:
            missing = sorted(wanted - set(found))
            raise CbsFormatError(f"CBS-tabel {table}: geen inwonertal over {peiljaar} voor {len(missing)} "
                                 f"gemeente(n), o.a. {', '.join(missing[:5])}")
    raise CbsFormatError(f"CBS-tabel {table}: geen jaar (van de laatste {YEARS_TO_TRY}) met een inwonertal voor "
                         f"alle {len(wanted)} gemeenten van de indeling")


def _write_atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        write(fh)
    os.replace(tmp, path)


def refresh_from_cbs(out_dir: str | os.PathLike, peiljaar: int | None = None,
                     gebieden_table: str = GEBIEDEN_TABLE, kerncijfers_table: str = KERNCIJFERS_TABLE,
                     now: datetime | None = None) -> Path:
    """Rebuild gemeenten.csv in `out_dir` from CBS open data and return its path.

    Raises CbsUnavailableError when CBS cannot be reached and CbsFormatError when a table is not as expected;
    in both cases nothing is written.
    """
    now = now or datetime.now().astimezone()
    try:
        gemeenten, gebieden_keys = fetch_gebieden(gebieden_table)
        inwoners, jaar, kern_keys = fetch_inwoners([g["gemeente_code"] for g in gemeenten], kerncijfers_table,
                                                   peiljaar)
    except ReferenceDataError:
        raise
    except requests.HTTPError as exc:
        response = getattr(exc.__cause__, "response", None)   # cbsodata re-raises without the response
        if response is None:                                  # (a Response with 4xx is falsy: no `or` here)
            response = exc.response
        status = getattr(response, "status_code", None)
        if status is not None and 400 <= status < 500 and status != 429:
            raise CbsFormatError(f"CBS weigerde het verzoek ({exc}); bestaat de tabel nog met deze kolommen? "
                                 f"Er is niets gewijzigd.") from None
        raise CbsUnavailableError(f"CBS open data gaf een fout ({exc}). Probeer het later opnieuw; er is niets "
                                  f"gewijzigd.") from None
    except (requests.RequestException, OSError) as exc:
        raise CbsUnavailableError(
            f"CBS open data is niet bereikbaar ({type(exc).__name__}: {exc}). Controleer de internetverbinding "
            f"en probeer het later opnieuw; er is niets gewijzigd.") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise CbsFormatError(f"onverwacht antwoord van CBS ({type(exc).__name__}: {exc}); er is niets gewijzigd") \
            from None

    fetched = now.date().isoformat()
    bron = f"cbs{gebieden_table.lower()}+cbs{kerncijfers_table.lower()}@{fetched}"
    rows = [{**g, "inwoners": inwoners[g["gemeente_code"]], "inwoners_peiljaar": jaar, "bron": bron}
            for g in sorted(gemeenten, key=lambda g: g["gemeente_code"])]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / GEMEENTEN_CSV

    def write_csv(fh) -> None:
        writer = csv.DictWriter(fh, GEMEENTEN_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r[c] for c in GEMEENTEN_COLUMNS} for r in rows)

    def write_note(fh) -> None:
        fh.write(f"# CBS refresh of {GEMEENTEN_CSV}\n\n"
                 f"Written by `pipelines.reference.cbs.refresh_from_cbs` on {now.isoformat(timespec='seconds')}.\n\n"
                 f"| table | used for | columns |\n|---|---|---|\n"
                 f"| {gebieden_table} (Gebieden in Nederland) | codes, names, provincie, arbeidsmarktregio | "
                 + ", ".join(f"{role} = `{key}`" for role, key in sorted(gebieden_keys.items())) + " |\n"
                 f"| {kerncijfers_table} (Regionale kerncijfers Nederland) | inwoners on 1 January {jaar} | "
                 + ", ".join(f"{role} = `{key}`" for role, key in sorted(kern_keys.items())) + " |\n\n"
                 f"{len(rows)} gemeenten, {sum(r['inwoners'] for r in rows):,} inwoners in total. "
                 f"`bron` = `{bron}`. Review the diff, then update gemeenten_SOURCES.md and, after a "
                 f"herindeling, herindelingen.csv by hand.\n")

    _write_atomic(target, write_csv)
    _write_atomic(out / REFRESH_NOTE, write_note)
    return target


def main(argv: list[str] | None = None) -> int:
    """`python -m pipelines.reference.cbs --out DIR [--peiljaar JJJJ]`: refresh without a traceback on errors."""
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.reference.cbs",
        description=f"Ververs {GEMEENTEN_CSV} uit CBS open data: Gebieden in Nederland 2026 ({GEBIEDEN_TABLE}) en "
                    f"Regionale kerncijfers Nederland ({KERNCIJFERS_TABLE}). Vraagt internet.")
    parser.add_argument("--out", required=True, type=Path, help=f"map waarin {GEMEENTEN_CSV} komt")
    parser.add_argument("--peiljaar", type=int, help="jaar van de inwonertallen (1 januari); standaard het "
                                                     "laatste jaar met cijfers voor alle gemeenten")
    parser.add_argument("--gebieden-tabel", default=GEBIEDEN_TABLE,
                        help=f"tabel-id van Gebieden in Nederland (standaard {GEBIEDEN_TABLE}, editie 2026)")
    args = parser.parse_args(argv)
    try:
        path = refresh_from_cbs(args.out, peiljaar=args.peiljaar, gebieden_table=args.gebieden_tabel)
    except ReferenceDataError as exc:
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    print(f"Geschreven: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
