"""Person characteristics an indicator can be split by: geslacht and leeftijdsklasse.

The indicators marked `kenmerken: true` in definitions.yaml are computed a second time per gemeente x
characteristic value (table mart_indicatoren_kenmerken), with the same SQL and the same aggregation as the
main figures; their case SQL returns the person's `persoon_id`, which links each case to the values below.
The values of one characteristic cover every person (there is an 'onbekend' value), so they add up to the
figure without split; the small-number protection relies on that (suppression.suppress_uitsplitsing).

Decisions (docs/indicators.md, "Uitsplitsing naar geslacht en leeftijd"):
- geslacht: M = man, V = vrouw; X and an empty value together as 'x_onbekend' (X alone is too rare to
  publish anywhere);
- leeftijd: age at the start of the plicht = year(datum_plicht) - geboortejaar (the export carries the
  birth year only, so the age can be one year too high), in bands; no geboortejaar or datum_plicht:
  'onbekend'.
"""
from __future__ import annotations

# kenmerk -> ((value, Dutch label), ...) in display order
KENMERKEN: dict[str, tuple[tuple[str, str], ...]] = {
    "geslacht": (("man", "Mannen"), ("vrouw", "Vrouwen"), ("x_onbekend", "Geslacht X of onbekend")),
    "leeftijd": (("tot-25", "Jonger dan 25 jaar"), ("25-34", "25 tot 35 jaar"), ("35-44", "35 tot 45 jaar"),
                 ("45-plus", "45 jaar en ouder"), ("onbekend", "Leeftijd onbekend")),
}
KENMERK_NAMEN = {"geslacht": "Geslacht", "leeftijd": "Leeftijd bij de start van de inburgeringsplicht"}

# One row per person and characteristic: (persoon_id, kenmerk, kenmerk_waarde).
PERSONEN_SQL = """
SELECT persoon_id, 'geslacht' AS kenmerk,
       CASE geslacht WHEN 'M' THEN 'man' WHEN 'V' THEN 'vrouw' ELSE 'x_onbekend' END AS kenmerk_waarde
FROM mart_personen
UNION ALL
SELECT persoon_id, 'leeftijd',
       CASE WHEN leeftijd_bij_plicht IS NULL THEN 'onbekend'
            WHEN leeftijd_bij_plicht < 25 THEN 'tot-25'
            WHEN leeftijd_bij_plicht < 35 THEN '25-34'
            WHEN leeftijd_bij_plicht < 45 THEN '35-44'
            ELSE '45-plus' END
FROM mart_personen
"""


def label(kenmerk: str, waarde: str) -> str:
    """The Dutch label of a characteristic value ('vrouw' -> 'Vrouwen')."""
    return dict(KENMERKEN[kenmerk])[waarde]


def waarden(kenmerk: str) -> tuple[str, ...]:
    """The values of a characteristic, in display order."""
    return tuple(v for v, _ in KENMERKEN[kenmerk])
