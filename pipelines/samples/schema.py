"""The canonical export layout v1 as the generator writes it (column order, code sets, types)."""
from __future__ import annotations

PERSONEN_COLUMNS = (
    "peildatum", "gemeente_code", "client_id", "bsn", "doelgroep", "nareiziger", "geslacht",
    "geboortejaar", "herkomstland", "datum_plicht", "datum_koppeling", "datum_huisvesting",
    "datum_inschrijving_brp", "datum_welkomgesprek", "datum_start_brede_intake",
    "datum_leerbaarheidstoets", "datum_pip_initieel", "datum_pip_actueel", "leerroute_initieel",
    "leerroute_actueel", "datum_wijziging_leerroute", "afschaling_a2", "datum_einde_termijn",
    "bijstand", "datum_start_ontzorgen", "datum_einde_ontzorgen", "map_status",
    "datum_map_afgerond", "pvt_status", "datum_pvt_afgerond", "datum_voldaan", "datum_ontheffing",
    "reden_ontheffing", "datum_boete", "datum_uitstroom", "reden_uitstroom",
)
KEY_COLUMNS = ("peildatum", "gemeente_code", "client_id")

COLUMNS: dict[str, tuple[str, ...]] = {
    "personen": PERSONEN_COLUMNS,
    "examens": KEY_COLUMNS + ("onderdeel", "niveau", "datum_examen", "resultaat", "poging"),
    "activiteiten": KEY_COLUMNS + ("soort", "datum_start", "datum_einde", "uren_per_week"),
    "gesprekken": KEY_COLUMNS + ("datum_gesprek", "soort"),
    "uren": KEY_COLUMNS + ("maand", "uren_taal", "uren_participatie"),
}
FILE_TYPES = tuple(COLUMNS)

REQUIRED: dict[str, tuple[str, ...]] = {
    "personen": KEY_COLUMNS + ("doelgroep", "datum_plicht"),
    "examens": KEY_COLUMNS + ("onderdeel", "datum_examen", "resultaat"),
    "activiteiten": KEY_COLUMNS + ("soort", "datum_start"),
    "gesprekken": KEY_COLUMNS + ("datum_gesprek", "soort"),
    "uren": KEY_COLUMNS + ("maand",),
}

DOELGROEPEN = ("asiel", "gezin", "overig")
GESLACHTEN = ("M", "V", "X")
LEERROUTES = ("B1", "ONDERWIJS", "Z")
MAP_PVT_STATUSES = ("lopend", "voldaan", "niet_voldaan", "vrijgesteld")
REDENEN_ONTHEFFING = ("medisch", "aantoonbare_inspanning", "overig")
REDENEN_UITSTROOM = ("verhuisd", "vertrokken", "overleden", "overig")
ONDERDELEN = ("lezen", "luisteren", "schrijven", "spreken", "knm")
NIVEAUS = ("A1", "A2", "B1", "B2")
RESULTATEN = ("geslaagd", "gezakt", "niet_verschenen")
ACTIVITEIT_SOORTEN = ("vrijwilligerswerk", "betaald_werk", "stage", "werkervaringsplek", "opleiding", "taalmaatje")
GESPREK_SOORTEN = ("welkom", "intake", "voortgang", "eind", "ontzorgen")
BOOLEANS = ("ja", "nee")

# (file type, column) -> allowed codes
CODE_SETS: dict[tuple[str, str], tuple[str, ...]] = {
    ("personen", "doelgroep"): DOELGROEPEN,
    ("personen", "geslacht"): GESLACHTEN,
    ("personen", "leerroute_initieel"): LEERROUTES,
    ("personen", "leerroute_actueel"): LEERROUTES,
    ("personen", "map_status"): MAP_PVT_STATUSES,
    ("personen", "pvt_status"): MAP_PVT_STATUSES,
    ("personen", "reden_ontheffing"): REDENEN_ONTHEFFING,
    ("personen", "reden_uitstroom"): REDENEN_UITSTROOM,
    ("personen", "nareiziger"): BOOLEANS,
    ("personen", "afschaling_a2"): BOOLEANS,
    ("personen", "bijstand"): BOOLEANS,
    ("examens", "onderdeel"): ONDERDELEN,
    ("examens", "niveau"): NIVEAUS,
    ("examens", "resultaat"): RESULTATEN,
    ("activiteiten", "soort"): ACTIVITEIT_SOORTEN,
    ("gesprekken", "soort"): GESPREK_SOORTEN,
}

BOOLEAN_COLUMNS: dict[str, tuple[str, ...]] = {"personen": ("nareiziger", "afschaling_a2", "bijstand")}

DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "personen": ("peildatum",) + tuple(c for c in PERSONEN_COLUMNS if c.startswith("datum_")),
    "examens": ("peildatum", "datum_examen"),
    "activiteiten": ("peildatum", "datum_start", "datum_einde"),
    "gesprekken": ("peildatum", "datum_gesprek"),
    "uren": ("peildatum",),
}
# Planned end dates: the only dates that may lie after the peildatum.
FUTURE_ALLOWED: dict[str, tuple[str, ...]] = {
    "personen": ("datum_einde_termijn", "datum_einde_ontzorgen"),
    "activiteiten": ("datum_einde",),
}
INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {"personen": ("geboortejaar",), "examens": ("poging",)}
DECIMAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "activiteiten": ("uren_per_week",),
    "uren": ("uren_taal", "uren_participatie"),
}
