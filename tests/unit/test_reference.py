"""Reference data: gemeenten, the remap of old codes, peer groups and the CBS refresh (offline, no network)."""
from __future__ import annotations

import copy
import csv
import json
import os
import re
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import requests

from pipelines.reference import cbs
from pipelines.reference.errors import CbsFormatError, CbsUnavailableError, ReferenceDataError
from pipelines.reference.gemeenten import (GEMEENTEN_COLUMNS, current_code, gemeente_code_rows, load_reference,
                                           normalise_code, read_gemeenten, read_herindelingen, size_class)
from pipelines.reference.groepen import GROEPEN_DIR, GROEPEN_ENV, load_groepen
from pipelines.settings import REFERENCE_DIR

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cbs" / "cbsodata_responses.json"
TWENTE = {"GM0141", "GM0147", "GM1774", "GM0153", "GM0158", "GM0163", "GM0164", "GM1735", "GM0168", "GM0173",
          "GM1742", "GM0183", "GM1700", "GM0189"}
# province counts as documented in data_contracts/reference/gemeenten_SOURCES.md
PROVINCES = {"Drenthe": 12, "Flevoland": 6, "Fryslân": 18, "Gelderland": 51, "Groningen": 10, "Limburg": 31,
             "Noord-Brabant": 56, "Noord-Holland": 44, "Overijssel": 25, "Utrecht": 26, "Zeeland": 13,
             "Zuid-Holland": 50}


@pytest.fixture(scope="module")
def con():
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(GROEPEN_ENV, raising=False)
        connection = duckdb.connect()
        load_reference(connection)
        yield connection
        connection.close()


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


# ---------------------------------------------------------------- ref_gemeenten
def test_342_current_gemeenten_with_unique_codes(con):
    assert one(con, "SELECT count(*) FROM ref_gemeenten") == 342
    assert one(con, "SELECT count(DISTINCT gemeente_code) FROM ref_gemeenten") == 342
    assert all(re.fullmatch(r"GM\d{4}", c) for (c,) in rows(con, "SELECT gemeente_code FROM ref_gemeenten"))


def test_population_total_is_cbs_1_january_2024(con):
    assert one(con, "SELECT sum(inwoners) FROM ref_gemeenten") == 17_942_942
    assert rows(con, "SELECT DISTINCT inwoners_peiljaar FROM ref_gemeenten") == [(2024,)]


def test_province_counts_as_in_sources(con):
    assert dict(rows(con, "SELECT provincie, count(*) FROM ref_gemeenten GROUP BY 1")) == PROVINCES


def test_province_and_arbeidsmarktregio_codes(con):
    pv = rows(con, "SELECT provincie_code, count(DISTINCT provincie) FROM ref_gemeenten GROUP BY 1 ORDER BY 1")
    assert [c for c, _ in pv] == [f"PV{n}" for n in range(20, 32)] and all(n == 1 for _, n in pv)
    am = rows(con, "SELECT arbeidsmarktregio_code, count(DISTINCT arbeidsmarktregio) FROM ref_gemeenten GROUP BY 1")
    assert len(am) == 35 and all(n == 1 for _, n in am)
    assert one(con, "SELECT count(DISTINCT arbeidsmarktregio) FROM ref_gemeenten") == 35
    sample = {r[0]: r[1:] for r in rows(con, "SELECT gemeente_code, provincie_code, provincie, arbeidsmarktregio_code, "
                                             "arbeidsmarktregio FROM ref_gemeenten")}
    assert sample["GM0141"] == ("PV23", "Overijssel", "AM05", "Twente")
    assert sample["GM0363"] == ("PV27", "Noord-Holland", "AM18", "Groot Amsterdam")
    assert sample["GM0106"] == ("PV22", "Drenthe", "AM01", "Groningen")
    assert sample["GM0034"] == ("PV24", "Flevoland", "AM11", "Flevoland")


def test_size_classes_follow_cbs_boundaries(con):
    assert size_class(4_999) == ("GK01", "< 5.000") and size_class(5_000)[0] == "GK02"
    assert size_class(49_999)[0] == "GK04" and size_class(50_000)[0] == "GK05"
    assert size_class(249_999)[0] == "GK07" and size_class(250_000) == ("GK08", "250.000 of meer")
    # the four gemeenten over 250 000 inhabitants (the G4)
    assert {c for (c,) in rows(con, "SELECT gemeente_code FROM ref_gemeenten WHERE grootteklasse_code = 'GK08'")} \
        == {"GM0363", "GM0599", "GM0518", "GM0344"}
    assert one(con, "SELECT count(*) FROM ref_gemeenten WHERE grootteklasse_code IS NULL OR grootteklasse IS NULL") == 0


def test_shipped_csv_has_the_refresh_columns():
    with open(REFERENCE_DIR / "gemeenten.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == GEMEENTEN_COLUMNS


# ---------------------------------------------------------------- ref_gemeente_codes / current_code
def test_every_current_code_maps_to_itself(con):
    assert one(con, "SELECT count(*) FROM ref_gemeenten g JOIN ref_gemeente_codes c "
                    "ON c.bron_code = g.gemeente_code AND c.gemeente_code = g.gemeente_code") == 342
    assert all(current_code(c) == c for (c,) in rows(con, "SELECT gemeente_code FROM ref_gemeenten"))


SINGLE_SUCCESSOR = sorted({(r["oude_gemeente_code"], r["nieuwe_gemeente_code"]) for r in read_herindelingen()
                           if r["oude_gemeente_code"] not in ("GM0053", "GM0788")})


@pytest.mark.parametrize(("old", "new"), SINGLE_SUCCESSOR)
def test_dissolved_code_maps_to_documented_successor(con, old, new):
    assert current_code(old) == new
    assert rows(con, "SELECT gemeente_code FROM ref_gemeente_codes WHERE bron_code = ?", [old]) == [(new,)]


def test_remap_examples_and_splits(con):
    assert len(SINGLE_SUCCESSOR) == 50
    assert current_code("GM0457") == "GM0363"                  # Weesp -> Amsterdam (2022-03-24)
    assert current_code("GM0501") == "GM1992"                  # Brielle -> Voorne aan Zee (2023)
    assert current_code("GM0053") == "GM1966"                  # Winsum, split: most inhabitants to Het Hogeland
    assert current_code("GM0788") is None                      # Haaren, split: no documented choice
    haaren = rows(con, "SELECT gemeente_code, gemeente_naam, toelichting FROM ref_gemeente_codes "
                       "WHERE bron_code = 'GM0788'")[0]
    assert haaren[:2] == (None, None) and "Niet omgezet" in haaren[2]
    assert one(con, "SELECT count(*) FROM ref_gemeente_codes") == 342 + 52
    assert one(con, "SELECT count(DISTINCT bron_code) FROM ref_gemeente_codes") == 342 + 52
    # every target is a current gemeente
    assert one(con, "SELECT count(*) FROM ref_gemeente_codes c LEFT JOIN ref_gemeenten g USING (gemeente_code) "
                    "WHERE c.gemeente_code IS NOT NULL AND g.gemeente_code IS NULL") == 0


def test_current_code_normalises_input():
    assert normalise_code(" gm0363 ") == "GM0363" and normalise_code(363) == "GM0363"
    assert current_code("0457") == "GM0363" and current_code(14) == "GM0014"
    for bad in (None, "", "GM9999", "Amsterdam", "GM12345", "PV27"):
        assert current_code(bad) is None


def test_a_split_without_a_choice_is_refused(tmp_path):
    for name in ("gemeenten.csv", "herindelingen.csv"):
        (tmp_path / name).write_bytes((REFERENCE_DIR / name).read_bytes())
    with open(REFERENCE_DIR / "splitsingen.csv", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("GM0788")]
    (tmp_path / "splitsingen.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"GM0788 is gesplitst over GM0757, GM0824, GM0855, GM0865"):
        gemeente_code_rows(tmp_path)


# ---------------------------------------------------------------- ref_groepen
def test_group_kinds(con):
    assert dict(rows(con, "SELECT groep_soort, count(DISTINCT groep_code) FROM ref_groepen GROUP BY 1")) == \
        {"provincie": 12, "arbeidsmarktregio": 35, "grootteklasse": 8, "regio": 3}
    assert rows(con, "SELECT DISTINCT groep_code FROM ref_groepen WHERE groep_soort = 'provincie' ORDER BY 1") == \
        [(f"PV{n}",) for n in range(20, 32)]
    assert rows(con, "SELECT DISTINCT groep_code FROM ref_groepen WHERE groep_soort = 'grootteklasse' ORDER BY 1") \
        == [(f"GK0{n}",) for n in range(1, 9)]


def test_twente_has_14_members_all_in_overijssel(con):
    members = rows(con, "SELECT r.gemeente_code, g.provincie FROM ref_groepen r JOIN ref_gemeenten g "
                        "USING (gemeente_code) WHERE r.groep_code = 'TWENTE'")
    assert {c for c, _ in members} == TWENTE and len(members) == 14
    assert {p for _, p in members} == {"Overijssel"}
    assert rows(con, "SELECT DISTINCT groep_soort, groep_naam FROM ref_groepen WHERE groep_code = 'TWENTE'") == \
        [("regio", "Twente (14 gemeenten)")]


def test_cooperation_groups_from_domain(con):
    def members(code):
        return {c for (c,) in rows(con, "SELECT gemeente_code FROM ref_groepen WHERE groep_code = ?", [code])}
    assert members("ASSEN_AA_EN_HUNZE_TYNAARLO") == {"GM0106", "GM1680", "GM1730"}
    assert members("DIEMEN_AMSTERDAM") == {"GM0384", "GM0363"}
    info = rows(con, "SELECT groep_code, bestand, aantal_gemeenten FROM ref_groep_definities "
                     "WHERE groep_soort = 'regio' ORDER BY 1")
    assert info == [("ASSEN_AA_EN_HUNZE_TYNAARLO", "assen_aa_en_hunze_tynaarlo.yaml", 3),
                    ("DIEMEN_AMSTERDAM", "diemen_amsterdam.yaml", 2), ("TWENTE", "twente.yaml", 14)]
    assert one(con, "SELECT count(*) FROM ref_groep_definities WHERE bron IS NULL") == 0


@pytest.mark.parametrize("soort", ["provincie", "arbeidsmarktregio", "grootteklasse"])
def test_every_gemeente_in_exactly_one_standard_group(con, soort):
    counts = rows(con, "SELECT g.gemeente_code, count(r.groep_code) FROM ref_gemeenten g LEFT JOIN ref_groepen r "
                       "ON r.gemeente_code = g.gemeente_code AND r.groep_soort = ? GROUP BY 1", [soort])
    assert len(counts) == 342 and {n for _, n in counts} == {1}


def test_group_members_and_codes_are_consistent(con):
    assert one(con, "SELECT count(*) FROM ref_groepen r LEFT JOIN ref_gemeenten g USING (gemeente_code) "
                    "WHERE g.gemeente_code IS NULL") == 0
    assert one(con, "SELECT count(*) FROM (SELECT groep_code FROM ref_groepen GROUP BY 1 "
                    "HAVING count(DISTINCT groep_soort) > 1 OR count(DISTINCT groep_naam) > 1)") == 0
    assert one(con, "SELECT count(*) FROM (SELECT groep_code, gemeente_code FROM ref_groepen GROUP BY 1, 2 "
                    "HAVING count(*) > 1)") == 0
    # the AMR group Twente is the same 14 gemeenten as the cooperation
    assert {c for (c,) in rows(con, "SELECT gemeente_code FROM ref_groepen WHERE groep_code = 'AM05'")} == TWENTE


def write_group(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_code_in_yaml_names_file_and_code(tmp_path, monkeypatch):
    write_group(tmp_path, "mijn_regio.yaml", "code: MIJN_REGIO\nnaam: Mijn regio\ngemeenten: [GM0141, GM9999]\n")
    monkeypatch.setenv(GROEPEN_ENV, str(tmp_path))
    con = duckdb.connect()
    with pytest.raises(ReferenceDataError, match=r"mijn_regio\.yaml: onbekende gemeentecode 'GM9999'"):
        load_reference(con)
    # checked before anything was written
    assert one(con, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'ref_%'") == 0


def test_dissolved_code_in_yaml_suggests_the_successor(tmp_path):
    write_group(tmp_path, "oud.yaml", "code: OUD\nnaam: Oud\ngemeenten: [GM0457]\n")
    with pytest.raises(ReferenceDataError, match=r"oud\.yaml: gemeentecode GM0457 bestaat niet meer.*GM0363"):
        load_groepen([tmp_path])


@pytest.mark.parametrize(("text", "message"), [
    ("naam: Zonder code\ngemeenten: [GM0141]\n", "veld 'code' ontbreekt"),
    ("code: ZONDER_NAAM\ngemeenten: [GM0141]\n", "veld 'naam' ontbreekt"),
    ("code: LEEG\nnaam: Leeg\ngemeenten: []\n", "niet-lege lijst"),
    ("code: kleine_letters\nnaam: X\ngemeenten: [GM0141]\n", "groepcode 'kleine_letters' is ongeldig"),
    ("code: GM0141\nnaam: X\ngemeenten: [GM0141]\n", "groepcode 'GM0141' is ongeldig"),
    ("code: GETAL\nnaam: X\ngemeenten: [141]\n", "141 moet als tekst"),
    ("code: DUBBEL\nnaam: X\ngemeenten: [GM0141, gm0141]\n", "GM0141 staat twee keer"),
    ("code: TIKFOUT\nnaam: X\ngemeente: [GM0141]\n", "onbekend veld gemeente"),
    ("code: [kapot\n", "geen leesbaar YAML"),
    ("- GM0141\n", "verwacht een YAML-object"),
])
def test_invalid_group_files_name_the_file(tmp_path, text, message):
    write_group(tmp_path, "fout.yaml", text)
    with pytest.raises(ReferenceDataError, match=rf"fout\.yaml: .*{re.escape(message)}"):
        load_groepen([tmp_path])


def test_user_folder_adds_groups_and_refuses_duplicate_codes(tmp_path, monkeypatch):
    write_group(tmp_path / "a", "noord.yml", "code: NOORD\nnaam: Noord\nbron: eigen keuze\n"
                                             "gemeenten: [GM0014, GM0106]\n")
    write_group(tmp_path / "b", "ook_twente.yaml", "code: TWENTE\nnaam: Nog eens\ngemeenten: [GM0141]\n")
    monkeypatch.setenv(GROEPEN_ENV, str(tmp_path / "a"))
    con = duckdb.connect()
    load_reference(con)
    assert rows(con, "SELECT groep_soort, gemeente_code FROM ref_groepen WHERE groep_code = 'NOORD' ORDER BY 2") == \
        [("regio", "GM0014"), ("regio", "GM0106")]
    monkeypatch.setenv(GROEPEN_ENV, os.pathsep.join([str(tmp_path / 'a'), str(tmp_path / 'b')]))
    duplicate = r"ook_twente\.yaml: groepcode TWENTE is al gebruikt in .*twente\.yaml"
    with pytest.raises(ReferenceDataError, match=duplicate):
        load_reference(con)
    monkeypatch.setenv(GROEPEN_ENV, str(tmp_path / "bestaat_niet"))
    with pytest.raises(ReferenceDataError, match=rf"{GROEPEN_ENV} noemt .*bestaat_niet"):
        load_reference(con)


def test_shipped_group_files_are_valid():
    assert sorted(p.name for p in GROEPEN_DIR.glob("*.yaml")) == \
        ["assen_aa_en_hunze_tynaarlo.yaml", "diemen_amsterdam.yaml", "twente.yaml"]
    assert len(load_groepen([GROEPEN_DIR])) == 12 + 35 + 8 + 3


def test_load_reference_twice_replaces_the_tables(con):
    load_reference(con)
    assert one(con, "SELECT count(*) FROM ref_gemeenten") == 342
    assert one(con, "SELECT count(*) FROM ref_herindelingen") == len(read_herindelingen())


# ---------------------------------------------------------------- CBS refresh (offline)
class FakeCbs:
    """Stands in for cbsodata.get_meta / get_data, answering from the JSON fixture as CBS would."""

    def __init__(self, fixture: dict):
        self.fixture = fixture
        self.calls: list[tuple] = []

    def get_meta(self, table_id, name, catalog_url=None, **kwargs):
        self.calls.append(("meta", table_id, name))
        return copy.deepcopy(self.fixture[table_id][name])

    def get_data(self, table_id, dir=None, typed=False, select=None, filters=None, catalog_url=None, **kwargs):
        self.calls.append(("data", table_id, filters))
        data = copy.deepcopy(self.fixture[table_id]["data"])
        period = re.search(r"Perioden eq '(\d{4})JJ00'", filters or "")
        if period:
            data = [r for r in data if r.get("Perioden") == period.group(1)]
        if filters and "startswith(RegioS,'GM')" in filters:
            data = [r for r in data if str(r.get("KoppelvariabeleRegioCode_316", "")).startswith("GM")]
        return [{k: r.get(k) for k in select} for r in data] if select else data


@pytest.fixture
def fake_cbs(monkeypatch):
    fake = FakeCbs(json.loads(FIXTURE.read_text(encoding="utf-8")))
    monkeypatch.setattr(cbs.cbsodata, "get_meta", fake.get_meta)
    monkeypatch.setattr(cbs.cbsodata, "get_data", fake.get_data)
    return fake


def read_rows(path: Path) -> tuple[list[str], dict[str, dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), {r["gemeente_code"]: r for r in reader}


def test_refresh_from_recorded_fixture_gives_the_same_columns(tmp_path, fake_cbs):
    path = cbs.refresh_from_cbs(tmp_path, now=datetime(2026, 5, 1, 12, 0))
    assert path == tmp_path / "gemeenten.csv"
    header, refreshed = read_rows(path)
    shipped_header, shipped = read_rows(REFERENCE_DIR / "gemeenten.csv")
    assert header == shipped_header == GEMEENTEN_COLUMNS
    assert list(refreshed) == sorted(refreshed) and len(refreshed) == 8
    for code, row in refreshed.items():
        assert {k: v for k, v in row.items() if k != "bron"} == \
            {k: v for k, v in shipped[code].items() if k != "bron"}, code
        assert row["bron"] == "cbs86247ned+cbs70072ned@2026-05-01"
    assert refreshed["GM0820"]["gemeente_naam"] == "Nuenen, Gerwen en Nederwetten"
    assert refreshed["GM1900"]["provincie"] == "Fryslân"
    note = (tmp_path / cbs.REFRESH_NOTE).read_text(encoding="utf-8")
    assert "provincie_code = `Code_28`" in note and "inwoners = `TotaleBevolking_1`" in note and "2024" in note
    assert len(read_gemeenten(tmp_path)) == 8        # the loader accepts the refreshed file
    assert cbs.main(["--out", str(tmp_path / "cli")]) == 0 and (tmp_path / "cli" / "gemeenten.csv").exists()


def test_refresh_reports_a_refused_request_as_a_format_error(tmp_path, fake_cbs, monkeypatch):
    def refused(*args, **kwargs):
        response = requests.Response()
        response.status_code = 400                      # falsy, as a real 4xx response is
        cause = requests.HTTPError("400 Client Error", response=response)
        raise requests.HTTPError("Downloading table '86247NED' failed. 400 Client Error") from cause

    monkeypatch.setattr(cbs.cbsodata, "get_data", refused)
    with pytest.raises(CbsFormatError, match="CBS weigerde het verzoek"):
        cbs.refresh_from_cbs(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_refresh_takes_the_latest_complete_year(tmp_path, fake_cbs):
    kern = fake_cbs.fixture["70072NED"]
    kern["Perioden"].append({"Key": "2025JJ00", "Title": "2025*"})
    kern["data"] += [{**r, "Perioden": "2025", "TotaleBevolking_1": None} for r in kern["data"][:4]]
    cbs.refresh_from_cbs(tmp_path)
    assert {r["inwoners_peiljaar"] for r in read_rows(tmp_path / "gemeenten.csv")[1].values()} == {"2024"}
    with pytest.raises(CbsFormatError, match="geen inwonertal over 2025"):
        cbs.refresh_from_cbs(tmp_path / "x", peiljaar=2025)
    with pytest.raises(CbsFormatError, match="geen cijfers over 2019"):
        cbs.refresh_from_cbs(tmp_path / "y", peiljaar=2019)


def test_refresh_finds_columns_by_value_when_titles_change(tmp_path, fake_cbs):
    props = fake_cbs.fixture["86247NED"]["DataProperties"]
    for p in props:
        if p["Title"] == "Provincies":
            p["Title"] = "Provincie-indeling (nieuw)"
    _, refreshed = read_rows(cbs.refresh_from_cbs(tmp_path))
    assert refreshed["GM0141"]["provincie_code"] == "PV23"
    for row in fake_cbs.fixture["86247NED"]["data"]:
        row["Code_28"] = "23"
    with pytest.raises(CbsFormatError, match="86247NED"):
        cbs.refresh_from_cbs(tmp_path / "x")


def test_refresh_without_network_gives_a_clear_error_and_writes_nothing(tmp_path, monkeypatch, capsys):
    def offline(*args, **kwargs):
        raise requests.exceptions.ConnectionError("Failed to resolve 'opendata.cbs.nl'")

    monkeypatch.setattr(cbs.cbsodata, "get_meta", offline)
    monkeypatch.setattr(cbs.cbsodata, "get_data", offline)
    with pytest.raises(CbsUnavailableError, match="CBS open data is niet bereikbaar"):
        cbs.refresh_from_cbs(tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert cbs.main(["--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fout: CBS open data is niet bereikbaar") and "Traceback" not in err
