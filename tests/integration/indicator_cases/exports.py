"""Hand-built canonical exports for the indicator correctness tests.

Every person is written down here with only the fields its theme needs; the expected indicator values in
test_indicator_correctness.py are worked out by hand from these rows and docs/indicators.md.

Three deliveries:
- ``oud``       GM0384 Diemen, peildatum 2025-06-30 (an older snapshot, loaded first)
- ``nieuw``     seven gemeenten in ONE file per type, peildatum D = 2025-09-30 (GM0384 Diemen, GM0141 Almelo,
                GM0153 Enschede, GM0164 Hengelo, GM0173 Oldenzaal, GM0034 Almere, GM0014 Groningen)
- ``amsterdam`` GM0363 Amsterdam, peildatum D = 2026-06-30 (another file, another peildatum)

One gemeente per theme keeps the hand calculations small:
  Diemen     instroom, period boundaries, snapshots, Wi2013, instroom_per_1000_inwoners
  Almelo     wachttijd_huisvesting, doorlooptijd_pip, pip_binnen_10_weken, welkomgesprek, ontzorgen
  Enschede   leerroute_aandeel, afschaling_a2, leerroute_schakelingen, z_route_vrijwilligerswerk_3mnd,
             vrijwilligerswerk_plaatsingen
  Hengelo    examen_geslaagd, examen_eerste_poging, diploma_b1
  Oldenzaal  diploma_b1 deadlines (12/24/36 months) on D and on D + 1
  Almere     voldaan / map / pvt binnen termijn, z_route_uren, termijn_verstreken, voortgangsgesprekken
  Groningen  brede_intake, activiteit_deelname, duaal, ontheffingen
"""
from __future__ import annotations

from pathlib import Path

from tests.conftest import write_csv

D_NIEUW = "2025-09-30"
D_OUD = "2025-06-30"
D_AMSTERDAM = "2026-06-30"

P_HEADER = [
    "peildatum", "gemeente_code", "client_id", "doelgroep", "datum_plicht", "datum_koppeling",
    "datum_huisvesting", "datum_inschrijving_brp", "datum_welkomgesprek", "datum_start_brede_intake",
    "datum_pip_initieel", "leerroute_initieel", "leerroute_actueel", "datum_wijziging_leerroute",
    "afschaling_a2", "bijstand", "datum_start_ontzorgen", "datum_einde_ontzorgen", "map_status",
    "datum_map_afgerond", "pvt_status", "datum_pvt_afgerond", "datum_voldaan", "datum_ontheffing",
    "reden_ontheffing", "datum_uitstroom", "reden_uitstroom",
]
E_HEADER = ["peildatum", "gemeente_code", "client_id", "onderdeel", "niveau", "datum_examen", "resultaat", "poging"]
A_HEADER = ["peildatum", "gemeente_code", "client_id", "soort", "datum_start", "datum_einde", "uren_per_week"]
G_HEADER = ["peildatum", "gemeente_code", "client_id", "datum_gesprek", "soort"]
U_HEADER = ["peildatum", "gemeente_code", "client_id", "maand", "uren_taal", "uren_participatie"]

# Short aliases for the person fields below
ALIAS = {"kop": "datum_koppeling", "huis": "datum_huisvesting", "brp": "datum_inschrijving_brp",
         "welkom": "datum_welkomgesprek", "intake": "datum_start_brede_intake", "pip": "datum_pip_initieel",
         "route": "leerroute_initieel", "actueel": "leerroute_actueel", "wijziging": "datum_wijziging_leerroute",
         "a2": "afschaling_a2", "ontz_start": "datum_start_ontzorgen", "ontz_einde": "datum_einde_ontzorgen",
         "map": "map_status", "map_datum": "datum_map_afgerond", "pvt": "pvt_status",
         "pvt_datum": "datum_pvt_afgerond", "voldaan": "datum_voldaan", "ontheffing": "datum_ontheffing",
         "reden": "reden_ontheffing", "uitstroom": "datum_uitstroom", "reden_uit": "reden_uitstroom"}


def person(gm: str, cid: str, doelgroep: str, plicht: str, **fields) -> dict:
    row = {"gemeente_code": gm, "client_id": cid, "doelgroep": doelgroep, "datum_plicht": plicht}
    for key, value in fields.items():
        row[ALIAS.get(key, key)] = value
    return row


# --------------------------------------------------------------------------------------------------
# GM0384 Diemen — instroom, boundaries, snapshots, Wi2013 (D = 2025-09-30; older snapshot 2025-06-30)
# --------------------------------------------------------------------------------------------------
DIEMEN = "GM0384"
DIEMEN_NIEUW = [
    # asiel: instroomdatum = koppeling 2024-12-31 (Q4 2024), although BRP is 2025-01-01
    person(DIEMEN, "D01", "asiel", "2024-12-15", kop="2024-12-31", huis="2025-03-31", brp="2025-01-01"),
    # gezin: instroomdatum = BRP 2025-01-01 (first day of 2025-Q1); the old snapshot had BRP 2024-11-11
    person(DIEMEN, "D02", "gezin", "2024-12-20", brp="2025-01-01"),
    # overig without BRP: instroomdatum falls back to plicht 2024-12-31 (last day of 2024)
    person(DIEMEN, "D03", "overig", "2024-12-31"),
    # asiel without koppeling: instroomdatum = BRP 2025-03-31 (last day of 2025-Q1)
    person(DIEMEN, "D04", "asiel", "2025-03-01", brp="2025-03-31"),
    # asiel without koppeling and BRP: instroomdatum = plicht 2025-04-01 (first day of 2025-Q2)
    person(DIEMEN, "D05", "asiel", "2025-04-01"),
    # Wi2013 (plicht 2021-12-31): never counted, although BRP 2022-01-05 lies in 2022-Q1
    person(DIEMEN, "D06", "gezin", "2021-12-31", brp="2022-01-05"),
    # plicht 2022-01-01: Wi2021, counted; instroom 2022-01-01
    person(DIEMEN, "D07", "overig", "2022-01-01", brp="2022-01-01"),
    # instroom on the peildatum itself (2025-09-30, last day of the last period)
    person(DIEMEN, "D08", "gezin", "2025-09-30", brp="2025-09-30"),
    # plicht 2023-06-30 but instroom (BRP) 2023-07-01 → 2023-Q3, not Q2
    person(DIEMEN, "D09", "overig", "2023-06-30", brp="2023-07-01"),
]
DIEMEN_OUD = [
    person(DIEMEN, "D02", "gezin", "2024-10-01", brp="2024-11-11"),
    person(DIEMEN, "OLD1", "gezin", "2023-04-01", brp="2023-05-05"),   # gone in the newer snapshot
    person(DIEMEN, "D07", "overig", "2022-01-01", brp="2022-01-01"),
]
DIEMEN_EXAMENS_OUD = [
    [D_OUD, DIEMEN, "D02", "knm", "", "2025-05-01", "geslaagd", "1"],
    [D_OUD, DIEMEN, "OLD1", "lezen", "B1", "2023-06-01", "geslaagd", "1"],
]
DIEMEN_EXAMENS_NIEUW = [
    [D_NIEUW, DIEMEN, "D02", "knm", "", "2025-08-01", "gezakt", "1"],
]

# --------------------------------------------------------------------------------------------------
# GM0141 Almelo — asiel timing, PIP timing, welkomgesprek, ontzorgen (D = 2025-09-30)
# --------------------------------------------------------------------------------------------------
ALMELO = "GM0141"
ALMELO_P = [
    # wachttijd huisvesting (huisvesting − koppeling)
    person(ALMELO, "A01", "asiel", "2024-01-10", kop="2024-01-10", huis="2024-04-01"),   # 82 days, 2024-Q2
    person(ALMELO, "A02", "asiel", "2024-03-01", kop="2024-03-01", huis="2024-06-30"),   # 121 days, 2024-Q2 (last day)
    person(ALMELO, "A03", "asiel", "2024-05-01", kop="2024-05-01", huis="2024-05-11"),   # 10 days, 2024-Q2
    person(ALMELO, "A04", "asiel", "2024-02-01", kop="2024-02-01", huis="2024-04-15"),   # 74 days, 2024-Q2
    person(ALMELO, "A05", "asiel", "2024-04-01", huis="2024-06-15"),                    # no koppeling: excluded
    person(ALMELO, "A06", "gezin", "2024-04-01", kop="2024-04-01", huis="2024-04-02"),   # not asiel: excluded
    person(ALMELO, "A07", "asiel", "2024-06-01", kop="2024-06-01", huis="2024-07-01"),   # 30 days, 2024-Q3 (first day)
    # PIP timing (pip − brp; brp + 70 ≤ D)
    person(ALMELO, "B01", "gezin", "2025-01-01", brp="2025-01-10", pip="2025-03-21", route="B1"),   # 70 days
    person(ALMELO, "B02", "overig", "2025-01-01", brp="2025-01-10", pip="2025-03-22", route="B1"),  # 71 days
    person(ALMELO, "B03", "asiel", "2025-01-01", brp="2025-02-01"),                                 # no PIP yet
    person(ALMELO, "B04", "gezin", "2025-07-01", brp="2025-07-22", pip="2025-08-01", route="B1"),   # brp+70 = D
    person(ALMELO, "B05", "gezin", "2025-07-01", brp="2025-07-23", pip="2025-07-30", route="B1"),   # brp+70 = D+1
    person(ALMELO, "B06", "gezin", "2021-12-31", brp="2025-01-15", pip="2025-02-01", route="B1"),   # Wi2013
    person(ALMELO, "B07", "overig", "2025-01-05", pip="2025-03-01", route="B1"),                    # no BRP date
    # welkomgesprek (koppeling + 42 ≤ D)
    person(ALMELO, "C01", "asiel", "2025-08-01", kop="2025-08-19", welkom="2025-09-30"),  # +42 = D; talk on the day
    person(ALMELO, "C02", "asiel", "2025-08-01", kop="2025-08-20", welkom="2025-08-25"),  # +42 = D+1: censored
    person(ALMELO, "C03", "asiel", "2025-07-01", kop="2025-07-01", welkom="2025-08-13"),  # +42 = 08-12: one day late
    person(ALMELO, "C04", "asiel", "2025-06-01", kop="2025-06-01"),                       # +42 = 07-13: no talk
    # ontzorgen
    person(ALMELO, "E01", "asiel", "2023-01-01", brp="2023-03-01", bijstand="ja", ontz_start="2023-04-01"),
    person(ALMELO, "E02", "asiel", "2023-01-01", brp="2023-03-15", bijstand="ja"),
    person(ALMELO, "E03", "asiel", "2023-01-01", brp="2023-02-01", bijstand="nee", ontz_start="2023-03-01",
           ontz_einde="2023-08-31"),
    person(ALMELO, "E04", "gezin", "2023-01-01", brp="2023-01-20", bijstand="ja", ontz_start="2023-02-01",
           ontz_einde="2023-12-31"),
    person(ALMELO, "F01", "asiel", "2025-01-01", ontz_start="2025-03-31", ontz_einde="2026-03-31"),  # planned end
    person(ALMELO, "F02", "asiel", "2025-01-01", ontz_start="2025-04-01"),
]

# --------------------------------------------------------------------------------------------------
# GM0153 Enschede — leerroute, afschaling, schakelingen, Z-route vrijwilligerswerk (D = 2025-09-30)
# --------------------------------------------------------------------------------------------------
ENSCHEDE = "GM0153"
ENSCHEDE_P = [
    person(ENSCHEDE, "L01", "gezin", "2024-01-15", pip="2024-04-01", route="B1", a2="ja", actueel="Z",
           wijziging="2025-02-01"),
    person(ENSCHEDE, "L02", "overig", "2024-01-15", pip="2024-06-30", route="B1", a2="nee"),
    person(ENSCHEDE, "L03", "asiel", "2024-01-15", pip="2024-05-05", route="Z", actueel="Z", wijziging="2025-03-31"),
    person(ENSCHEDE, "L04", "asiel", "2024-01-15", pip="2024-07-01", route="ONDERWIJS", actueel="B1",
           wijziging="2025-03-31"),
    person(ENSCHEDE, "L05", "gezin", "2021-12-31", pip="2024-05-01", route="Z", actueel="B1",
           wijziging="2025-02-15"),   # Wi2013
    person(ENSCHEDE, "L06", "overig", "2024-01-15", pip="2024-05-10", route="B1"),   # afschaling_a2 empty
    person(ENSCHEDE, "Z01", "gezin", "2024-10-01", pip="2025-01-01", route="Z"),
    person(ENSCHEDE, "Z02", "overig", "2024-10-01", pip="2025-01-01", route="Z"),
    person(ENSCHEDE, "Z03", "asiel", "2024-10-01", pip="2025-07-01", route="Z"),
    person(ENSCHEDE, "Z04", "asiel", "2024-10-01", pip="2025-07-02", route="Z"),
    person(ENSCHEDE, "Z05", "gezin", "2024-10-01", pip="2025-01-01", route="B1"),
]
ENSCHEDE_A = [
    [D_NIEUW, ENSCHEDE, "Z01", "vrijwilligerswerk", "2025-04-02", "", "8"],   # pip + 91 exactly
    [D_NIEUW, ENSCHEDE, "Z02", "vrijwilligerswerk", "2025-04-03", "", "8"],   # pip + 92
    [D_NIEUW, ENSCHEDE, "Z02", "betaald_werk", "2025-02-01", "", "20"],       # not vrijwilligerswerk
    [D_NIEUW, ENSCHEDE, "Z03", "vrijwilligerswerk", "2025-06-01", "", "8"],   # before the PIP
    [D_NIEUW, ENSCHEDE, "Z04", "vrijwilligerswerk", "2025-07-05", "", "8"],
    [D_NIEUW, ENSCHEDE, "Z05", "vrijwilligerswerk", "2025-01-15", "2025-06-30", "4"],
    [D_NIEUW, ENSCHEDE, "L02", "vrijwilligerswerk", "2024-12-31", "", "4"],   # last day of 2024
    [D_NIEUW, ENSCHEDE, "L01", "vrijwilligerswerk", "2025-01-01", "", "4"],   # first day of 2025
    [D_NIEUW, ENSCHEDE, "L05", "vrijwilligerswerk", "2025-03-01", "", "4"],   # Wi2013 person
]

# --------------------------------------------------------------------------------------------------
# GM0164 Hengelo — examens and diploma_b1 (D = 2025-09-30)
# --------------------------------------------------------------------------------------------------
HENGELO = "GM0164"
HENGELO_P = [
    person(HENGELO, "H01", "gezin", "2024-01-01", pip="2024-09-30", route="B1"),    # +365 = 2025-09-30 = D
    person(HENGELO, "H02", "asiel", "2024-01-01", pip="2024-10-01", route="B1"),    # +365 = 2025-10-01 > D
    person(HENGELO, "H03", "overig", "2024-01-01", pip="2024-07-01", route="B1"),   # +365 = 2025-07-01
    person(HENGELO, "H04", "gezin", "2024-01-01", pip="2024-08-01", route="B1"),    # +365 = 2025-08-01
    person(HENGELO, "H05", "gezin", "2023-01-01", pip="2023-08-15", route="B1"),    # +730 = 2025-08-14
    person(HENGELO, "H06", "overig", "2023-01-01", pip="2023-07-20", route="B1"),   # +730 = 2025-07-19
    person(HENGELO, "H07", "asiel", "2022-01-15", pip="2022-03-01", route="B1"),    # +1095 = 2025-02-28
    person(HENGELO, "H08", "asiel", "2022-01-15", pip="2022-02-10", route="B1"),    # +1095 = 2025-02-09
    person(HENGELO, "X01", "gezin", "2023-01-01"),
    person(HENGELO, "X02", "asiel", "2023-01-01"),
    person(HENGELO, "X03", "overig", "2021-06-01"),   # Wi2013
]


def _five(cid: str, datum: str, knm_result: str = "geslaagd", niveau: str = "B1") -> list[list]:
    return ([[D_NIEUW, HENGELO, cid, part, niveau, datum, "geslaagd", "1"]
             for part in ("lezen", "luisteren", "schrijven", "spreken")]
            + [[D_NIEUW, HENGELO, cid, "knm", "", datum, knm_result, "1"]])


HENGELO_E = [
    [D_NIEUW, HENGELO, "H01", "lezen", "B1", "2025-03-01", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H01", "luisteren", "B1", "2025-03-01", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H01", "schrijven", "B2", "2025-04-01", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H01", "spreken", "B1", "2025-09-30", "geslaagd", "1"],   # on the 12-month deadline
    [D_NIEUW, HENGELO, "H01", "knm", "", "2025-05-01", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H02", "lezen", "B1", "2025-03-01", "geslaagd", "1"],
    *_five("H03", "2025-02-01", knm_result="gezakt"),
    [D_NIEUW, HENGELO, "H03", "knm", "", "2025-07-02", "geslaagd", "2"],          # one day after the deadline
    [D_NIEUW, HENGELO, "H04", "lezen", "A2", "2025-03-03", "geslaagd", "1"],      # A2: not enough for B1
    [D_NIEUW, HENGELO, "H04", "luisteren", "B1", "2025-03-03", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H04", "schrijven", "B1", "2025-03-03", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H04", "spreken", "B1", "2025-03-03", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "H04", "knm", "", "2025-03-03", "geslaagd", "1"],
    *_five("H05", "2024-06-01"),
    *[r for r in _five("H06", "2024-01-10") if r[3] != "knm"],
    [D_NIEUW, HENGELO, "H06", "knm", "", "2025-09-01", "geslaagd", "1"],
    *_five("H07", "2024-12-01"),
    # exam-only persons, all attempts in 2023-Q4 / 2024-Q1
    [D_NIEUW, HENGELO, "X01", "lezen", "B1", "2023-10-01", "gezakt", "1"],         # first day of Q4
    [D_NIEUW, HENGELO, "X01", "lezen", "B1", "2023-12-31", "geslaagd", "2"],       # last day of Q4
    [D_NIEUW, HENGELO, "X01", "knm", "", "2023-11-15", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "X01", "spreken", "B1", "2023-11-20", "niet_verschenen", "1"],
    [D_NIEUW, HENGELO, "X02", "lezen", "A2", "2023-12-01", "gezakt", "1"],
    [D_NIEUW, HENGELO, "X02", "knm", "", "2023-10-15", "gezakt", ""],              # poging unknown
    [D_NIEUW, HENGELO, "X02", "schrijven", "B1", "2024-01-01", "geslaagd", "1"],
    [D_NIEUW, HENGELO, "X03", "lezen", "B1", "2023-11-01", "geslaagd", "1"],       # Wi2013 person
]

# GM0173 Oldenzaal — diploma_b1 deadlines exactly on D and one day after D (D = 2025-09-30)
#   O1 PIP 2023-10-01: +365 = 2024-09-30, +730 = 2025-09-30 = D   (24 calendar months: 2025-10-01)
#   O2 PIP 2022-10-01: +365 = 2023-10-01, +1095 = 2025-09-30 = D  (36 calendar months: 2025-10-01)
#   O3 PIP 2023-10-02: +365 = 2024-10-01, +730 = 2025-10-01 = D + 1
#   O4 PIP 2022-10-02: +1095 = 2025-10-01 = D + 1
OLDENZAAL = "GM0173"
OLDENZAAL_P = [person(OLDENZAAL, cid, "gezin", "2022-06-01", pip=pip, route="B1")
               for cid, pip in (("O1", "2023-10-01"), ("O2", "2022-10-01"), ("O3", "2023-10-02"),
                                ("O4", "2022-10-02"))]
OLDENZAAL_E = [[D_NIEUW, OLDENZAAL, cid, part, "" if part == "knm" else "B1", "2024-01-15", "geslaagd", "1"]
               for cid in ("O1", "O2", "O3", "O4") for part in ("lezen", "luisteren", "schrijven", "spreken", "knm")]

# --------------------------------------------------------------------------------------------------
# GM0034 Almere — the 3-year term (D = 2025-09-30)
# --------------------------------------------------------------------------------------------------
ALMERE = "GM0034"
ALMERE_P = [
    person(ALMERE, "T01", "gezin", "2022-01-10", pip="2022-09-30", route="B1", voldaan="2025-09-30",
           map="voldaan", map_datum="2025-01-10", pvt="voldaan", pvt_datum="2025-09-30"),   # term end = D
    person(ALMERE, "T02", "overig", "2022-01-10", pip="2022-10-01", route="B1", voldaan="2025-05-01"),  # D+1
    person(ALMERE, "T03", "asiel", "2022-01-10", pip="2022-07-01", route="B1", map="vrijgesteld",
           pvt="niet_voldaan", ontheffing="2025-09-30", reden="medisch"),
    person(ALMERE, "T04", "asiel", "2022-01-10", pip="2022-08-15", route="B1", voldaan="2025-08-16",
           map="voldaan", map_datum="2025-08-16", pvt="vrijgesteld"),
    person(ALMERE, "T05", "gezin", "2022-01-10", pip="2022-02-28", route="B1", voldaan="2024-12-31",
           map="lopend", pvt="voldaan"),   # pvt voldaan without a date
    person(ALMERE, "T06", "overig", "2022-01-10", pip="2022-01-20", route="B1", uitstroom="2025-01-19",
           reden_uit="verhuisd"),           # left one day before the term end
    person(ALMERE, "T07", "overig", "2022-01-10", pip="2022-01-25", route="B1", uitstroom="2025-01-25",
           reden_uit="verhuisd"),           # left on the day of the term end
    person(ALMERE, "U01", "gezin", "2022-01-10", pip="2022-06-30", route="Z"),
    person(ALMERE, "U02", "overig", "2022-01-10", pip="2022-05-15", route="Z"),
    person(ALMERE, "U03", "asiel", "2022-01-10", pip="2022-10-01", route="Z"),
    person(ALMERE, "U04", "asiel", "2022-01-10", pip="2022-03-20", route="Z"),
    person(ALMERE, "V01", "gezin", "2024-06-01", pip="2024-09-30", route="B1"),
    person(ALMERE, "V02", "overig", "2024-06-01", pip="2024-10-01", route="B1"),
    person(ALMERE, "V03", "asiel", "2024-06-01", pip="2024-07-15", route="B1"),
    person(ALMERE, "V04", "asiel", "2024-06-01", pip="2024-08-01", route="B1"),
]
ALMERE_U = [
    [D_NIEUW, ALMERE, "U01", "2024-01", "500", "300"],
    [D_NIEUW, ALMERE, "U01", "2025-05", "300", "400"],
    [D_NIEUW, ALMERE, "U01", "2025-07", "100", "200"],    # after the term end (2025-06-30)
    [D_NIEUW, ALMERE, "U02", "2023-03", "799.5", "1000"],
    [D_NIEUW, ALMERE, "U03", "2024-01", "900", "900"],
    [D_NIEUW, ALMERE, "U04", "2025-02", "700", "0"],
    [D_NIEUW, ALMERE, "U04", "2025-03", "100", ""],       # the month holding the term end (2025-03-20)
]
ALMERE_G = [
    [D_NIEUW, ALMERE, "V01", "2024-09-30", "voortgang"],   # on the PIP date: not after it
    [D_NIEUW, ALMERE, "V01", "2025-01-15", "voortgang"],
    [D_NIEUW, ALMERE, "V01", "2025-09-30", "voortgang"],   # on pip + 365
    [D_NIEUW, ALMERE, "V03", "2024-08-01", "voortgang"],
    [D_NIEUW, ALMERE, "V03", "2024-09-01", "intake"],
    [D_NIEUW, ALMERE, "V04", "2024-09-01", "voortgang"],
    [D_NIEUW, ALMERE, "V04", "2024-12-01", "voortgang"],
    [D_NIEUW, ALMERE, "V04", "2025-08-02", "voortgang"],   # pip + 366
]

# --------------------------------------------------------------------------------------------------
# GM0014 Groningen — brede intake, stock figures, ontheffingen (D = 2025-09-30)
# --------------------------------------------------------------------------------------------------
GRONINGEN = "GM0014"
GRONINGEN_P = [
    person(GRONINGEN, "G01", "gezin", "2024-01-01", intake="2024-12-31", voldaan="2025-03-31"),
    person(GRONINGEN, "G02", "overig", "2024-12-31", intake="2025-01-01"),
    person(GRONINGEN, "G03", "asiel", "2024-06-01", uitstroom="2025-03-31", reden_uit="vertrokken"),
    person(GRONINGEN, "G04", "asiel", "2025-02-01", intake="2025-09-30", ontheffing="2025-06-30", reden="medisch"),
    person(GRONINGEN, "G05", "gezin", "2025-03-01", ontheffing="2025-04-01"),   # reden empty → onbekend
    person(GRONINGEN, "G06", "gezin", "2021-12-31", intake="2022-02-01", ontheffing="2025-05-01",
           reden="medisch"),   # Wi2013
    person(GRONINGEN, "J01", "gezin", "2024-03-01", pip="2024-06-01", route="B1"),
    person(GRONINGEN, "J02", "overig", "2024-03-01", pip="2024-06-01", route="Z", actueel="ONDERWIJS",
           wijziging="2024-09-01"),
    person(GRONINGEN, "J03", "asiel", "2024-03-01", pip="2024-06-01", route="B1", actueel="Z",
           wijziging="2024-10-01", ontheffing="2025-05-05", reden="aantoonbare_inspanning"),
    person(GRONINGEN, "J04", "asiel", "2024-03-01", pip="2024-12-31", route="ONDERWIJS", ontheffing="2025-07-01",
           reden="overig"),
    person(GRONINGEN, "J05", "gezin", "2024-03-01", pip="2025-01-01", route="B1"),
]
GRONINGEN_A = [
    [D_NIEUW, GRONINGEN, "G01", "stage", "2024-10-01", "2024-12-31", "16"],
    [D_NIEUW, GRONINGEN, "G02", "taalmaatje", "2024-12-31", "", "2"],
    [D_NIEUW, GRONINGEN, "G03", "vrijwilligerswerk", "2025-01-01", "2025-03-30", "8"],
    [D_NIEUW, GRONINGEN, "G06", "vrijwilligerswerk", "2024-01-01", "", "8"],   # Wi2013 person
    [D_NIEUW, GRONINGEN, "J01", "betaald_werk", "2024-11-01", "", "24"],
    [D_NIEUW, GRONINGEN, "J02", "betaald_werk", "2024-12-31", "2024-12-31", "8"],
    [D_NIEUW, GRONINGEN, "J03", "betaald_werk", "2024-07-01", "", "24"],
    [D_NIEUW, GRONINGEN, "J04", "vrijwilligerswerk", "2024-12-01", "2025-03-31", "8"],
    [D_NIEUW, GRONINGEN, "J05", "betaald_werk", "2024-12-01", "", "32"],
]

# --------------------------------------------------------------------------------------------------
# GM0363 Amsterdam — another file, another peildatum (D = 2026-06-30)
# --------------------------------------------------------------------------------------------------
AMSTERDAM = "GM0363"
AMSTERDAM_P = [
    person(AMSTERDAM, "M01", "gezin", "2026-06-30", brp="2026-06-30"),
    person(AMSTERDAM, "M02", "asiel", "2022-03-01", kop="2022-03-15"),
]


def _personen_rows(peildatum: str, persons: list[dict]) -> list[list]:
    return [[peildatum if col == "peildatum" else p.get(col, "") for col in P_HEADER] for p in persons]


def write_exports(root: Path) -> dict[str, Path]:
    """Write the three deliveries under `root`; return their folders."""
    oud, nieuw, adam = root / "oud", root / "nieuw", root / "amsterdam"
    write_csv(oud / "personen.csv", P_HEADER, _personen_rows(D_OUD, DIEMEN_OUD))
    write_csv(oud / "examens.csv", E_HEADER, DIEMEN_EXAMENS_OUD)

    everyone = DIEMEN_NIEUW + ALMELO_P + ENSCHEDE_P + HENGELO_P + OLDENZAAL_P + ALMERE_P + GRONINGEN_P
    write_csv(nieuw / "personen.csv", P_HEADER, _personen_rows(D_NIEUW, everyone))
    write_csv(nieuw / "examens.csv", E_HEADER, DIEMEN_EXAMENS_NIEUW + HENGELO_E + OLDENZAAL_E, sep=";")
    write_csv(nieuw / "activiteiten.csv", A_HEADER, ENSCHEDE_A + GRONINGEN_A)
    write_csv(nieuw / "gesprekken.csv", G_HEADER, ALMERE_G)
    write_csv(nieuw / "uren.csv", U_HEADER, ALMERE_U)

    write_csv(adam / "personen.csv", P_HEADER, _personen_rows(D_AMSTERDAM, AMSTERDAM_P))
    return {"oud": oud, "nieuw": nieuw, "amsterdam": adam}
