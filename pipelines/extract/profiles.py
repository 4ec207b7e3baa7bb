"""Source profiles: declarative YAML mappings of a case system's layout onto the canonical layout v1.

A new case system needs a new YAML file in data_contracts/profiles/, never new code. See
docs/source-profiles.md for the format. The canonical layout itself is the built-in profile `canoniek`.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

from pipelines.settings import FILE_TYPES, PROFILES_DIR

CANONICAL = "canoniek"


class ProfileError(ValueError):
    """A profile file that cannot be used."""


@dataclass(frozen=True)
class FileSpec:
    """How one file type appears in a source layout."""

    match: str
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)   # source header -> canonical column
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def header_map(self) -> dict[str, str]:
        """Source headers, normalised for matching, onto canonical names."""
        return {_norm(k): v for k, v in self.columns.items()}


@dataclass(frozen=True)
class Profile:
    """A source layout: file names, sheets, headers, code labels and date format."""

    name: str
    description: str
    format: str                       # csv | xlsx | any (canonical)
    files: dict[str, FileSpec]
    separator: str | None = None
    encoding: str | None = None       # None: detected per file (BOM, UTF-8, else Windows-1252)
    date_format: str = "%Y-%m-%d"
    decimal_separator: str = "."
    booleans: dict[str, str] = field(default_factory=dict)

    @property
    def is_canonical(self) -> bool:
        return self.name == CANONICAL

    def file_type_for_name(self, file_name: str) -> str | None:
        """The file type whose name pattern matches, if any."""
        low = file_name.lower()
        for file_type, spec in self.files.items():
            if fnmatch.fnmatch(low, spec.match.lower()):
                return file_type
        return None

    def file_type_for_sheet(self, sheet: str) -> str | None:
        """The file type held in a workbook sheet of this name, if any."""
        for file_type, spec in self.files.items():
            if spec.sheet and _norm(spec.sheet) == _norm(sheet):
                return file_type
        return None

    def rename(self, file_type: str, headers: list[str]) -> list[str | None]:
        """Canonical name per source header (None for a column the layout does not know)."""
        if self.is_canonical:
            return [_norm(h) or None for h in headers]
        mapping = self.files[file_type].header_map()
        return [mapping.get(_norm(h)) for h in headers]

    def to_canonical(self, file_type: str, frame: pd.DataFrame, types: dict[str, str]) -> pd.DataFrame:
        """Map code labels, yes/no words and dates of a renamed frame onto canonical values."""
        if self.is_canonical:
            return frame
        spec = self.files[file_type]
        out = frame.copy()
        for col, mapping in spec.values.items():
            if col in out:
                out[col] = out[col].map(lambda v, m=mapping: m.get(v, v) if v is not None else None)
        bools = {_norm(k): v for k, v in self.booleans.items()}
        for col, kind in types.items():
            if col not in out:
                continue
            if kind == "bool" and bools:
                out[col] = out[col].map(lambda v: bools.get(_norm(v), v) if v is not None else None)
            elif kind == "date" and self.date_format != "%Y-%m-%d":
                out[col] = out[col].map(lambda v: _to_iso(v, self.date_format))
            elif kind == "decimal" and self.decimal_separator != ".":
                out[col] = out[col].map(lambda v: v.replace(self.decimal_separator, ".") if isinstance(v, str) else v)
        return out


def _norm(text: object) -> str:
    return " ".join(str(text).split()).lower() if text is not None else ""


def _to_iso(value: str | None, fmt: str) -> str | None:
    """A date in the profile's format as YYYY-MM-DD; anything else is left for the contract to reject."""
    if value is None or len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    try:
        return datetime.strptime(value, fmt).date().isoformat()
    except ValueError:
        return value


def canonical_profile() -> Profile:
    """The built-in profile for the canonical layout v1 (CSV files or XLSX sheets named by type)."""
    files = {t: FileSpec(match=f"*{t}*", sheet=t) for t in FILE_TYPES}
    return Profile(name=CANONICAL, description="Canonieke export v1", format="any", files=files)


def load_profile(path: Path) -> Profile:
    """Read and check one profile YAML file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path.name}: profiel niet leesbaar: {exc}") from exc
    if not isinstance(raw, dict) or "files" not in raw:
        raise ProfileError(f"{path.name}: profiel mist 'files'")
    fmt = raw.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise ProfileError(f"{path.name}: format moet csv of xlsx zijn, niet {fmt!r}")
    files = {}
    for file_type, spec in raw["files"].items():
        if file_type not in FILE_TYPES:
            raise ProfileError(f"{path.name}: onbekend bestandstype {file_type!r} (kies uit {', '.join(FILE_TYPES)})")
        if "match" not in spec:
            raise ProfileError(f"{path.name}: {file_type} mist 'match'")
        values = {col: {str(k): str(v) for k, v in m.items()} for col, m in (spec.get("values") or {}).items()}
        files[file_type] = FileSpec(match=str(spec["match"]), sheet=spec.get("sheet"),
                                    columns={str(k): str(v) for k, v in (spec.get("columns") or {}).items()},
                                    values=values)
    return Profile(
        name=raw.get("name", path.stem), description=raw.get("description", ""), format=fmt, files=files,
        separator=raw.get("separator"), encoding=raw.get("encoding"),
        date_format=raw.get("date_format", "%Y-%m-%d"), decimal_separator=str(raw.get("decimal_separator", ".")),
        booleans={str(k): str(v) for k, v in (raw.get("booleans") or {}).items()},
    )


def profile_folders() -> list[Path]:
    """The shipped profiles folder, plus the user's own folder in $INBURGERING_PROFILES_DIR if set."""
    extra = os.environ.get("INBURGERING_PROFILES_DIR")
    return [PROFILES_DIR] + ([Path(extra)] if extra else [])


def available_profiles() -> dict[str, Profile]:
    """All profiles: the canonical one first, then every YAML file in the profile folders."""
    profiles = {CANONICAL: canonical_profile()}
    for folder in profile_folders():
        for path in sorted(folder.glob("*.yaml")):
            profile = load_profile(path)
            profiles[profile.name] = profile
    return profiles
