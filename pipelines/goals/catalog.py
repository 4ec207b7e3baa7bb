"""The indicators a policy goal may refer to: id -> kind (soort) and categories, from the indicator
registry (pipelines/indicators/definitions.yaml), the single list of indicators."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipelines.indicators.engine import registry

# soort: aandeel (share, %), aantal (count), mediaan (median), per_1000 (rate per 1,000 inhabitants)
SOORTEN = ("aandeel", "aantal", "mediaan", "per_1000")


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    soort: str                       # aandeel | aantal | mediaan | per_1000
    categorieen: tuple[str, ...]     # empty: the indicator has no categorie (rows carry NULL)


@lru_cache(maxsize=1)
def known_indicators() -> dict[str, IndicatorInfo]:
    """Every indicator id a goal may name, with its kind and categories."""
    return {e["id"]: IndicatorInfo(e["id"], e["soort"], tuple(str(c) for c in e["categorieen"]))
            for e in registry()}


def catalog_ids() -> tuple[str, ...]:
    """The ids of the registered indicators."""
    return tuple(known_indicators())
