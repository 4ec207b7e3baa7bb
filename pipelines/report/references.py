"""National reference figures ("landelijk") shown next to the gemeente's own, each with its source.

Only figures that national statistics publish are used (the project's domain notes, §3). They are for
other periods than the report's quarter, so the report shows them in a separate table, next to the
gemeente's figure for the closest comparable period, and says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.report.text import Cijfer


@dataclass(frozen=True)
class Referentie:
    indicator: str
    doelgroep: str
    omschrijving: str        # what the national figure is
    waarde: float            # percent
    bron: str
    gemeente_periode: str    # the gemeente's period shown next to it
    gemeente_omschrijving: str


REFERENTIES: tuple[Referentie, ...] = (
    Referentie("pip_binnen_10_weken_pct", "alle",
               "PIP binnen 10 weken, inburgeraars met instroom in maart 2022", 12.0,
               "Ministerie van SZW, monitor Wet inburgering 2021", "2022-Q1", "eerste kwartaal 2022"),
    Referentie("pip_binnen_10_weken_pct", "alle",
               "PIP binnen 10 weken, inburgeraars met instroom in januari 2023", 37.0,
               "Ministerie van SZW, monitor Wet inburgering 2021", "2023-Q1", "eerste kwartaal 2023"),
    Referentie("brede_intake_gestart_pct", "asiel",
               "Brede intake gestart eind 2022, asielstatushouders cohort 2022", 35.0,
               "CBS, Statistiek Wet inburgering (SWI)", "2022", "cohort 2022, stand eind 2022"),
    Referentie("brede_intake_gestart_pct", "asiel",
               "Brede intake gestart eind 2023, asielstatushouders cohort 2023", 45.0,
               "CBS, Statistiek Wet inburgering (SWI)", "2023", "cohort 2023, stand eind 2023"),
)
GEMEENTE_PERIODEN = tuple(sorted({r.gemeente_periode for r in REFERENTIES}))


def landelijk(reeks: pd.DataFrame) -> list[dict]:
    """The national references with the gemeente's published figure for the comparable period."""
    from pipelines.report.data import cijfer_uit

    out = []
    for r in REFERENTIES:
        c: Cijfer = cijfer_uit(reeks, r.indicator, r.gemeente_periode, r.doelgroep, None)
        out.append({"indicator": r.indicator, "omschrijving": r.omschrijving, "landelijk": r.waarde, "bron": r.bron,
                    "gemeente_periode": r.gemeente_omschrijving, "gemeente": c})
    return out
