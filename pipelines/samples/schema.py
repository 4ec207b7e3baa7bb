"""The canonical export layout v1 as the generator writes it, derived from the one layout definition
(`pipelines.validate.contract_builder.SCHEMA`, from which the GX suites are built)."""
from __future__ import annotations

from pipelines.validate.contract_builder import SCHEMA

COLUMNS: dict[str, tuple[str, ...]] = {t: tuple(spec["columns"]) for t, spec in SCHEMA.items()}
FILE_TYPES = tuple(COLUMNS)
KEY_COLUMNS = ("peildatum", "gemeente_code", "client_id")
PERSONEN_COLUMNS = COLUMNS["personen"]

REQUIRED: dict[str, tuple[str, ...]] = {
    t: tuple(c for c, s in spec["columns"].items() if s.get("required")) for t, spec in SCHEMA.items()}


def _kind(file_type: str, kind: str) -> tuple[str, ...]:
    return tuple(c for c, s in SCHEMA[file_type]["columns"].items() if s["type"] == kind)


def _codes(file_type: str, column: str) -> tuple[str, ...]:
    return tuple(SCHEMA[file_type]["columns"][column]["codes"])


BOOLEANS = ("ja", "nee")
# (file type, column) -> allowed codes, in the order the layout lists them
CODE_SETS: dict[tuple[str, str], tuple[str, ...]] = {
    (t, c): tuple(s["codes"]) for t, spec in SCHEMA.items() for c, s in spec["columns"].items()
    if s["type"] == "code" and c != "herkomstland"}
BOOLEAN_COLUMNS: dict[str, tuple[str, ...]] = {
    t: cols for t in SCHEMA if (cols := tuple(c for (ft, c), v in CODE_SETS.items() if ft == t and v == BOOLEANS))}

DOELGROEPEN = _codes("personen", "doelgroep")
GESLACHTEN = _codes("personen", "geslacht")
LEERROUTES = _codes("personen", "leerroute_initieel")
MAP_PVT_STATUSES = _codes("personen", "map_status")
REDENEN_ONTHEFFING = _codes("personen", "reden_ontheffing")
REDENEN_UITSTROOM = _codes("personen", "reden_uitstroom")
ONDERDELEN = _codes("examens", "onderdeel")
NIVEAUS = _codes("examens", "niveau")
RESULTATEN = _codes("examens", "resultaat")
ACTIVITEIT_SOORTEN = _codes("activiteiten", "soort")
GESPREK_SOORTEN = _codes("gesprekken", "soort")

DATE_COLUMNS: dict[str, tuple[str, ...]] = {t: _kind(t, "date") for t in SCHEMA}
# Planned end dates: the only dates that may lie after the peildatum.
FUTURE_ALLOWED: dict[str, tuple[str, ...]] = {
    t: cols for t, spec in SCHEMA.items()
    if (cols := tuple(c for c, s in spec["columns"].items() if s.get("future_allowed")))}
INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {t: cols for t in SCHEMA if (cols := _kind(t, "integer"))}
DECIMAL_COLUMNS: dict[str, tuple[str, ...]] = {t: cols for t in SCHEMA if (cols := _kind(t, "decimal"))}
