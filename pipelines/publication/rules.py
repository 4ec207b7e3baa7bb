"""Small-number protection: the limits, the markers and the text that explains them, in one place.

The limits decide which cells are hidden first (primary suppression, `pipelines.publication.protection`);
the markers follow CBS StatLine's conventions (verklaring van tekens): `x` = geheim, `.` = gegevens
ontbreken. A hidden cell is always `x`, whether it is small itself or hidden to protect another cell: the
marker never tells which cells are small.
"""
from __future__ import annotations

# A count of 1 to MIN_COUNT - 1 persons is hidden; a share or a median over fewer than MIN_NOEMER cases too.
MIN_COUNT = 5
MIN_NOEMER = 10

GEHEIM = "x"          # CBS: geheim (hidden: too few persons, or hidden to protect another cell)
GEEN_CIJFER = "."     # CBS: gegevens ontbreken (no figure: no cases, or not measured)

GEHEIM_UITLEG = ("geheim: te weinig personen, of verborgen zodat een ander verborgen cijfer niet is terug "
                 "te rekenen")
GEEN_CIJFER_UITLEG = "geen cijfer: er zijn geen gevallen, of het is (nog) niet te meten"

# The rule in one sentence, for pages, the report, Excel and the MSD export.
REGEL = (f"Aantallen van 1 tot en met {MIN_COUNT - 1} personen en percentages en medianen over minder dan "
         f"{MIN_NOEMER} personen worden niet getoond, en ook cijfers waaruit die terug te rekenen zijn.")

# The legend: (marker, explanation) in the order shown.
LEGENDA: tuple[tuple[str, str], ...] = ((GEHEIM, GEHEIM_UITLEG), (GEEN_CIJFER, GEEN_CIJFER_UITLEG))


def legenda_tekst() -> str:
    """The legend as one line of text: 'x = geheim: ...; . = geen cijfer: ...'."""
    return "; ".join(f"{marker} = {uitleg}" for marker, uitleg in LEGENDA) + "."
