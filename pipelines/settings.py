"""Paths and settings, resolved from environment variables with sensible defaults."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CONTRACTS_DIR = PROJECT_ROOT / "data_contracts"
SUITES_DIR = CONTRACTS_DIR / "suites"
PROFILES_DIR = CONTRACTS_DIR / "profiles"
REFERENCE_DIR = CONTRACTS_DIR / "reference"
SAMPLE_EXPORTS_DIR = PROJECT_ROOT / "sample_exports"
DEMO_EXPORTS_DIR = SAMPLE_EXPORTS_DIR / "demo"

FILE_TYPES = ("personen", "examens", "activiteiten", "gesprekken", "uren")
CHILD_FILE_TYPES = FILE_TYPES[1:]
DOELGROEPEN = ("asiel", "gezin", "overig")
WI2021_START = "2022-01-01"


def warehouse_path(override: str | os.PathLike | None = None) -> Path:
    """The warehouse file: --warehouse, else $INBURGERING_WAREHOUSE, else data/warehouse.duckdb."""
    if override:
        return Path(override)
    env = os.environ.get("INBURGERING_WAREHOUSE")
    return Path(env) if env else PROJECT_ROOT / "data" / "warehouse.duckdb"


def key_dir() -> Path:
    """Folder for key files created on first use; never inside the warehouse."""
    env = os.environ.get("INBURGERING_KEY_DIR")
    return Path(env) if env else Path.home() / ".config" / "inburgering-monitor" / "keys"


def _env_number(name: str, default: float) -> float:
    """A positive number from the environment, else the default (a malformed value is an error)."""
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        raise ValueError(f"{name}={raw!r} is geen getal") from None
    if value <= 0:
        raise ValueError(f"{name}={raw!r} moet groter dan 0 zijn")
    return value


def max_file_mb() -> float:
    """Largest data file (or zip member, uncompressed) a load reads, in MB: $INBURGERING_MAX_BESTAND_MB.

    The default keeps a load under 2 GiB of memory even when every row is quarantined
    (docs/source-profiles.md)."""
    return _env_number("INBURGERING_MAX_BESTAND_MB", 30)


def max_input_mb() -> float:
    """Largest total of all data files of one load (zip members unpacked), in MB: $INBURGERING_MAX_INVOER_MB.

    A load holds every file it reads until it is done, so this bounds its memory as the file limit does."""
    return _env_number("INBURGERING_MAX_INVOER_MB", 30)


def max_zip_ratio() -> float:
    """Largest compression ratio (uncompressed / compressed) of a zip member: $INBURGERING_MAX_ZIP_RATIO."""
    return _env_number("INBURGERING_MAX_ZIP_RATIO", 100)
