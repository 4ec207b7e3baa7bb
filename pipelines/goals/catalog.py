"""The indicators a policy goal may refer to: id -> kind (soort) and categories.

The list mirrors docs/indicators.md (a unit test checks that every id in that document is here and the other
way round). Indicators that the registry (pipelines/indicators/definitions.yaml) adds later are accepted too:
`known_indicators()` merges both, so a goal file never has to wait for this module to be updated.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

# soort: aandeel (share, %), aantal (count), mediaan (median), per_1000 (rate per 1,000 inhabitants)
SOORTEN = ("aandeel", "aantal", "mediaan", "per_1000")

_ROUTES = ("B1", "ONDERWIJS", "Z")
_ONDERDELEN = ("lezen", "luisteren", "schrijven", "spreken", "knm", "alle")

_CATALOG: dict[str, tuple[str, tuple[str, ...]]] = {
    # the specification v1
    "instroom": ("aantal", ()),
    "wachttijd_huisvesting_mediaan": ("mediaan", ()),
    "brede_intake_gestart_pct": ("aandeel", ()),
    "pip_binnen_10_weken_pct": ("aandeel", ()),
    "doorlooptijd_pip_mediaan": ("mediaan", ()),
    "leerroute_aandeel_pct": ("aandeel", _ROUTES),
    "voortgangsgesprekken_norm_pct": ("aandeel", ()),
    "examen_geslaagd_pct": ("aandeel", _ONDERDELEN),
    "voldaan_binnen_termijn_pct": ("aandeel", ()),
    "vrijwilligerswerk_plaatsingen": ("aantal", ()),
    "z_route_vrijwilligerswerk_3mnd_pct": ("aandeel", ()),
    # the project's further indicators
    "welkomgesprek_binnen_6_weken_pct": ("aandeel", ()),
    "leerroute_schakelingen": ("aantal", _ROUTES),
    "afschaling_a2_pct": ("aandeel", ()),
    "ontzorgen_gestart_pct": ("aandeel", ()),
    "ontzorgen_verlengd_pct": ("aandeel", ()),
    "map_binnen_termijn_pct": ("aandeel", ()),
    "pvt_binnen_termijn_pct": ("aandeel", ()),
    "examen_eerste_poging_pct": ("aandeel", _ONDERDELEN),
    "diploma_b1_pct": ("aandeel", ("12", "24", "36")),
    "termijn_verstreken_pct": ("aandeel", ()),
    "activiteit_deelname_pct": ("aandeel", ()),
    "duaal_pct": ("aandeel", ()),
    "z_route_uren_pct": ("aandeel", ("taal", "participatie")),
    "ontheffingen": ("aantal", ("medisch", "aantoonbare_inspanning", "overig", "onbekend")),
    "instroom_per_1000_inwoners": ("per_1000", ()),
}

REGISTRY_FILE = Path(__file__).resolve().parents[1] / "indicators" / "definitions.yaml"


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    soort: str                       # aandeel | aantal | mediaan | per_1000
    categorieen: tuple[str, ...]     # empty: the indicator has no categorie (rows carry NULL)


def _registry_entries() -> list[dict]:
    """Entries of the indicator registry, or [] when it cannot be read (never fatal for goals)."""
    try:
        entries = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    return [e for e in entries or [] if isinstance(e, dict) and isinstance(e.get("id"), str)]


@lru_cache(maxsize=1)
def known_indicators() -> dict[str, IndicatorInfo]:
    """Every indicator id a goal may name: this module's catalogue merged with the registry."""
    out = {i: IndicatorInfo(i, soort, cats) for i, (soort, cats) in _CATALOG.items()}
    for entry in _registry_entries():
        soort = entry.get("soort") if entry.get("soort") in SOORTEN else None
        cats = tuple(str(c) for c in entry.get("categorieen") or ())
        known = out.get(entry["id"])
        if known is None:
            out[entry["id"]] = IndicatorInfo(entry["id"], soort or "aandeel", cats)
        elif cats and set(cats) - set(known.categorieen):
            out[entry["id"]] = IndicatorInfo(known.id, known.soort,
                                             known.categorieen + tuple(c for c in cats if c not in known.categorieen))
    return out


def catalog_ids() -> tuple[str, ...]:
    """The ids of this module's own catalogue (the ones docs/indicators.md defines)."""
    return tuple(_CATALOG)
