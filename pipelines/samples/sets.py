"""The committed demo set and the (uncommitted) national set."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.settings import DEMO_EXPORTS_DIR
from pipelines.samples.generator import gemeente_by_code, generate_cases, load_gemeenten
from pipelines.samples.layouts import write_delivery

DEMO_PEILDATUM = dt.date(2026, 9, 30)
# code -> (layout, separator, encoding); Twente in the regiesysteem layout, the Drenthe cooperation in xlsx
DEMO_LAYOUT: dict[str, tuple[str, str, str]] = {
    "GM0034": ("canoniek", ",", "utf-8"),        # Almere
    "GM0141": ("canoniek", ";", "utf-8-sig"),    # Almelo
    "GM0384": ("canoniek", ",", "utf-8"),        # Diemen
    "GM0153": ("regiesysteem_csv", ";", "utf-8"),  # Enschede
    "GM0164": ("regiesysteem_csv", ";", "utf-8"),  # Hengelo (O.)
    "GM0147": ("regiesysteem_csv", ";", "utf-8"),  # Borne
    "GM0183": ("regiesysteem_csv", ";", "utf-8"),  # Tubbergen
    "GM0106": ("dossier_xlsx", ",", "utf-8"),    # Assen
    "GM1680": ("dossier_xlsx", ",", "utf-8"),    # Aa en Hunze
    "GM1730": ("dossier_xlsx", ",", "utf-8"),    # Tynaarlo
}
DEMO_GEMEENTEN: list[str] = list(DEMO_LAYOUT)


def slug(text: str) -> str:
    """'Hengelo (O.)' -> 'hengelo-o', 'Fryslân' -> 'fryslan'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def delivery_name(code: str) -> str:
    """Folder (or workbook) name of a gemeente's delivery: <code>_<slug>."""
    return f"{code}_{slug(gemeente_by_code()[code].naam)}"


def split_frames(frames: dict[str, pd.DataFrame], key: np.ndarray | pd.Series, value) -> dict[str, pd.DataFrame]:
    """The rows of every frame whose gemeente_code maps to `value` under `key` (a code -> group lookup)."""
    out = {}
    for t, f in frames.items():
        mask = f["gemeente_code"].map(key).to_numpy() == value
        out[t] = f.loc[mask].reset_index(drop=True)
    return out


def write_demo_set(out: Path = DEMO_EXPORTS_DIR, seed: int = 2021, peildatum: dt.date = DEMO_PEILDATUM) -> list[Path]:
    """Write the demo deliveries (10 gemeenten over three layouts) at the peildatum."""
    out = Path(out)
    frames = generate_cases(DEMO_GEMEENTEN, peildatum, seed=seed)
    ident = {c: c for c in DEMO_GEMEENTEN}
    paths: list[Path] = []
    for code, (layout, sep, enc) in DEMO_LAYOUT.items():
        part = split_frames(frames, ident, code)
        target = out / layout / delivery_name(code)
        if layout == "dossier_xlsx":
            target = target.with_suffix(".xlsx")
            target.unlink(missing_ok=True)
        elif target.exists():
            shutil.rmtree(target)
        paths += write_delivery(part, target, profile=layout, separator=sep, encoding=enc)
    return paths


def write_national_set(out: Path, seed: int = 2021, peildatum: dt.date = DEMO_PEILDATUM) -> list[Path]:
    """Write all gemeenten as canonical CSV deliveries, one folder per province (out/<provincie_code>/, e.g.
    out/PV26/). Not named after the province: Groningen and Utrecht are gemeenten too, and a load refuses a
    folder named after a gemeente whose files hold other gemeenten (pipelines/load/guards.py)."""
    out = Path(out)
    gemeenten = load_gemeenten()
    frames = generate_cases([g.code for g in gemeenten], peildatum, seed=seed)
    province = {g.code: g.provincie_code for g in gemeenten}
    parts: dict[str, dict[str, pd.DataFrame]] = {}
    for t, f in frames.items():
        labels = f["gemeente_code"].map(province).to_numpy(dtype=object)
        for prov, idx in pd.Series(labels).groupby(labels).indices.items():
            parts.setdefault(prov, {})[t] = f.take(idx).reset_index(drop=True)
    paths: list[Path] = []
    for prov in sorted(parts):
        paths += write_delivery(parts[prov], out / prov)
    return paths
