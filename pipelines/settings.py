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
