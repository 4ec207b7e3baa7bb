"""The CBS SWI delivery against real warehouses: hand-made exports with known BSNs, and the demo set."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from pipelines.deliverables.cbs import (CBS_SCHEMA_DIR, NAMESPACE, OFFICIAL_XSD, PROJECT_XSD, DeliveryError,
                                        build_delivery, schema_path)
from pipelines.deliverables.commands import cbs_levering
from pipelines.load import load_paths
from pipelines.privacy.bsn import decrypt, elfproef
from pipelines.privacy.keys import BSN_KEY, get_key
from tests.conftest import query, write_csv

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 1, 20, 9, 0)
NS = {"s": NAMESPACE}
GM = "GM0384"
P_HEADER = ["peildatum", "gemeente_code", "client_id", "bsn", "doelgroep", "nareiziger", "geslacht", "geboortejaar",
            "datum_plicht", "datum_koppeling", "datum_huisvesting", "datum_inschrijving_brp",
            "datum_start_brede_intake", "datum_pip_initieel", "datum_pip_actueel", "leerroute_initieel",
            "leerroute_actueel", "datum_wijziging_leerroute", "map_status", "datum_map_afgerond", "pvt_status",
            "datum_pvt_afgerond", "datum_voldaan", "datum_ontheffing", "reden_ontheffing", "datum_uitstroom",
            "reden_uitstroom"]
BSN = {"A1": "100000009", "A2": "101234569", "G1": "102469131", "O1": "103703706", "O2": "104938262",
       "O3": "106172839"}


def person(peildatum, client_id, doelgroep, **values) -> list:
    row = {"peildatum": peildatum, "gemeente_code": GM, "client_id": client_id, "bsn": BSN.get(client_id, ""),
           "doelgroep": doelgroep, **values}
    return [row.get(col, "") for col in P_HEADER]


def personen(peildatum: str, with_o3: bool = True) -> list[list]:
    rows = [
        # asiel, linked in Q1 2025; PVT done in Q4 (after Q3)
        person(peildatum, "A1", "asiel", nareiziger="nee", geslacht="M", geboortejaar="1990",
               datum_plicht="2025-01-15", datum_koppeling="2025-02-10", datum_huisvesting="2025-05-01",
               datum_inschrijving_brp="2025-05-02", datum_start_brede_intake="2025-05-20",
               datum_pip_initieel="2025-07-01", datum_pip_actueel="2025-07-01", leerroute_initieel="B1",
               leerroute_actueel="B1", map_status="lopend", pvt_status="voldaan", datum_pvt_afgerond="2025-11-01"),
        # asiel, linked after Q3 2025: only from Q4 on
        person(peildatum, "A2", "asiel", geslacht="V", geboortejaar="1988", datum_plicht="2025-06-01",
               datum_koppeling="2025-10-05"),
        # asiel without BSN: held back
        person(peildatum, "A3", "asiel", geslacht="M", geboortejaar="2000", datum_plicht="2025-01-01",
               datum_koppeling="2025-03-01"),
        # gezin with a (not applicable) koppeling date; route Z switched to B1 in Q4
        person(peildatum, "G1", "gezin", geslacht="V", geboortejaar="1995", datum_plicht="2025-03-20",
               datum_koppeling="2025-03-21", datum_inschrijving_brp="2025-04-01", datum_pip_initieel="2025-06-01",
               datum_pip_actueel="2025-11-15", leerroute_initieel="Z", leerroute_actueel="B1",
               datum_wijziging_leerroute="2025-11-15", pvt_status="lopend", map_status="lopend"),
        # Wi2013: never delivered
        person(peildatum, "O1", "overig", geslacht="M", geboortejaar="1970", datum_plicht="2021-05-01",
               datum_inschrijving_brp="2021-05-02"),
        # left before Q3
        person(peildatum, "O2", "overig", geslacht="M", geboortejaar="1980", datum_plicht="2025-02-01",
               datum_inschrijving_brp="2025-02-01", datum_uitstroom="2025-05-01", reden_uitstroom="verhuisd"),
    ]
    if with_o3:
        # overig, plicht in Q3, no BRP yet, exemption in Q3, geslacht unknown
        rows.append(person(peildatum, "O3", "overig", geboortejaar="1960", datum_plicht="2025-09-01",
                           datum_ontheffing="2025-09-20", reden_ontheffing="medisch"))
    return rows


def export(folder: Path, peildatum: str, with_o3: bool = True) -> Path:
    write_csv(folder / "personen.csv", P_HEADER, personen(peildatum, with_o3))
    write_csv(folder / "examens.csv",
              ["peildatum", "gemeente_code", "client_id", "onderdeel", "niveau", "datum_examen", "resultaat", "poging"],
              [[peildatum, GM, "A1", "lezen", "B1", "2025-08-10", "geslaagd", "1"],
               [peildatum, GM, "A1", "knm", "", "2025-06-01", "gezakt", "1"]])
    write_csv(folder / "activiteiten.csv",
              ["peildatum", "gemeente_code", "client_id", "soort", "datum_start", "datum_einde", "uren_per_week"],
              [[peildatum, GM, "G1", "vrijwilligerswerk", "2025-07-15", "", "6"],
               [peildatum, GM, "A1", "betaald_werk", "2025-05-01", "2025-06-30", "12"]])
    return folder


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("cbs") / "wh.duckdb"
    report = load_paths([export(wh.parent / "export", "2025-12-31")], wh, today=TODAY)
    assert not report.rejected and all(f.rows_quarantined == 0 for f in report.files), report.files
    return wh


def persons_by_bsn(xml_path: Path) -> dict[str, ET.Element]:
    root = ET.parse(xml_path).getroot()
    return {p.findtext("s:BSN", namespaces=NS): p for p in root.iterfind("s:Personen/s:Persoon", NS)}


def no_empty_elements(xml_path: Path) -> bool:
    return all(len(el) or (el.text or "").strip() for el in ET.parse(xml_path).getroot().iter())


def all_bsns_absent(text: str) -> bool:
    return not any(b in text for b in BSN.values())


# --------------------------------------------------------------------------------------------- hand-made

def test_delivery_follows_the_swi_conventions(small_warehouse, tmp_path):
    out = tmp_path / "GM0384_2025-Q3.xml"
    report = build_delivery(small_warehouse, GM, "2025-Q3", out, now=NOW)
    xmlschema.XMLSchema(str(CBS_SCHEMA_DIR / PROJECT_XSD)).validate(str(out))
    assert report.xsd_path.name == PROJECT_XSD and no_empty_elements(out)

    persons = persons_by_bsn(out)
    # A2 (koppeling after the quarter), A3 (no BSN), O1 (Wi2013), O2 (left before the quarter) are not delivered
    assert set(persons) == {BSN["A1"], BSN["G1"], BSN["O3"]}
    assert all(elfproef(b) for b in persons)
    assert report.delivered == {"asiel": 1, "gezin": 1, "overig": 1}
    assert report.held_back == {"asiel": 1} and report.held_back_ids == [("asiel", "A3")]

    a1, g1, o3 = persons[BSN["A1"]], persons[BSN["G1"]], persons[BSN["O3"]]
    assert a1.findtext("s:DatumKoppeling", namespaces=NS) == "2025-02-10"
    assert a1.findtext("s:Nareiziger", namespaces=NS) == "false"
    assert a1.findtext("s:Leerroute/s:Actueel", namespaces=NS) == "B1"
    assert a1.findtext("s:DatumEindeTermijn", namespaces=NS) == "2028-07-01"
    assert a1.findtext("s:Pvt/s:Status", namespaces=NS) == "lopend"        # completed only in Q4
    assert a1.find("s:Pvt/s:DatumAfgerond", NS) is None
    assert [e.findtext("s:Onderdeel", namespaces=NS) for e in a1.iterfind("s:Examens/s:Examen", NS)] == ["lezen"]
    assert a1.find("s:Activiteiten", NS) is None                          # betaald werk ended in Q2
    # gezin: no koppeling, no nareiziger; the route switch lies after the quarter
    assert g1.find("s:DatumKoppeling", NS) is None and g1.find("s:Nareiziger", NS) is None
    assert g1.findtext("s:Leerroute/s:Initieel", namespaces=NS) == "Z"
    assert g1.findtext("s:Leerroute/s:Actueel", namespaces=NS) == "Z"
    assert g1.find("s:Leerroute/s:DatumWijziging", NS) is None and g1.find("s:DatumPipActueel", NS) is None
    assert g1.findtext("s:Activiteiten/s:Activiteit/s:UrenPerWeek", namespaces=NS) == "6"
    assert g1.find("s:Activiteiten/s:Activiteit/s:DatumEinde", NS) is None
    # no PIP yet: no Leerroute element; exemption with reason
    assert o3.find("s:Leerroute", NS) is None and o3.find("s:DatumPipInitieel", NS) is None
    assert o3.findtext("s:Ontheffing/s:Reden", namespaces=NS) == "medisch"
    assert o3.find("s:Geslacht", NS) is None
    assert ("overig", "geen", "geslacht", 1) in report.missing

    # files next to the XML; the XML is readable by the owner only
    assert report.report_path == tmp_path / "GM0384_2025-Q3.controle.csv" and report.report_path.exists()
    assert report.manifest_path == tmp_path / "GM0384_2025-Q3.levering.json"
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_asiel_person_enters_from_the_quarter_of_koppeling(small_warehouse, tmp_path):
    q4 = tmp_path / "q4.xml"
    report = build_delivery(small_warehouse, GM, "2025-Q4", q4, now=NOW)
    persons = persons_by_bsn(q4)
    assert BSN["A2"] in persons and report.delivered == {"asiel": 2, "gezin": 1, "overig": 1}
    g1 = persons[BSN["G1"]]
    assert g1.findtext("s:Leerroute/s:Actueel", namespaces=NS) == "B1"
    assert g1.findtext("s:Leerroute/s:DatumWijziging", namespaces=NS) == "2025-11-15"
    assert g1.findtext("s:Leerroute/s:AfschalingA2", namespaces=NS) == "false"
    assert persons[BSN["A1"]].findtext("s:Pvt/s:DatumAfgerond", namespaces=NS) == "2025-11-01"
    # the quarter of koppeling, not of the plicht: A2's plicht started in Q2
    assert BSN["A2"] not in persons_by_bsn(build_delivery(small_warehouse, GM, "2025-Q2", tmp_path / "q2.xml").out_path)


def test_decrypted_bsns_match_the_export(small_warehouse, tmp_path):
    out = tmp_path / "q4.xml"
    build_delivery(small_warehouse, GM, "2025-Q4", out, now=NOW)
    root = ET.parse(out).getroot()
    delivered = [p.findtext("s:BSN", namespaces=NS) for p in root.iterfind("s:Personen/s:Persoon", NS)]
    assert sorted(delivered) == sorted(BSN[c] for c in ("A1", "A2", "G1", "O3"))
    assert all(elfproef(b) for b in delivered)
    assert root.findtext("s:Aanlevering/s:AantalPersonen", namespaces=NS) == "4"


def test_changes_since_the_previous_delivery(small_warehouse, tmp_path):
    history = tmp_path / "leveringen"
    first = build_delivery(small_warehouse, GM, "2025-Q3", tmp_path / "GM0384_2025-Q3.xml", history_dir=history,
                           now=NOW)
    assert first.previous is None and first.changes["nieuw"] == first.delivered
    manifest = json.loads(first.manifest_path.read_text())
    assert first.manifest_path.parent == history and len(manifest["personen"]) == 3
    assert all(len(k) == 64 for k in manifest["personen"])          # keyed pseudonyms, not BSNs

    second = build_delivery(small_warehouse, GM, "2025-Q4", tmp_path / "GM0384_2025-Q4.xml", history_dir=history,
                            now=NOW + timedelta(days=90))
    assert second.previous == "GM0384_2025-Q3.xml"
    assert second.changes["nieuw"] == {"asiel": 1}                  # A2
    assert second.changes["gewijzigd"] == {"asiel": 1, "gezin": 1}  # A1 (PVT done), G1 (route switch)
    assert second.changes["vervallen"] == {}
    assert second.changed_items["Pvt"] == 1 and second.changed_items["Leerroute"] == 1

    # a newer export without O3: the next quarter reports O3 as removed
    wh = tmp_path / "wh.duckdb"
    shutil.copy(small_warehouse, wh)
    load_paths([export(tmp_path / "nieuw", "2026-03-31", with_o3=False)], wh, today=TODAY)
    third = build_delivery(wh, GM, "2026-Q1", tmp_path / "GM0384_2026-Q1.xml", history_dir=history,
                           now=NOW + timedelta(days=180))
    assert third.previous == "GM0384_2025-Q4.xml"
    assert third.changes["vervallen"] == {"overig": 1} and third.changes["nieuw"] == {}
    rows = third.report_path.read_text(encoding="utf-8-sig")
    assert "wijziging,overig,,vervallen,1," in rows and "vorige_levering,,GM0384_2025-Q4.xml" in rows


def test_check_report_and_output_hold_no_bsn(small_warehouse, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "GM0384_2025-Q4.xml"
    result = CliRunner().invoke(cbs_levering, ["--gemeente", GM, "--kwartaal", "2025-Q4", "--out", str(out),
                                               "--warehouse", str(small_warehouse)])
    assert result.exit_code == 0, result.output
    assert "achtergehouden zonder BSN: asiel 1" in result.output and "A3" in result.output
    assert all(BSN[c] in out.read_text() for c in ("A1", "A2", "G1", "O3"))   # the XML itself holds them
    for text in (result.output, caplog.text, out.with_suffix(".controle.csv").read_text(encoding="utf-8-sig"),
                 (tmp_path / "GM0384_2025-Q4.levering.json").read_text()):
        assert all_bsns_absent(text)
    report = out.with_suffix(".controle.csv").read_text(encoding="utf-8-sig")
    assert "achtergehouden_persoon,asiel,,bsn_ontbreekt,1,client_id A3" in report
    assert "geleverd,alle,,personen,4," in report


# --------------------------------------------------------------------------------------------- refusal

def test_refuses_without_the_bsn_key(small_warehouse, tmp_path, monkeypatch):
    empty = tmp_path / "geen-sleutels"
    empty.mkdir()
    monkeypatch.setenv("INBURGERING_KEY_DIR", str(empty))
    monkeypatch.delenv("INBURGERING_BSN_KEY", raising=False)
    out = tmp_path / "levering.xml"
    with pytest.raises(DeliveryError, match="BSN-sleutel ontbreekt"):
        build_delivery(small_warehouse, GM, "2025-Q3", out)
    assert not out.exists() and not list(tmp_path.glob("*.controle.csv"))
    assert not (empty / "bsn.key").exists()                           # never created implicitly

    result = CliRunner().invoke(cbs_levering, ["--gemeente", GM, "--kwartaal", "2025-Q3", "--out", str(out),
                                               "--warehouse", str(small_warehouse)])
    assert result.exit_code == 1 and "CBS-levering geweigerd" in result.output and not out.exists()


def test_refuses_with_a_wrong_key_from_a_real_process(small_warehouse, tmp_path):
    out = tmp_path / "levering.xml"
    env = {**os.environ, "INBURGERING_BSN_KEY": os.urandom(32).hex()}
    proc = subprocess.run([sys.executable, "-c", "from pipelines.deliverables.commands import cbs_levering; "
                           "cbs_levering()", "--gemeente", GM, "--kwartaal", "2025-Q3", "--out", str(out),
                           "--warehouse", str(small_warehouse)], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode != 0
    assert "AES-GCM" in proc.stderr and "geweigerd" in proc.stderr
    assert not out.exists() and all_bsns_absent(proc.stdout + proc.stderr)


def test_refuses_with_a_wrong_key(small_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("INBURGERING_BSN_KEY", os.urandom(32).hex())
    with pytest.raises(DeliveryError, match="AES-GCM"):
        build_delivery(small_warehouse, GM, "2025-Q3", tmp_path / "x.xml")
    assert not (tmp_path / "x.xml").exists()


def test_refuses_a_quarter_after_the_peildatum_and_bad_arguments(small_warehouse, tmp_path):
    with pytest.raises(DeliveryError, match="peildatum"):
        build_delivery(small_warehouse, GM, "2026-Q1", tmp_path / "x.xml")
    with pytest.raises(DeliveryError, match="kwartaal"):
        build_delivery(small_warehouse, GM, "2025-3", tmp_path / "x.xml")
    with pytest.raises(DeliveryError, match="GM0141"):
        build_delivery(small_warehouse, "GM0141", "2025-Q3", tmp_path / "x.xml")


# --------------------------------------------------------------------------------------------- XSD

def test_a_dropped_in_official_xsd_is_used(small_warehouse, tmp_path):
    assert schema_path().name == PROJECT_XSD            # no official XSD in the repository
    folder = tmp_path / "cbs"
    folder.mkdir()
    project = (CBS_SCHEMA_DIR / PROJECT_XSD).read_text(encoding="utf-8")
    (folder / OFFICIAL_XSD).write_text(project, encoding="utf-8")
    report = build_delivery(small_warehouse, GM, "2025-Q3", tmp_path / "ok.xml", schema_dir=folder)
    assert report.xsd_path == folder / OFFICIAL_XSD and "cbs_swi.xsd" in report.text()

    # a stricter official schema (BSN must start with 0) rejects the file: nothing written, no BSN in the message
    strict = project.replace('<xs:pattern value="[0-9]{9}"/>', '<xs:pattern value="0[0-9]{8}"/>')
    assert strict != project
    (folder / OFFICIAL_XSD).write_text(strict, encoding="utf-8")
    with pytest.raises(DeliveryError, match="cbs_swi.xsd") as exc:
        build_delivery(small_warehouse, GM, "2025-Q3", tmp_path / "strict.xml", schema_dir=folder)
    assert not (tmp_path / "strict.xml").exists() and all_bsns_absent(str(exc.value))


# --------------------------------------------------------------------------------------------- demo set

def quarter_end(kwartaal: str) -> tuple[date, date]:
    year, q = int(kwartaal[:4]), int(kwartaal[-1])
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return start, end


@pytest.mark.parametrize("gemeente,kwartaal", [("GM0141", "2025-Q3"), ("GM0384", "2024-Q2"), ("GM0153", "2026-Q3")])
def test_demo_delivery_recomputed_from_the_raw_tables(demo_warehouse, tmp_path, gemeente, kwartaal):
    start, end = quarter_end(kwartaal)
    out = tmp_path / f"{gemeente}.xml"
    report = build_delivery(demo_warehouse, gemeente, kwartaal, out, now=NOW)
    xmlschema.XMLSchema(str(CBS_SCHEMA_DIR / PROJECT_XSD)).validate(str(out))
    assert no_empty_elements(out)

    # independent selection straight from raw_personen (not the marts)
    rows = query(demo_warehouse, """
        SELECT client_id, doelgroep, bsn_versleuteld, datum_koppeling, datum_pip_initieel, leerroute_initieel
        FROM raw_personen
        WHERE gemeente_code = $g AND datum_plicht >= DATE '2022-01-01' AND datum_plicht <= $e
          AND CASE WHEN doelgroep = 'asiel' THEN coalesce(datum_koppeling, datum_inschrijving_brp, datum_plicht)
                   ELSE coalesce(datum_inschrijving_brp, datum_plicht) END <= $e
          AND (datum_uitstroom IS NULL OR datum_uitstroom >= $s)""", {"g": gemeente, "s": start, "e": end})
    key = get_key(BSN_KEY, create=False)
    expected = {}
    for client_id, doelgroep, token, koppeling, pip, route in rows:
        if token:
            expected[decrypt(token, key)] = (client_id, doelgroep, koppeling, pip, route)
    held = sorted(c for c, _, t, *_ in rows if not t)
    assert sorted(c for _, c in report.held_back_ids) == held
    assert report.n_delivered == len(expected) > 0

    persons = persons_by_bsn(out)
    assert set(persons) == set(expected)
    exams = dict(query(demo_warehouse, """SELECT client_id, count(*) FROM raw_examens WHERE gemeente_code = $g
                                          AND datum_examen BETWEEN $s AND $e GROUP BY ALL""",
                       {"g": gemeente, "s": start, "e": end}))
    for bsn, (client_id, doelgroep, koppeling, pip, route) in expected.items():
        el = persons[bsn]
        assert elfproef(bsn)
        assert el.findtext("s:Doelgroep", namespaces=NS) == doelgroep
        has_koppeling = doelgroep == "asiel" and koppeling is not None and koppeling <= end
        assert (el.find("s:DatumKoppeling", NS) is not None) == has_koppeling
        has_pip = pip is not None and pip <= end
        assert (el.findtext("s:DatumPipInitieel", namespaces=NS) or None) == (pip.isoformat() if has_pip else None)
        assert (el.findtext("s:Leerroute/s:Initieel", namespaces=NS) or None) == (route if has_pip else None)
        assert len(el.findall("s:Examens/s:Examen", NS)) == exams.get(client_id, 0)
    by_group = {}
    for _, doelgroep, *_ in expected.values():
        by_group[doelgroep] = by_group.get(doelgroep, 0) + 1
    assert report.delivered == by_group
