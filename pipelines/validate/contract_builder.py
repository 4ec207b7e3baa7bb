"""Build the Great Expectations suites (data_contracts/suites/*.json) from the canonical layout v1.

The JSON suites are the contract the pipeline runs; this module is how they are written, so that the
rules of docs/export-format.md live in one place. Run `python -m pipelines.validate.contract_builder`
after changing the layout; a unit test fails when the committed JSON and this builder disagree.

Each suite's `meta.columns` holds the column schema (type, required, codes) the reader uses to type
values. Each expectation's `meta` says its level (`bestand` rejects the file, `rij` quarantines the
row), the rule and a Dutch reason shown to the user. Typed twins of columns are named `<col>__t`
(dates as days since 1970-01-01, numbers as floats), `peiljaar__t` is the year of the row's peildatum
and `bron__bestand` numbers the files validated together; all are made by `pipelines.validate.contract`.
"""
from __future__ import annotations

import json
from pathlib import Path

import pycountry

from pipelines.settings import SUITES_DIR

VERSION = 1
LEERROUTES = ["B1", "ONDERWIJS", "Z"]
STATUS = ["lopend", "voldaan", "niet_voldaan", "vrijgesteld"]
JA_NEE = ["ja", "nee"]
COUNTRIES = sorted(c.alpha_2 for c in pycountry.countries)

KEY = {"peildatum": {"type": "date", "required": True},
       "gemeente_code": {"type": "gemeente_code", "required": True},
       "client_id": {"type": "text", "required": True, "max_length": 64}}

SCHEMA: dict[str, dict] = {
    "personen": {
        "columns": {
            **KEY,
            "bsn": {"type": "bsn"},
            "doelgroep": {"type": "code", "required": True, "codes": ["asiel", "gezin", "overig"]},
            "nareiziger": {"type": "code", "codes": JA_NEE},
            "geslacht": {"type": "code", "codes": ["M", "V", "X"]},
            "geboortejaar": {"type": "integer", "min": 1900, "max_is_peiljaar": True},
            "herkomstland": {"type": "code", "codes": COUNTRIES},
            "datum_plicht": {"type": "date", "required": True},
            "datum_koppeling": {"type": "date"},
            "datum_huisvesting": {"type": "date"},
            "datum_inschrijving_brp": {"type": "date"},
            "datum_welkomgesprek": {"type": "date"},
            "datum_start_brede_intake": {"type": "date"},
            "datum_leerbaarheidstoets": {"type": "date"},
            "datum_pip_initieel": {"type": "date"},
            "datum_pip_actueel": {"type": "date"},
            "leerroute_initieel": {"type": "code", "codes": LEERROUTES,
                                   "required_when": ["datum_pip_initieel", None]},
            "leerroute_actueel": {"type": "code", "codes": LEERROUTES},
            "datum_wijziging_leerroute": {"type": "date"},
            "afschaling_a2": {"type": "code", "codes": JA_NEE},
            "datum_einde_termijn": {"type": "date", "future_allowed": True},
            "bijstand": {"type": "code", "codes": JA_NEE},
            "datum_start_ontzorgen": {"type": "date"},
            "datum_einde_ontzorgen": {"type": "date", "future_allowed": True},
            "map_status": {"type": "code", "codes": STATUS},
            "datum_map_afgerond": {"type": "date"},
            "pvt_status": {"type": "code", "codes": STATUS},
            "datum_pvt_afgerond": {"type": "date"},
            "datum_voldaan": {"type": "date"},
            "datum_ontheffing": {"type": "date"},
            "reden_ontheffing": {"type": "code", "codes": ["medisch", "aantoonbare_inspanning", "overig"]},
            "datum_boete": {"type": "date"},
            "datum_uitstroom": {"type": "date"},
            "reden_uitstroom": {"type": "code", "codes": ["verhuisd", "vertrokken", "overleden", "overig"]},
        },
        # (later, earlier, reason): later must be on or after earlier when both are known
        "order": [
            ("datum_huisvesting", "datum_koppeling", "datum_huisvesting ligt vóór datum_koppeling"),
            ("datum_pip_actueel", "datum_pip_initieel", "datum_pip_actueel ligt vóór datum_pip_initieel"),
            ("datum_pip_initieel", "datum_plicht", "datum_pip_initieel ligt vóór datum_plicht (PIP vóór de plicht)"),
            ("datum_einde_ontzorgen", "datum_start_ontzorgen", "datum_einde_ontzorgen ligt vóór datum_start_ontzorgen"),
        ],
        "unique": ["gemeente_code", "client_id"],
    },
    "examens": {
        "columns": {
            **KEY,
            "onderdeel": {"type": "code", "required": True,
                          "codes": ["lezen", "luisteren", "schrijven", "spreken", "knm"]},
            "niveau": {"type": "code", "codes": ["A1", "A2", "B1", "B2"],
                       "required_when": ["onderdeel", ["lezen", "luisteren", "schrijven", "spreken"]]},
            "datum_examen": {"type": "date", "required": True},
            "resultaat": {"type": "code", "required": True, "codes": ["geslaagd", "gezakt", "niet_verschenen"]},
            "poging": {"type": "integer", "min": 1},
        },
    },
    "activiteiten": {
        "columns": {
            **KEY,
            "soort": {"type": "code", "required": True,
                      "codes": ["vrijwilligerswerk", "betaald_werk", "stage", "werkervaringsplek", "opleiding",
                                "taalmaatje"]},
            "datum_start": {"type": "date", "required": True},
            "datum_einde": {"type": "date", "future_allowed": True},
            "uren_per_week": {"type": "decimal", "min": 0},
        },
        "order": [("datum_einde", "datum_start", "datum_einde ligt vóór datum_start")],
    },
    "gesprekken": {
        "columns": {
            **KEY,
            "datum_gesprek": {"type": "date", "required": True},
            "soort": {"type": "code", "required": True,
                      "codes": ["welkom", "intake", "voortgang", "eind", "ontzorgen"]},
        },
    },
    "uren": {
        "columns": {
            **KEY,
            "maand": {"type": "month", "required": True},
            "uren_taal": {"type": "decimal", "min": 0},
            "uren_participatie": {"type": "decimal", "min": 0},
        },
    },
}

TYPE_WORDS = {"date": "geen geldige datum (JJJJ-MM-DD)", "integer": "geen geheel getal",
              "decimal": "geen geldig getal", "month": "geen geldige maand (JJJJ-MM)"}


def _range_reason(name: str, c: dict) -> str:
    if c.get("max_is_peiljaar"):
        return f"{name}: buiten het toegestane bereik ({c['min']} t/m het jaar van de peildatum)"
    return f"{name}: kleiner dan {c['min']}"


def _not_null(column: str) -> dict:
    """A GX row condition (JSON form of Column(column).is_not_null())."""
    return {"column": {"name": column}, "is_null": False, "type": "nullity"}


def _exp(type_: str, kwargs: dict, level: str, rule: str, column: str, reason: str) -> dict:
    return {"type": type_, "kwargs": kwargs,
            "meta": {"niveau": level, "regel": rule, "kolom": column, "reden": reason}}


def build_suite(file_type: str) -> dict:
    """Return the GX suite (as a JSON-ready dict) for one file type."""
    spec = SCHEMA[file_type]
    cols = spec["columns"]
    exps: list[dict] = [
        _exp("expect_table_row_count_to_be_between", {"min_value": 1}, "bestand", "leeg_bestand", "",
             "het bestand bevat geen gegevensrijen"),
    ]
    for name, c in cols.items():
        if c.get("required"):
            exps.append(_exp("expect_column_to_exist", {"column": name}, "bestand", "kolom_ontbreekt", name,
                             f"verplichte kolom '{name}' ontbreekt"))
    exps += [
        _exp("expect_column_unique_value_count_to_be_between", {"column": "peildatum", "max_value": 1},
             "bestand", "meerdere_peildata", "peildatum", "het bestand heeft meer dan één peildatum"),
        _exp("expect_column_max_to_be_between", {"column": "peildatum__t", "max_value": {"$PARAMETER": "vandaag"}},
             "bestand", "peildatum_in_toekomst", "peildatum", "de peildatum ligt in de toekomst"),
    ]
    for name, c in cols.items():
        t = c["type"]
        if c.get("required"):
            exps.append(_exp("expect_column_values_to_not_be_null", {"column": name}, "rij", "verplicht", name,
                             f"{name}: verplichte waarde ontbreekt"))
        if "required_when" in c:
            other, values = c["required_when"]
            cond = (_not_null(other) if values is None
                    else {"column": {"name": other}, "operator": "IN", "parameter": values, "type": "comparison"})
            when = f"{other} is ingevuld" if values is None else f"{other} is {', '.join(values)}"
            exps.append(_exp("expect_column_values_to_not_be_null",
                             {"column": name, "row_condition": cond},
                             "rij", "verplicht", name, f"{name}: verplicht als {when}"))
        if t == "code":
            shown = ", ".join(c["codes"]) if len(c["codes"]) <= 10 else "ISO 3166-1 alpha-2"
            exps.append(_exp("expect_column_values_to_be_in_set", {"column": name, "value_set": c["codes"]},
                             "rij", "code", name, f"{name}: waarde niet in de codelijst ({shown})"))
        elif t == "gemeente_code":
            exps.append(_exp("expect_column_values_to_match_regex", {"column": name, "regex": r"^GM\d{4}$"},
                             "rij", "formaat", name, f"{name}: geen gemeentecode (GM + 4 cijfers)"))
        elif t == "text":
            exps.append(_exp("expect_column_value_lengths_to_be_between",
                             {"column": name, "min_value": 1, "max_value": c["max_length"]},
                             "rij", "formaat", name, f"{name}: langer dan {c['max_length']} tekens"))
        elif t == "bsn":
            exps.append(_exp("expect_column_values_to_be_in_set", {"column": "bsn__geldig", "value_set": [True]},
                             "rij", "elfproef", name, "bsn: geen geldig BSN (9 cijfers, elfproef)"))
        elif t in TYPE_WORDS:
            # the typed twin is empty where the text could not be read: that is a malformed value
            exps.append(_exp("expect_column_values_to_not_be_null",
                             {"column": f"{name}__t", "row_condition": _not_null(name)},
                             "rij", "formaat", name, f"{name}: {TYPE_WORDS[t]}"))
            bounds = {}
            if "min" in c:
                bounds["min_value"] = c["min"]
            if bounds:
                exps.append(_exp("expect_column_values_to_be_between", {"column": f"{name}__t", **bounds},
                                 "rij", "bereik", name, _range_reason(name, c)))
            if c.get("max_is_peiljaar"):
                exps.append(_exp("expect_column_pair_values_a_to_be_greater_than_b",
                                 {"column_A": "peiljaar__t", "column_B": f"{name}__t", "or_equal": True,
                                  "ignore_row_if": "either_value_is_missing"},
                                 "rij", "bereik", name, _range_reason(name, c)))
            if t in ("date", "month") and name != "peildatum" and not c.get("future_allowed"):
                # per row against the row's own peildatum, so files with other peildata validate together
                exps.append(_exp("expect_column_pair_values_a_to_be_greater_than_b",
                                 {"column_A": "peildatum__t", "column_B": f"{name}__t", "or_equal": True,
                                  "ignore_row_if": "either_value_is_missing"},
                                 "rij", "na_peildatum", name, f"{name}: ligt na de peildatum"))
    for later, earlier, reason in spec.get("order", []):
        exps.append(_exp("expect_column_pair_values_a_to_be_greater_than_b",
                         {"column_A": f"{later}__t", "column_B": f"{earlier}__t", "or_equal": True,
                          "ignore_row_if": "either_value_is_missing"},
                         "rij", "volgorde", later, reason))
    if "unique" in spec:
        exps.append(_exp("expect_compound_columns_to_be_unique", {"column_list": ["bron__bestand", *spec["unique"]]},
                         "rij", "dubbele_sleutel", "client_id",
                         "dubbele sleutel (gemeente_code, client_id): alle exemplaren in quarantaine"))
    if file_type != "personen":
        exps.append(_exp("expect_column_values_to_be_in_set", {"column": "persoon__bekend", "value_set": [True]},
                         "rij", "onbekende_persoon", "client_id",
                         "client_id: persoon komt niet voor in personen van deze gemeente"))
    return {
        "name": f"inburgering_{file_type}_v{VERSION}",
        "expectations": exps,
        "meta": {"file_type": file_type, "layout_version": VERSION,
                 "source": "docs/export-format.md (canonical case export v1)",
                 "columns": cols, "unique": spec.get("unique", [])},
    }


def write_suites(folder: Path = SUITES_DIR) -> list[Path]:
    """Write one suite JSON per file type; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file_type in SCHEMA:
        path = folder / f"{file_type}.json"
        path.write_text(json.dumps(build_suite(file_type), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_suites():
        print(p)
