"""Peer groups of gemeenten for ref_groepen (docs/reference-data.md, "Peer groups").

Three kinds come from gemeenten.csv: `provincie` (code PV20..PV31), `arbeidsmarktregio` (AM01..AM38) and
`grootteklasse` (GK01..GK08, the CBS gemeentegrootte classes). The fourth, `regio`, is a user-defined group:
one YAML file per group in data_contracts/groepen/ and in the folder(s) named by $INBURGERING_GROEPEN_DIR
(several folders separated by the path separator, ':' on Linux and macOS, ';' on Windows)::

    code: TWENTE                      # A-Z, 0-9 and _, unique over all groups
    naam: Twente (14 gemeenten)       # shown to users
    omschrijving: ...                 # optional: what the group is for
    bron: ...                         # optional but recommended: where the membership comes from
    gemeenten:                        # current CBS codes (indeling 2026), as text
      - GM0141  # Almelo

An unknown or dissolved code, a duplicate code or a missing field raises ReferenceDataError naming the file.
The "all loaded gemeenten" group is made by the indicator engine, not here.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipelines.reference.errors import ReferenceDataError
from pipelines.settings import CONTRACTS_DIR

GROEPEN_DIR = CONTRACTS_DIR / "groepen"
GROEPEN_ENV = "INBURGERING_GROEPEN_DIR"
SOORTEN = ("provincie", "arbeidsmarktregio", "grootteklasse", "regio")

REGIO_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")
# codes of the other kinds of units: gemeenten, provinces, AMRs, size classes and the engine's GELADEN
RESERVED_CODE_RE = re.compile(r"^((GM|PV|AM|GK)\d+|GELADEN)$")
YAML_KEYS = {"code", "naam", "omschrijving", "bron", "gemeenten"}


@dataclass(frozen=True)
class Groep:
    """One peer group: its code, kind, name, provenance and member gemeente codes."""
    code: str
    soort: str
    naam: str
    gemeenten: tuple[str, ...]
    omschrijving: str | None = None
    bron: str | None = None
    bestand: str | None = None


def groepen_dirs() -> list[Path]:
    """data_contracts/groepen plus the folders of $INBURGERING_GROEPEN_DIR (each must exist)."""
    dirs = [GROEPEN_DIR]
    for part in os.environ.get(GROEPEN_ENV, "").split(os.pathsep):
        if not part.strip():
            continue
        folder = Path(part.strip()).expanduser()
        if not folder.is_dir():
            raise ReferenceDataError(f"{GROEPEN_ENV} noemt {folder}, maar die map bestaat niet")
        if folder.resolve() != GROEPEN_DIR.resolve():
            dirs.append(folder)
    return dirs


def standard_groepen(gemeenten: list[dict]) -> list[Groep]:
    """Province, arbeidsmarktregio and size-class groups from the rows of read_gemeenten()."""
    from pipelines.reference.gemeenten import SIZE_CLASSES, size_class

    members: dict[tuple[str, str, str], list[str]] = {}
    for g in gemeenten:
        gk_code, gk_label = size_class(g["inwoners"])
        for key in (("provincie", g["provincie_code"], g["provincie"]),
                    ("arbeidsmarktregio", g["arbeidsmarktregio_code"], g["arbeidsmarktregio"]),
                    ("grootteklasse", gk_code, f"{gk_label} inwoners")):
            members.setdefault(key, []).append(g["gemeente_code"])
    bron = {"provincie": "CBS Gebieden in Nederland 2026 (86247NED), zie gemeenten_SOURCES.md",
            "arbeidsmarktregio": "CBS Gebieden in Nederland 2026 (86247NED), zie gemeenten_SOURCES.md",
            "grootteklasse": f"CBS-gemeentegrootteklassen ({len(SIZE_CLASSES)}) naar inwoners op 1 januari "
                             f"{max(g['inwoners_peiljaar'] for g in gemeenten)} (CBS 70072NED)"}
    return [Groep(code, soort, naam, tuple(sorted(codes)), bron=bron[soort])
            for (soort, code, naam), codes in sorted(members.items(), key=lambda kv: (SOORTEN.index(kv[0][0]),
                                                                                     kv[0][1]))]


def _text(path: Path, data: dict, key: str, required: bool) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReferenceDataError(f"{path}: veld '{key}' ontbreekt of is leeg")
        return None
    if not isinstance(value, str):
        raise ReferenceDataError(f"{path}: veld '{key}' moet tekst zijn")
    return " ".join(value.split())


def read_groep_file(path: Path, current: dict[str, str], successors: dict[str, str | None]) -> Groep:
    """One regio group from a YAML file, checked against the current gemeenten (code -> name).

    `successors` maps every known code (old or current) to its current code, for a helpful message.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path}: geen leesbaar YAML-bestand ({exc})") from None
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{path}: verwacht een YAML-object met code, naam en gemeenten")
    unknown = sorted(set(map(str, data)) - YAML_KEYS)
    if unknown:
        raise ReferenceDataError(f"{path}: onbekend veld {', '.join(unknown)} "
                                 f"(toegestaan: {', '.join(sorted(YAML_KEYS))})")
    code = _text(path, data, "code", True)
    if not REGIO_CODE_RE.match(code) or RESERVED_CODE_RE.match(code):
        raise ReferenceDataError(f"{path}: groepcode {code!r} is ongeldig: gebruik hoofdletters, cijfers en _ "
                                 f"(2-40 tekens), niet GMxxxx, PVxx, AMxx, GKxx of GELADEN")
    naam = _text(path, data, "naam", True)
    members = data.get("gemeenten")
    if not isinstance(members, list) or not members:
        raise ReferenceDataError(f"{path}: 'gemeenten' moet een niet-lege lijst van gemeentecodes zijn")
    codes: list[str] = []
    for item in members:
        if not isinstance(item, str):
            raise ReferenceDataError(f"{path}: gemeentecode {item!r} moet als tekst (GMxxxx) geschreven zijn")
        member = item.strip().upper()
        if member not in current:
            if member in successors:
                successor = successors[member]
                hint = (f"gebruik {successor} ({current[successor]})" if successor
                        else "deze gemeente is gesplitst; kies de huidige gemeente(n)")
                raise ReferenceDataError(f"{path}: gemeentecode {member} bestaat niet meer in de indeling 2026; "
                                         f"{hint}")
            raise ReferenceDataError(f"{path}: onbekende gemeentecode {item!r}")
        if member in codes:
            raise ReferenceDataError(f"{path}: gemeentecode {member} staat twee keer in de groep")
        codes.append(member)
    return Groep(code, "regio", naam, tuple(codes), _text(path, data, "omschrijving", False),
                 _text(path, data, "bron", False), Path(path).name)


def regio_groepen(current: dict[str, str], successors: dict[str, str | None],
                  dirs: list[Path] | None = None) -> list[Groep]:
    """All regio groups of the YAML files (*.yaml, *.yml) in `dirs` (default: groepen_dirs())."""
    found: dict[str, tuple[Path, Groep]] = {}
    for folder in dirs if dirs is not None else groepen_dirs():
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            groep = read_groep_file(path, current, successors)
            if groep.code in found:
                raise ReferenceDataError(f"{path}: groepcode {groep.code} is al gebruikt in {found[groep.code][0]}")
            found[groep.code] = (path, groep)
    return [g for _, g in found.values()]


def all_groepen(gemeenten: list[dict], successors: dict[str, str | None],
                dirs: list[Path] | None = None) -> list[Groep]:
    """Standard groups plus regio groups; every code unique over all groups."""
    current = {g["gemeente_code"]: g["gemeente_naam"] for g in gemeenten}
    groepen = standard_groepen(gemeenten) + regio_groepen(current, successors, dirs)
    seen: set[str] = set()
    for g in groepen:
        if g.code in seen:
            raise ReferenceDataError(f"groepcode {g.code} komt meer dan eens voor")
        seen.add(g.code)
    return groepen


def load_groepen(dirs: list[Path] | None = None) -> list[Groep]:
    """All groups from the shipped reference data and the group folders (for use outside load_reference)."""
    from pipelines.reference.gemeenten import gemeente_code_rows, read_gemeenten

    gemeenten = read_gemeenten()
    codes = gemeente_code_rows(gemeenten=gemeenten)
    return all_groepen(gemeenten, {r["bron_code"]: r["gemeente_code"] for r in codes}, dirs)
