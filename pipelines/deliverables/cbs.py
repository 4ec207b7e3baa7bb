"""The quarterly person-level delivery to CBS (Statistiek Wet inburgering, SWI).

`build_delivery(warehouse, gemeente_code, kwartaal, out_path)` writes one XML file for one gemeente and
quarter, validated against the XSD in data_contracts/cbs/ before it is written, plus a check report
(`<name>.controle.csv`) and a manifest (`<name>.levering.json`) that the next delivery compares with.

This module is the ONLY place in the project that decrypts a BSN, and only with the BSN key held outside
the warehouse (`INBURGERING_BSN_KEY` or `bsn.key` in the key folder). Without that key, or with a key that
fails AES-GCM authentication, the delivery is refused and nothing is written. A BSN never appears in the
check report, the manifest, an error message or a log line; persons are identified there by client_id
and by their keyed pseudonym.

Conventions (docs/deliverables.md): Wi2021 persons only; delivered from the quarter of their
instroomdatum (asiel: koppeling; others: inschrijving BRP, else plicht) up to and including the quarter
in which they leave; a person without BSN is held back; items that do not apply or are not yet known at
the end of the quarter are left out (no empty elements).
"""
from __future__ import annotations

import binascii
import csv
import hashlib
import json
import logging
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from cryptography.exceptions import InvalidTag

from pipelines.load.keyguard import check_key
from pipelines.privacy.bsn import decrypt, elfproef, scrub
from pipelines.privacy.keys import BSN_KEY, KeyError_, get_key, key_file
from pipelines.settings import CONTRACTS_DIR, DOELGROEPEN

log = logging.getLogger(__name__)

CBS_SCHEMA_DIR = CONTRACTS_DIR / "cbs"
PROJECT_XSD = "swi_levering_v1.xsd"
OFFICIAL_XSD = "cbs_swi.xsd"
NAMESPACE = "urn:inburgering-monitor:cbs:swi-levering:v1"
PROGRAMMA = "inburgering-monitor (SWI-levering v1)"
MANIFEST_SUFFIX = ".levering.json"
KWARTAAL_RE = re.compile(r"^(20\d{2})-Q([1-4])$")
GEMEENTE_RE = re.compile(r"^GM\d{4}$")


class DeliveryError(RuntimeError):
    """The delivery cannot be made; the message is Dutch and never holds a BSN."""


@dataclass
class DeliveryReport:
    """What was delivered, held back, missing and changed; written next to the XML and printed."""

    gemeente_code: str
    kwartaal: str
    peildatum: date
    out_path: Path
    report_path: Path
    manifest_path: Path
    xsd_path: Path
    delivered: dict[str, int] = field(default_factory=dict)
    held_back: dict[str, int] = field(default_factory=dict)
    held_back_ids: list[tuple[str, str]] = field(default_factory=list)    # (doelgroep, client_id)
    missing: list[tuple[str, str, str, int]] = field(default_factory=list)  # doelgroep, leerroute, item, n
    previous: str | None = None
    changes: dict[str, dict[str, int]] = field(default_factory=dict)      # nieuw/gewijzigd/vervallen -> doelgroep -> n
    changed_items: dict[str, int] = field(default_factory=dict)
    n_exams: int = 0
    n_activities: int = 0

    @property
    def n_delivered(self) -> int:
        return sum(self.delivered.values())

    @property
    def n_held_back(self) -> int:
        return sum(self.held_back.values())

    def rows(self) -> list[dict]:
        """The check report as tidy rows: sectie, doelgroep, leerroute, item, aantal, toelichting."""
        out = [{"sectie": "levering", "doelgroep": "", "leerroute": "", "item": "bestand", "aantal": "",
                "toelichting": self.out_path.name},
               {"sectie": "levering", "doelgroep": "", "leerroute": "", "item": "xsd", "aantal": "",
                "toelichting": self.xsd_path.name},
               {"sectie": "levering", "doelgroep": "", "leerroute": "", "item": "peildatum", "aantal": "",
                "toelichting": self.peildatum.isoformat()},
               {"sectie": "levering", "doelgroep": "", "leerroute": "", "item": "examens", "aantal": self.n_exams,
                "toelichting": "examenpogingen in het kwartaal"},
               {"sectie": "levering", "doelgroep": "", "leerroute": "", "item": "activiteiten",
                "aantal": self.n_activities, "toelichting": "activiteiten die in het kwartaal liepen"}]
        for dg in (*DOELGROEPEN, "alle"):
            n = self.n_delivered if dg == "alle" else self.delivered.get(dg, 0)
            out.append({"sectie": "geleverd", "doelgroep": dg, "leerroute": "", "item": "personen", "aantal": n,
                        "toelichting": ""})
        for dg in (*DOELGROEPEN, "alle"):
            n = self.n_held_back if dg == "alle" else self.held_back.get(dg, 0)
            out.append({"sectie": "achtergehouden", "doelgroep": dg, "leerroute": "", "item": "bsn_ontbreekt",
                        "aantal": n, "toelichting": ""})
        for dg, client_id in self.held_back_ids:
            out.append({"sectie": "achtergehouden_persoon", "doelgroep": dg, "leerroute": "", "item": "bsn_ontbreekt",
                        "aantal": 1, "toelichting": f"client_id {client_id}"})
        for dg, route, item, n in self.missing:
            out.append({"sectie": "ontbrekend", "doelgroep": dg, "leerroute": route, "item": item, "aantal": n,
                        "toelichting": MISSING_RULES[item][0]})
        out.append({"sectie": "wijziging", "doelgroep": "", "leerroute": "", "item": "vorige_levering", "aantal": "",
                    "toelichting": self.previous or "geen vorige levering gevonden"})
        for kind in ("nieuw", "gewijzigd", "vervallen"):
            per = self.changes.get(kind, {})
            for dg in (*DOELGROEPEN, "alle"):
                n = sum(per.values()) if dg == "alle" else per.get(dg, 0)
                out.append({"sectie": "wijziging", "doelgroep": dg, "leerroute": "", "item": kind, "aantal": n,
                            "toelichting": ""})
        for item, n in sorted(self.changed_items.items()):
            out.append({"sectie": "gewijzigd_item", "doelgroep": "alle", "leerroute": "", "item": item, "aantal": n,
                        "toelichting": ""})
        return out

    def text(self) -> str:
        """A short Dutch summary for the screen."""
        lines = [f"CBS-levering {self.gemeente_code} {self.kwartaal} (peildatum {self.peildatum}): {self.out_path}",
                 f"  gevalideerd tegen {self.xsd_path.name}",
                 "  geleverd: " + ", ".join(f"{dg} {self.delivered.get(dg, 0)}" for dg in DOELGROEPEN)
                 + f" (totaal {self.n_delivered})",
                 "  achtergehouden zonder BSN: " + ", ".join(f"{dg} {self.held_back.get(dg, 0)}" for dg in DOELGROEPEN)
                 + f" (totaal {self.n_held_back})"]
        if self.held_back_ids:
            lines.append("    client_id: " + ", ".join(c for _, c in self.held_back_ids))
        if self.missing:
            lines.append("  ontbrekende gegevens (doelgroep / leerroute / item: aantal):")
            lines += [f"    {dg} / {route} / {item}: {n}" for dg, route, item, n in self.missing]
        else:
            lines.append("  ontbrekende gegevens: geen")
        if self.previous:
            c = {k: sum(v.values()) for k, v in self.changes.items()}
            lines.append(f"  sinds {self.previous}: {c.get('nieuw', 0)} nieuw, {c.get('gewijzigd', 0)} gewijzigd, "
                         f"{c.get('vervallen', 0)} vervallen")
        else:
            lines.append("  geen vorige levering gevonden: alle personen zijn nieuw")
        lines.append(f"  controlerapport: {self.report_path}")
        return "\n".join(lines)


# item -> (explanation, predicate over the delivered items `p` and the source row `r`)
MISSING_RULES = {
    "geslacht": ("geslacht onbekend", lambda p, r: "Geslacht" not in p),
    "geboortejaar": ("geboortejaar onbekend", lambda p, r: "Geboortejaar" not in p),
    "datum_koppeling": ("asiel zonder datum koppeling",
                        lambda p, r: r["doelgroep"] == "asiel" and "DatumKoppeling" not in p),
    "datum_inschrijving_brp": ("geen datum inschrijving BRP (asiel: terwijl de huisvesting bekend is)",
                               lambda p, r: "DatumInschrijvingBRP" not in p
                               and (r["doelgroep"] != "asiel" or "DatumHuisvesting" in p)),
    "pip_initieel": ("geen PIP terwijl de inschrijving BRP meer dan 10 weken voor het einde van het kwartaal ligt",
                     lambda p, r: "DatumPipInitieel" not in p and "DatumInschrijvingBRP" in p
                     and p["DatumInschrijvingBRP"] + timedelta(days=70) <= r["_q_end"]
                     and not {"DatumVoldaan", "Ontheffing", "Uitstroom"} & set(p)),
    "map_status": ("na de PIP geen MAP-status (niet onderwijsroute)",
                   lambda p, r: "Leerroute" in p and p["Leerroute"]["Actueel"] != "ONDERWIJS" and "Map" not in p),
    "map_datum_afgerond": ("MAP afgerond zonder datum",
                           lambda p, r: "Map" in p and p["Map"]["Status"] in ("voldaan", "niet_voldaan")
                           and "DatumAfgerond" not in p["Map"]),
    "pvt_status": ("na de PIP geen PVT-status", lambda p, r: "Leerroute" in p and "Pvt" not in p),
    "pvt_datum_afgerond": ("PVT afgerond zonder datum",
                           lambda p, r: "Pvt" in p and p["Pvt"]["Status"] in ("voldaan", "niet_voldaan")
                           and "DatumAfgerond" not in p["Pvt"]),
    "reden_ontheffing": ("ontheffing zonder reden", lambda p, r: "Ontheffing" in p and "Reden" not in p["Ontheffing"]),
    "reden_uitstroom": ("uitstroom zonder reden", lambda p, r: "Uitstroom" in p and "Reden" not in p["Uitstroom"]),
}


def quarter_bounds(kwartaal: str) -> tuple[date, date]:
    """First and last day of 'YYYY-Qn'."""
    m = KWARTAAL_RE.match(kwartaal or "")
    if not m:
        raise DeliveryError(f"ongeldig kwartaal '{kwartaal}': gebruik JJJJ-Qn, bijvoorbeeld 2025-Q3")
    year, q = int(m.group(1)), int(m.group(2))
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return start, end


def schema_path(schema_dir: Path | None = None) -> Path:
    """The XSD every delivery is validated against: the official cbs_swi.xsd when present, else the project's."""
    folder = Path(schema_dir) if schema_dir else CBS_SCHEMA_DIR
    official = folder / OFFICIAL_XSD
    return official if official.exists() else folder / PROJECT_XSD


def _scrub(text: str) -> str:
    """Remove anything that could be a BSN from a message (the one scrubber of pipelines.privacy.bsn)."""
    return scrub(str(text))


def _bsn_key() -> bytes:
    try:
        return get_key(BSN_KEY, create=False)
    except KeyError_ as exc:
        raise DeliveryError(
            "CBS-levering geweigerd: de BSN-sleutel ontbreekt of is ongeldig. Zet INBURGERING_BSN_KEY of plaats "
            f"de sleutel in {key_file(BSN_KEY)} (de sleutel staat buiten het warehouse). Detail: {exc}") from None


def _check_key_fits(warehouse: Path, key: bytes) -> None:
    """Refuse a BSN key whose fingerprint is not the one the warehouse was loaded with."""
    if not warehouse.exists():
        return                              # _read names the missing warehouse
    try:
        check_key(warehouse, "bsn", key)
    except KeyError_ as exc:
        raise DeliveryError(f"CBS-levering geweigerd: {exc} (met deze sleutel zou het ontsleutelen mislukken: "
                            "AES-GCM-authenticatie faalt); er is niets geschreven.") from None


def _decrypt_bsn(token: str, key: bytes) -> str:
    try:
        bsn = decrypt(token, key)
    except (InvalidTag, ValueError, binascii.Error):
        raise DeliveryError(
            "CBS-levering geweigerd: de BSN-sleutel past niet bij dit warehouse (ontsleutelen mislukt, "
            "AES-GCM-authenticatie faalt). Gebruik de BSN-sleutel waarmee de exports zijn geladen.") from None
    if not elfproef(bsn):
        raise DeliveryError("CBS-levering geweigerd: een ontsleuteld BSN voldoet niet aan de elfproef")
    return bsn


# --------------------------------------------------------------------------------------------- reading

PERSON_SQL = """
SELECT m.client_id, m.doelgroep, m.nareiziger, m.geslacht, m.geboortejaar, m.datum_plicht, m.datum_koppeling,
       m.datum_huisvesting, m.datum_inschrijving_brp, m.datum_start_brede_intake, m.datum_pip_initieel,
       m.datum_pip_actueel, m.leerroute_initieel, m.leerroute_actueel, m.datum_wijziging_leerroute, m.afschaling_a2,
       coalesce(m.datum_einde_termijn, m.termijn_einde) AS einde_termijn, m.datum_start_ontzorgen,
       m.datum_einde_ontzorgen, m.map_status, m.datum_map_afgerond, m.pvt_status, m.datum_pvt_afgerond,
       m.datum_voldaan, m.datum_ontheffing, m.reden_ontheffing, m.datum_uitstroom, m.reden_uitstroom,
       m.bsn_pseudoniem, r.bsn_versleuteld
FROM mart_personen m
JOIN raw_personen r ON r.gemeente_code = m.gemeente_code AND r.client_id = m.client_id
WHERE m.gemeente_code = $g
  AND NOT m.wi2013
  AND m.instroomdatum <= $q_end
  AND m.datum_plicht <= $q_end
  AND (m.datum_uitstroom IS NULL OR m.datum_uitstroom >= $q_start)
ORDER BY m.client_id
"""

EXAM_SQL = """
SELECT client_id, onderdeel, niveau, datum_examen, resultaat, poging
FROM mart_examens
WHERE gemeente_code = $g AND NOT wi2013 AND datum_examen BETWEEN $q_start AND $q_end
ORDER BY client_id, datum_examen, onderdeel, row_number
"""

ACTIVITY_SQL = """
SELECT client_id, soort, datum_start, datum_einde, uren_per_week
FROM mart_activiteiten
WHERE gemeente_code = $g AND NOT wi2013 AND datum_start <= $q_end
  AND (datum_einde IS NULL OR datum_einde >= $q_start)
ORDER BY client_id, datum_start, soort, row_number
"""


def _fetch(con, sql: str, params: dict) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _read(warehouse: Path, gemeente_code: str, q_start: date, q_end: date):
    if not Path(warehouse).exists():
        raise DeliveryError(f"geen warehouse gevonden op {warehouse}; laad eerst exports met `inburgering load`")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        snap = con.execute("SELECT peildatum FROM snapshot_current WHERE gemeente_code = ? AND target_table = 'personen'",
                           [gemeente_code]).fetchone()
        if not snap:
            raise DeliveryError(f"geen personen van gemeente {gemeente_code} in het warehouse")
        peildatum = snap[0]
        if peildatum < q_end:
            raise DeliveryError(
                f"CBS-levering geweigerd: de peildatum van {gemeente_code} ({peildatum}) ligt vóór het einde van het "
                f"kwartaal ({q_end}); laad eerst een export van na het einde van het kwartaal")
        params = {"g": gemeente_code, "q_start": q_start, "q_end": q_end}
        persons = _fetch(con, PERSON_SQL, params)
        exams = _fetch(con, EXAM_SQL, params)
        activities = _fetch(con, ACTIVITY_SQL, params)
    finally:
        con.close()
    return peildatum, persons, exams, activities


# --------------------------------------------------------------------------------------------- items

def person_items(r: dict, q_end: date, exams: list[dict], activities: list[dict]) -> dict:
    """The items of one person as they stood at the end of the quarter, in XSD order, without the BSN.

    Items that do not apply (koppeling for gezin, leerroute before a PIP) or lie after the quarter are left out.
    """
    def d(value):
        return value if value is not None and value <= q_end else None

    asiel = r["doelgroep"] == "asiel"
    p: dict = {"Gemeente": None, "Doelgroep": r["doelgroep"]}
    if asiel:
        p["Nareiziger"] = bool(r["nareiziger"])
    if r["geslacht"]:
        p["Geslacht"] = r["geslacht"]
    if r["geboortejaar"] is not None:
        p["Geboortejaar"] = int(r["geboortejaar"])
    p["DatumPlicht"] = r["datum_plicht"]
    if asiel and d(r["datum_koppeling"]):
        p["DatumKoppeling"] = r["datum_koppeling"]
    if asiel and d(r["datum_huisvesting"]):
        p["DatumHuisvesting"] = r["datum_huisvesting"]
    if d(r["datum_inschrijving_brp"]):
        p["DatumInschrijvingBRP"] = r["datum_inschrijving_brp"]
    if d(r["datum_start_brede_intake"]):
        p["DatumStartBredeIntake"] = r["datum_start_brede_intake"]
    pip = d(r["datum_pip_initieel"])
    if pip:
        p["DatumPipInitieel"] = pip
        if d(r["datum_pip_actueel"]):
            p["DatumPipActueel"] = r["datum_pip_actueel"]
        if r["leerroute_initieel"]:
            wijziging = r["datum_wijziging_leerroute"]
            actueel = (r["leerroute_actueel"] if r["leerroute_actueel"] and (wijziging is None or wijziging <= q_end)
                       else r["leerroute_initieel"])
            route = {"Initieel": r["leerroute_initieel"], "Actueel": actueel}
            if d(wijziging) and actueel != r["leerroute_initieel"]:
                route["DatumWijziging"] = wijziging
            if actueel == "B1":
                route["AfschalingA2"] = bool(r["afschaling_a2"])
            p["Leerroute"] = route
        if r["einde_termijn"]:
            p["DatumEindeTermijn"] = r["einde_termijn"]
    if asiel and d(r["datum_start_ontzorgen"]):
        p["Ontzorgen"] = {"DatumStart": r["datum_start_ontzorgen"]}
        if r["datum_einde_ontzorgen"]:
            p["Ontzorgen"]["DatumEinde"] = r["datum_einde_ontzorgen"]
    for key, status, afgerond in (("Map", "map_status", "datum_map_afgerond"), ("Pvt", "pvt_status", "datum_pvt_afgerond")):
        traject = _traject(r[status], r[afgerond], q_end)
        if traject:
            p[key] = traject
    if d(r["datum_voldaan"]):
        p["DatumVoldaan"] = r["datum_voldaan"]
    if d(r["datum_ontheffing"]):
        p["Ontheffing"] = {"Datum": r["datum_ontheffing"]}
        if r["reden_ontheffing"]:
            p["Ontheffing"]["Reden"] = r["reden_ontheffing"]
    if d(r["datum_uitstroom"]):
        p["Uitstroom"] = {"Datum": r["datum_uitstroom"]}
        if r["reden_uitstroom"]:
            p["Uitstroom"]["Reden"] = r["reden_uitstroom"]
    if exams:
        p["Examens"] = [_drop_none({"Onderdeel": e["onderdeel"], "Niveau": e["niveau"], "Datum": e["datum_examen"],
                                    "Resultaat": e["resultaat"], "Poging": e["poging"]}) for e in exams]
    if activities:
        p["Activiteiten"] = [_drop_none({"Soort": a["soort"], "DatumStart": a["datum_start"],
                                         "DatumEinde": d(a["datum_einde"]), "UrenPerWeek": a["uren_per_week"]})
                             for a in activities]
    return p


def _traject(status: str | None, afgerond: date | None, q_end: date) -> dict | None:
    """MAP/PVT at the end of the quarter: a completion after the quarter still counts as `lopend` then."""
    if not status:
        return None
    if status in ("voldaan", "niet_voldaan") and afgerond is not None:
        return {"Status": status, "DatumAfgerond": afgerond} if afgerond <= q_end else {"Status": "lopend"}
    return {"Status": status}


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g") if value != int(value) else str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _append(parent: ET.Element, name: str, value) -> None:
    tag = f"{{{NAMESPACE}}}{name}"
    if isinstance(value, dict):
        child = ET.SubElement(parent, tag)
        for k, v in value.items():
            _append(child, k, v)
    elif isinstance(value, list):
        child = ET.SubElement(parent, tag)
        singular = {"Examens": "Examen", "Activiteiten": "Activiteit"}[name]
        for item in value:
            _append(child, singular, item)
    else:
        ET.SubElement(parent, tag).text = _text(value)


def _xml(gemeente_code: str, kwartaal: str, q_start: date, q_end: date, peildatum: date, created: datetime,
         persons: list[tuple[str, dict]]) -> bytes:
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}SwiLevering", {"versie": "1"})
    _append(root, "Aanlevering", {"GemeenteCode": gemeente_code, "Kwartaal": kwartaal, "PeriodeBegin": q_start,
                                  "PeriodeEinde": q_end, "Peildatum": peildatum,
                                  "Aanmaakdatum": created.replace(microsecond=0).isoformat(),
                                  "AantalPersonen": len(persons), "Programma": PROGRAMMA})
    container = ET.SubElement(root, f"{{{NAMESPACE}}}Personen")
    for bsn, items in persons:
        el = ET.SubElement(container, f"{{{NAMESPACE}}}Persoon")
        _append(el, "BSN", bsn)
        for k, v in items.items():
            _append(el, k, gemeente_code if k == "Gemeente" else v)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def validate(xml_bytes: bytes, xsd: Path) -> None:
    """Raise DeliveryError (without any BSN in it) when the XML does not satisfy the XSD."""
    import xmlschema

    try:
        schema = xmlschema.XMLSchema(str(xsd))
    except Exception as exc:
        raise DeliveryError(f"het XSD {xsd.name} is niet te lezen: {_scrub(exc)}") from None
    errors = list(schema.iter_errors(xml_bytes.decode("utf-8")))
    if errors:
        detail = "; ".join(_scrub(f"{e.path or ''}: {e.reason or e.message}") for e in errors[:5])
        raise DeliveryError(f"CBS-levering geweigerd: het bestand voldoet niet aan {xsd.name} "
                            f"({len(errors)} fout(en)): {detail}")


# --------------------------------------------------------------------------------------------- history

# the quarter's flows differ every quarter by design; changes are reported on the person's state items
FLOW_ITEMS = ("Gemeente", "Examens", "Activiteiten")


def _fingerprint(items: dict) -> dict[str, str]:
    """Per item a short hash of its value (no BSN in it), so the next delivery can tell what changed."""
    return {k: hashlib.sha256(json.dumps(v, default=_text, sort_keys=True).encode()).hexdigest()[:16]
            for k, v in items.items()}


def _previous_manifest(history: Path, gemeente_code: str, kwartaal: str, own: Path) -> tuple[Path, dict] | None:
    best = None
    for path in history.glob(f"*{MANIFEST_SUFFIX}"):
        if path.resolve() == own.resolve():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("gemeente_code") != gemeente_code or data.get("kwartaal", "") > kwartaal:
            continue
        key = (data.get("kwartaal", ""), data.get("aangemaakt", ""))
        if best is None or key > best[0]:
            best = (key, path, data)
    return (best[1], best[2]) if best else None


def _compare(previous: dict, current: dict[str, dict]) -> tuple[dict, dict]:
    prev = previous.get("personen", {})
    changes = {"nieuw": {}, "gewijzigd": {}, "vervallen": {}}
    items: dict[str, int] = {}
    for pseudo, cur in current.items():
        old = prev.get(pseudo)
        dg = cur["doelgroep"]
        if old is None:
            changes["nieuw"][dg] = changes["nieuw"].get(dg, 0) + 1
            continue
        diff = {k for k in set(cur["items"]) | set(old.get("items", {}))
                if cur["items"].get(k) != old.get("items", {}).get(k)}
        if diff:
            changes["gewijzigd"][dg] = changes["gewijzigd"].get(dg, 0) + 1
            for k in diff:
                items[k] = items.get(k, 0) + 1
    for pseudo, old in prev.items():
        if pseudo not in current:
            dg = old.get("doelgroep", "onbekend")
            changes["vervallen"][dg] = changes["vervallen"].get(dg, 0) + 1
    return changes, items


# --------------------------------------------------------------------------------------------- writing

def _write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _report_csv(rows: list[dict]) -> bytes:
    import io

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["sectie", "doelgroep", "leerroute", "item", "aantal", "toelichting"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def build_delivery(warehouse: Path | str, gemeente_code: str, kwartaal: str, out_path: Path | str,
                   history_dir: Path | str | None = None, schema_dir: Path | str | None = None,
                   now: datetime | None = None) -> DeliveryReport:
    """Write the CBS SWI delivery of one gemeente and quarter; refuse (DeliveryError) when it cannot be made.

    history_dir: the folder with the manifests of earlier deliveries (default: the folder of out_path).
    schema_dir: the folder with the XSD (default data_contracts/cbs; `cbs_swi.xsd` there wins).
    """
    if not GEMEENTE_RE.match(gemeente_code or ""):
        raise DeliveryError(f"ongeldige gemeentecode '{gemeente_code}': gebruik GM gevolgd door vier cijfers")
    q_start, q_end = quarter_bounds(kwartaal)
    out_path = Path(out_path)
    xsd = schema_path(Path(schema_dir) if schema_dir else None)
    if not xsd.exists():
        raise DeliveryError(f"XSD niet gevonden: {xsd}")
    key = _bsn_key()                       # refuse before reading anything without the key
    _check_key_fits(Path(warehouse), key)
    peildatum, rows, exams, activities = _read(Path(warehouse), gemeente_code, q_start, q_end)

    exams_by, acts_by = {}, {}
    for e in exams:
        exams_by.setdefault(e["client_id"], []).append(e)
    for a in activities:
        acts_by.setdefault(a["client_id"], []).append(a)

    report_path = out_path.with_suffix(".controle.csv")
    history = Path(history_dir) if history_dir else out_path.parent
    manifest_path = history / (out_path.stem + MANIFEST_SUFFIX)
    report = DeliveryReport(gemeente_code, kwartaal, peildatum, out_path, report_path, manifest_path, xsd)

    delivered: list[tuple[str, dict]] = []
    manifest_persons: dict[str, dict] = {}
    missing: dict[tuple[str, str, str], int] = {}
    for r in rows:
        dg = r["doelgroep"]
        if not r["bsn_versleuteld"]:
            report.held_back[dg] = report.held_back.get(dg, 0) + 1
            report.held_back_ids.append((dg, r["client_id"]))
            continue
        items = person_items(r, q_end, exams_by.get(r["client_id"], []), acts_by.get(r["client_id"], []))
        bsn = _decrypt_bsn(r["bsn_versleuteld"], key)
        delivered.append((bsn, items))
        report.delivered[dg] = report.delivered.get(dg, 0) + 1
        report.n_exams += len(items.get("Examens", []))
        report.n_activities += len(items.get("Activiteiten", []))
        route = items["Leerroute"]["Actueel"] if "Leerroute" in items else "geen"
        ctx = {**r, "_q_end": q_end}
        for name, (_, rule) in MISSING_RULES.items():
            if rule(items, ctx):
                missing[(dg, route, name)] = missing.get((dg, route, name), 0) + 1
        manifest_persons[r["bsn_pseudoniem"]] = {"client_id": r["client_id"], "doelgroep": dg,
                                                 "items": _fingerprint({k: v for k, v in items.items()
                                                                        if k not in FLOW_ITEMS})}
    report.missing = sorted((dg, route, item, n) for (dg, route, item), n in missing.items())

    created = now or datetime.now()
    xml_bytes = _xml(gemeente_code, kwartaal, q_start, q_end, peildatum, created, delivered)
    validate(xml_bytes, xsd)
    del delivered

    previous = _previous_manifest(history, gemeente_code, kwartaal, manifest_path)
    if previous:
        report.previous = previous[1].get("bestand") or previous[0].name
        report.changes, report.changed_items = _compare(previous[1], manifest_persons)
    else:
        report.changes = {"nieuw": dict(report.delivered), "gewijzigd": {}, "vervallen": {}}

    manifest = {"gemeente_code": gemeente_code, "kwartaal": kwartaal, "peildatum": peildatum.isoformat(),
                "aangemaakt": created.isoformat(), "bestand": out_path.name,
                "sha256": hashlib.sha256(xml_bytes).hexdigest(), "xsd": xsd.name,
                "geleverd": report.delivered, "achtergehouden": report.held_back,
                "personen": manifest_persons}
    _write_atomic(out_path, xml_bytes)
    _write_atomic(report_path, _report_csv(report.rows()), 0o640)
    _write_atomic(manifest_path, json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8"), 0o640)
    log.info("CBS-levering %s %s: %d geleverd, %d achtergehouden", gemeente_code, kwartaal,
             report.n_delivered, report.n_held_back)
    return report


__all__ = ["DeliveryError", "DeliveryReport", "build_delivery", "person_items", "quarter_bounds", "schema_path",
           "validate"]
