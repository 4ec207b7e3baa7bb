"""Correctness of every indicator in docs/indicators.md, checked against hand-calculated answers.

The exports (tests/integration/indicator_cases/exports.py) are tiny and built by hand; every expected
teller / noemer / waarde below is worked out from those rows and the written definitions alone (never from
the engine's SQL). Arithmetic is in the comments. Where the definition leaves room for more than one
reading, the comment says `READING:` and which reading the expectation follows.

Two loads into one module-scoped warehouse:
  1. oud/        GM0384 Diemen, peildatum 2025-06-30 (older snapshot)
  2. nieuw/ + amsterdam/   seven gemeenten at D = 2025-09-30 in one file per type, plus GM0363 Amsterdam at
                            D = 2026-06-30 in another file
"""
from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.cli import main
from pipelines.load import load_paths
from tests.conftest import query
from tests.integration.indicator_cases.exports import (ALMELO, ALMERE, AMSTERDAM, DIEMEN, ENSCHEDE, GRONINGEN,
                                                       HENGELO, OLDENZAAL, write_exports)

TODAY = date(2026, 11, 23)
REPO = Path(__file__).resolve().parents[2]
COLUMNS = ["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]
DOELGROEPEN = ("alle", "asiel", "gezin", "overig")
ALL_GEMEENTEN = (DIEMEN, ALMELO, ENSCHEDE, HENGELO, OLDENZAAL, ALMERE, GRONINGEN, AMSTERDAM)


def periods(last_year: int, last_quarter: int) -> set[str]:
    """Every period from 2022 up to the one holding the peildatum."""
    out = {str(y) for y in range(2022, last_year + 1)}
    out |= {f"{y}-Q{q}" for y in range(2022, last_year + 1) for q in range(1, 5)
            if (y, q) <= (last_year, last_quarter)}
    return out


PERIODS = {g: periods(2025, 3) for g in ALL_GEMEENTEN}   # D = 2025-09-30 → 2022 … 2025, 2022-Q1 … 2025-Q3
PERIODS[AMSTERDAM] = periods(2026, 2)                      # D = 2026-06-30 → 2022 … 2026, 2022-Q1 … 2026-Q2


# ------------------------------------------------------------------------------------------------------
# fixtures
# ------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("indicator_cases")
    folders = write_exports(root)
    wh = root / "warehouse.duckdb"
    first = load_paths([folders["oud"]], wh, today=TODAY)
    # force: the newer snapshot halves GM0384's two exam rows, over the 30 % guard of issue 12
    second = load_paths([folders["nieuw"], folders["amsterdam"]], wh, force=True, today=TODAY)
    return wh, [first, second]


@pytest.fixture(scope="module")
def warehouse(loaded) -> Path:
    return loaded[0]


@pytest.fixture(scope="module")
def mart(warehouse) -> dict:
    """(indicator, gemeente, periode, doelgroep, categorie or '') → list of (teller, noemer, waarde)."""
    rows = defaultdict(list)
    for ind, gm, per, dg, cat, teller, noemer, waarde in query(warehouse, f"SELECT {', '.join(COLUMNS)} "
                                                                         "FROM mart_indicatoren"):
        rows[(ind, gm, per, dg, cat or "")].append((teller, noemer, waarde))
    return rows


# ------------------------------------------------------------------------------------------------------
# expected cells
# ------------------------------------------------------------------------------------------------------
def count(ind, gm, per, dg, n, cat=""):
    """A count: teller = waarde = n, noemer empty."""
    return pytest.param(ind, gm, per, dg, cat, ("count", n, None, n), id=f"{ind}-{gm}-{per}-{dg}-{cat}")


def share(ind, gm, per, dg, teller, noemer, waarde, cat=""):
    """A share: waarde is written out by hand (to 0.01) and must equal 100 × teller / noemer."""
    assert abs(100 * teller / noemer - waarde) < 0.01, "hand arithmetic slip in the test itself"
    return pytest.param(ind, gm, per, dg, cat, ("share", teller, noemer, waarde), id=f"{ind}-{gm}-{per}-{dg}-{cat}")


def median(ind, gm, per, dg, n, value, cat=""):
    """A median: teller empty, noemer = number of cases, waarde = the median."""
    return pytest.param(ind, gm, per, dg, cat, ("median", None, n, value), id=f"{ind}-{gm}-{per}-{dg}-{cat}")


def absent(ind, gm, per, dg, cat=""):
    """No row (a share or median without cases)."""
    return pytest.param(ind, gm, per, dg, cat, None, id=f"{ind}-{gm}-{per}-{dg}-{cat}-absent")


CASES = [
    # ==================================================================================================
    # instroom (count) — Diemen, D = 2025-09-30 (newer snapshot; the older one held OLD1 and another D02)
    # instroomdatum: asiel koppeling, else BRP, else plicht; gezin/overig BRP, else plicht.
    #   D01 asiel  koppeling 2024-12-31 (BRP 2025-01-01 ignored)        → 2024-Q4
    #   D02 gezin  BRP 2025-01-01 (old snapshot: 2024-11-11, ignored)    → 2025-Q1
    #   D03 overig no BRP → plicht 2024-12-31                            → 2024-Q4
    #   D04 asiel  no koppeling → BRP 2025-03-31                         → 2025-Q1
    #   D05 asiel  no koppeling, no BRP → plicht 2025-04-01              → 2025-Q2
    #   D06 gezin  Wi2013 (plicht 2021-12-31)                            → never
    #   D07 overig plicht 2022-01-01 (Wi2021), BRP 2022-01-01            → 2022-Q1
    #   D08 gezin  BRP 2025-09-30 = D                                    → 2025-Q3
    #   D09 overig BRP 2023-07-01 (plicht 2023-06-30)                    → 2023-Q3
    # ==================================================================================================
    count("instroom", DIEMEN, "2024-Q4", "alle", 2),       # D01 + D03
    count("instroom", DIEMEN, "2024-Q4", "asiel", 1),      # D01 (koppeling 31 Dec, not BRP 1 Jan)
    count("instroom", DIEMEN, "2024-Q4", "gezin", 0),      # old-snapshot D02 (BRP 2024-11-11) must be gone
    count("instroom", DIEMEN, "2024-Q4", "overig", 1),     # D03 via plicht fallback
    count("instroom", DIEMEN, "2024", "alle", 2),
    count("instroom", DIEMEN, "2025-Q1", "alle", 2),       # D02 (1 Jan) + D04 (31 Mar)
    count("instroom", DIEMEN, "2025-Q1", "gezin", 1),
    count("instroom", DIEMEN, "2025-Q1", "asiel", 1),
    count("instroom", DIEMEN, "2025-Q2", "asiel", 1),      # D05 (1 Apr, plicht fallback)
    count("instroom", DIEMEN, "2025-Q2", "alle", 1),
    count("instroom", DIEMEN, "2025-Q3", "gezin", 1),      # D08 on D
    count("instroom", DIEMEN, "2025", "alle", 4),          # D02, D04, D05, D08
    count("instroom", DIEMEN, "2025", "asiel", 2),         # D04, D05
    count("instroom", DIEMEN, "2025", "gezin", 2),         # D02, D08
    count("instroom", DIEMEN, "2025", "overig", 0),
    count("instroom", DIEMEN, "2022-Q1", "alle", 1),       # D07 only; D06 (Wi2013, BRP 2022-01-05) not counted
    count("instroom", DIEMEN, "2022-Q1", "gezin", 0),
    count("instroom", DIEMEN, "2022-Q1", "overig", 1),
    count("instroom", DIEMEN, "2023-Q2", "alle", 0),       # OLD1 (old snapshot only) must be gone; D09 is Q3
    count("instroom", DIEMEN, "2023-Q3", "overig", 1),     # D09
    count("instroom", DIEMEN, "2023", "alle", 1),
    count("instroom", DIEMEN, "2024-Q1", "alle", 0),       # a period without events still has a row
    # Amsterdam, D = 2026-06-30: M02 asiel koppeling 2022-03-15; M01 gezin BRP 2026-06-30 = D
    count("instroom", AMSTERDAM, "2022-Q1", "asiel", 1),
    count("instroom", AMSTERDAM, "2026-Q2", "alle", 1),
    count("instroom", AMSTERDAM, "2026", "gezin", 1),
    count("instroom", AMSTERDAM, "2025-Q4", "alle", 0),    # exists for Amsterdam (its D is later), count 0

    # ==================================================================================================
    # wachttijd_huisvesting_mediaan — asiel with huisvesting in the period and a koppeling (Almelo)
    #   A01 2024-04-01 − 2024-01-10 = 21 + 29 (Feb 2024) + 31 + 1 = 82
    #   A02 2024-06-30 − 2024-03-01 = 30 + 30 + 31 + 30 = 121
    #   A03 2024-05-11 − 2024-05-01 = 10
    #   A04 2024-04-15 − 2024-02-01 = 28 + 31 + 15 = 74
    #   A05 no koppeling → excluded; A06 gezin → excluded
    #   A07 2024-07-01 − 2024-06-01 = 30 (2024-Q3, first day)
    # ==================================================================================================
    median("wachttijd_huisvesting_mediaan", ALMELO, "2024-Q2", "asiel", 4, 78.0),   # 10, 74, 82, 121 → (74+82)/2
    median("wachttijd_huisvesting_mediaan", ALMELO, "2024-Q2", "alle", 4, 78.0),    # alle = asiel only here
    absent("wachttijd_huisvesting_mediaan", ALMELO, "2024-Q2", "gezin"),            # A06 is gezin: not in scope
    median("wachttijd_huisvesting_mediaan", ALMELO, "2024-Q3", "alle", 1, 30.0),
    median("wachttijd_huisvesting_mediaan", ALMELO, "2024", "alle", 5, 74.0),       # 10, 30, 74, 82, 121
    absent("wachttijd_huisvesting_mediaan", ALMELO, "2024-Q1", "alle"),
    # Diemen D01: 2025-03-31 − 2024-12-31 = 31 + 28 + 31 = 90
    median("wachttijd_huisvesting_mediaan", DIEMEN, "2025-Q1", "asiel", 1, 90.0),

    # ==================================================================================================
    # brede_intake_gestart_pct — cohort: plicht in the year; teller: intake ≤ min(31 Dec, D); years only
    # Groningen:
    #   2024 cohort: G01 gezin (plicht 1 Jan, intake 2024-12-31 ✓), G02 overig (plicht 31 Dec, intake
    #   2025-01-01 ✗), G03 asiel ✗, J01 gezin ✗, J02 overig ✗, J03 asiel ✗, J04 asiel ✗, J05 gezin ✗
    #   2025 cohort: G04 asiel (intake 2025-09-30 = D ✓), G05 gezin ✗;  G06 Wi2013 never
    # ==================================================================================================
    share("brede_intake_gestart_pct", GRONINGEN, "2024", "alle", 1, 8, 12.5),
    share("brede_intake_gestart_pct", GRONINGEN, "2024", "gezin", 1, 3, 33.33),   # G01, J01, J05
    share("brede_intake_gestart_pct", GRONINGEN, "2024", "overig", 0, 2, 0.0),    # G02 (plicht 31 Dec), J02
    share("brede_intake_gestart_pct", GRONINGEN, "2024", "asiel", 0, 3, 0.0),
    share("brede_intake_gestart_pct", GRONINGEN, "2025", "alle", 1, 2, 50.0),     # peildatum of 2025 = D
    share("brede_intake_gestart_pct", GRONINGEN, "2025", "asiel", 1, 1, 100.0),
    absent("brede_intake_gestart_pct", GRONINGEN, "2022", "alle"),                # only G06 (Wi2013)
    absent("brede_intake_gestart_pct", GRONINGEN, "2024-Q1", "alle"),             # years only
    # Diemen 2024 cohort: D01, D02 (new plicht 2024-12-20), D03 (plicht 31 Dec) → 0/3; 2023: D09 only
    # (OLD1, plicht 2023-04-01, is only in the old snapshot) → 0/1
    share("brede_intake_gestart_pct", DIEMEN, "2024", "alle", 0, 3, 0.0),
    share("brede_intake_gestart_pct", DIEMEN, "2023", "alle", 0, 1, 0.0),

    # ==================================================================================================
    # pip_binnen_10_weken_pct — BRP in the period and BRP + 70 ≤ D; teller PIP ≤ BRP + 70 (Almelo)
    #   B01 gezin  BRP 2025-01-10, +70 = 2025-03-21, PIP 2025-03-21 ✓ (on the norm)
    #   B02 overig BRP 2025-01-10, PIP 2025-03-22 ✗ (71 days)
    #   B03 asiel  BRP 2025-02-01, +70 = 2025-04-12, no PIP ✗
    #   B04 gezin  BRP 2025-07-22, +70 = 2025-09-30 = D → in; PIP 2025-08-01 ✓
    #   B05 gezin  BRP 2025-07-23, +70 = 2025-10-01 > D → not in the population
    #   B06 Wi2013 → never
    # ==================================================================================================
    share("pip_binnen_10_weken_pct", ALMELO, "2025-Q1", "alle", 1, 3, 33.33),
    share("pip_binnen_10_weken_pct", ALMELO, "2025-Q1", "gezin", 1, 1, 100.0),    # B06 (Wi2013 gezin) not in
    share("pip_binnen_10_weken_pct", ALMELO, "2025-Q1", "overig", 0, 1, 0.0),
    share("pip_binnen_10_weken_pct", ALMELO, "2025-Q1", "asiel", 0, 1, 0.0),
    share("pip_binnen_10_weken_pct", ALMELO, "2025-Q3", "alle", 1, 1, 100.0),     # B04 only (B05 censored)
    share("pip_binnen_10_weken_pct", ALMELO, "2025", "alle", 2, 4, 50.0),
    # E01..E04 have BRP 2023-01-20 … 2023-03-15 and no PIP: 0 of 4
    share("pip_binnen_10_weken_pct", ALMELO, "2023-Q1", "alle", 0, 4, 0.0),
    absent("pip_binnen_10_weken_pct", ALMELO, "2025-Q2", "alle"),

    # ==================================================================================================
    # doorlooptijd_pip_mediaan — PIP in the period and a BRP date; median(PIP − BRP) (Almelo)
    #   B01 70 (gezin, Q1), B02 71 (overig, Q1), B04 10 (gezin, Q3), B05 7 (gezin, Q3; no censoring here)
    #   B06 Wi2013 excluded; B07 (PIP 2025-03-01) has no BRP → excluded from the median
    # ==================================================================================================
    median("doorlooptijd_pip_mediaan", ALMELO, "2025-Q1", "alle", 2, 70.5),        # (70 + 71) / 2
    median("doorlooptijd_pip_mediaan", ALMELO, "2025-Q3", "alle", 2, 8.5),         # (7 + 10) / 2
    median("doorlooptijd_pip_mediaan", ALMELO, "2025", "alle", 4, 40.0),           # 7, 10, 70, 71 → (10+70)/2
    median("doorlooptijd_pip_mediaan", ALMELO, "2025", "gezin", 3, 10.0),          # 7, 10, 70
    median("doorlooptijd_pip_mediaan", ALMELO, "2025", "overig", 1, 71.0),         # B07 (no BRP) not a case
    absent("doorlooptijd_pip_mediaan", ALMELO, "2025", "asiel"),

    # ==================================================================================================
    # leerroute_aandeel_pct — PIP in the period, share per leerroute_initieel (Enschede)
    #   2024-Q2: L01 gezin B1 (1 Apr), L02 overig B1 (30 Jun), L03 asiel Z, L06 overig B1; L05 Wi2013 out
    #   2024-Q3: L04 asiel ONDERWIJS (1 Jul)
    #   2025-Q1: Z01 gezin Z, Z02 overig Z, Z05 gezin B1
    # ==================================================================================================
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "alle", 3, 4, 75.0, cat="B1"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "alle", 0, 4, 0.0, cat="ONDERWIJS"),   # row with 0
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "alle", 1, 4, 25.0, cat="Z"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "gezin", 1, 1, 100.0, cat="B1"),      # L05 not counted
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "gezin", 0, 1, 0.0, cat="Z"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "asiel", 1, 1, 100.0, cat="Z"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q3", "alle", 1, 1, 100.0, cat="ONDERWIJS"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024-Q3", "alle", 0, 1, 0.0, cat="B1"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024", "alle", 3, 5, 60.0, cat="B1"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024", "alle", 1, 5, 20.0, cat="ONDERWIJS"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2024", "alle", 1, 5, 20.0, cat="Z"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2025-Q1", "alle", 1, 3, 33.33, cat="B1"),
    share("leerroute_aandeel_pct", ENSCHEDE, "2025-Q1", "alle", 2, 3, 66.67, cat="Z"),
    absent("leerroute_aandeel_pct", ENSCHEDE, "2024-Q1", "alle", cat="B1"),
    absent("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "overig", cat="bogus"),   # sanity: no stray categories

    # ==================================================================================================
    # voortgangsgesprekken_norm_pct — PIP + 365 in the period and ≤ D; ≥ 2 voortgang with PIP < date ≤ PIP+365
    # (Almere)
    #   V01 gezin PIP 2024-09-30, +365 = 2025-09-30 = D; voortgang 2024-09-30 (not > PIP), 2025-01-15,
    #       2025-09-30 (= PIP + 365) → 2 ✓
    #   V02 overig PIP 2024-10-01, +365 = 2025-10-01 > D → not in the population
    #   V03 asiel PIP 2024-07-15, +365 = 2025-07-15; voortgang 2024-08-01 + an intake → 1 ✗
    #   V04 asiel PIP 2024-08-01, +365 = 2025-08-01; voortgang 2024-09-01, 2024-12-01 (2025-08-02 too late) ✓
    #   2023-Q3: T03 (2023-07-01), T04 (2023-08-15), T01 (2023-09-30) have no talks → 0 of 3
    # ==================================================================================================
    share("voortgangsgesprekken_norm_pct", ALMERE, "2025-Q3", "alle", 2, 3, 66.67),
    share("voortgangsgesprekken_norm_pct", ALMERE, "2025-Q3", "asiel", 1, 2, 50.0),
    share("voortgangsgesprekken_norm_pct", ALMERE, "2025-Q3", "gezin", 1, 1, 100.0),
    absent("voortgangsgesprekken_norm_pct", ALMERE, "2025-Q3", "overig"),
    share("voortgangsgesprekken_norm_pct", ALMERE, "2023-Q3", "alle", 0, 3, 0.0),
    # 2023-Q1: T06 (2023-01-20), T07 (2023-01-25), T05 (2022-02-28 + 365 = 2023-02-28), U04 (2023-03-20)
    share("voortgangsgesprekken_norm_pct", ALMERE, "2023-Q1", "alle", 0, 4, 0.0),

    # ==================================================================================================
    # examen_geslaagd_pct — attempts (geslaagd/gezakt) in the period, per onderdeel and 'alle' (Hengelo)
    #   2023-Q4: X01 lezen gezakt (1 Oct), X01 lezen geslaagd (31 Dec), X01 knm geslaagd,
    #            X02 lezen A2 gezakt, X02 knm gezakt;  X01 spreken niet_verschenen → not an attempt;
    #            X03 (Wi2013) lezen geslaagd → excluded.  READING: every niveau counts (X02 lezen A2).
    # ==================================================================================================
    share("examen_geslaagd_pct", HENGELO, "2023-Q4", "alle", 2, 5, 40.0, cat="alle"),
    share("examen_geslaagd_pct", HENGELO, "2023-Q4", "alle", 1, 3, 33.33, cat="lezen"),
    share("examen_geslaagd_pct", HENGELO, "2023-Q4", "alle", 1, 2, 50.0, cat="knm"),
    share("examen_geslaagd_pct", HENGELO, "2023-Q4", "gezin", 2, 3, 66.67, cat="alle"),
    share("examen_geslaagd_pct", HENGELO, "2023-Q4", "asiel", 0, 2, 0.0, cat="alle"),
    absent("examen_geslaagd_pct", HENGELO, "2023-Q4", "alle", cat="spreken"),    # only niet_verschenen
    absent("examen_geslaagd_pct", HENGELO, "2023-Q4", "overig", cat="alle"),     # only the Wi2013 person
    share("examen_geslaagd_pct", HENGELO, "2023", "alle", 2, 5, 40.0, cat="alle"),
    absent("examen_geslaagd_pct", HENGELO, "2023-Q3", "alle", cat="alle"),
    # 2025-Q1: H01 lezen+luisteren (2), H02 lezen (1), H03 4 language ✓ + knm gezakt (5), H04 5 ✓ → 12/13
    share("examen_geslaagd_pct", HENGELO, "2025-Q1", "alle", 12, 13, 92.31, cat="alle"),
    share("examen_geslaagd_pct", HENGELO, "2025-Q1", "alle", 1, 2, 50.0, cat="knm"),      # H03 ✗, H04 ✓
    # Diemen snapshots: the old snapshot's attempts (D02 knm geslaagd 2025-05-01, OLD1 lezen 2023-06-01)
    # must be gone; the new one has D02 knm gezakt 2025-08-01
    absent("examen_geslaagd_pct", DIEMEN, "2025-Q2", "alle", cat="alle"),
    absent("examen_geslaagd_pct", DIEMEN, "2023-Q2", "alle", cat="alle"),
    share("examen_geslaagd_pct", DIEMEN, "2025-Q3", "gezin", 0, 1, 0.0, cat="knm"),

    # ==================================================================================================
    # voldaan_binnen_termijn_pct — term end (PIP + 3 years) in the period and ≤ D; voldaan ≤ term end (Almere)
    #   T05 gezin  end 2025-02-28, voldaan 2024-12-31 ✓      T06 overig end 2025-01-20 ✗ (left 2025-01-19)
    #   T07 overig end 2025-01-25 ✗                          U04 asiel  end 2025-03-20 ✗
    #   U01 gezin  end 2025-06-30 ✗                          U02 overig end 2025-05-15 ✗
    #   T01 gezin  end 2025-09-30 = D, voldaan 2025-09-30 ✓  T03 asiel  end 2025-07-01 ✗
    #   T04 asiel  end 2025-08-15, voldaan 2025-08-16 ✗ (a day late)
    #   T02 / U03 end 2025-10-01 > D → not in any population
    #   READING: the definition does not drop people who left (T06, T07 stay in the noemer).
    # ==================================================================================================
    share("voldaan_binnen_termijn_pct", ALMERE, "2025-Q3", "alle", 1, 3, 33.33),
    share("voldaan_binnen_termijn_pct", ALMERE, "2025-Q3", "gezin", 1, 1, 100.0),
    share("voldaan_binnen_termijn_pct", ALMERE, "2025-Q3", "asiel", 0, 2, 0.0),
    absent("voldaan_binnen_termijn_pct", ALMERE, "2025-Q3", "overig"),             # T02 censored (D + 1)
    share("voldaan_binnen_termijn_pct", ALMERE, "2025-Q1", "gezin", 1, 1, 100.0),
    share("voldaan_binnen_termijn_pct", ALMERE, "2025-Q1", "alle", 1, 4, 25.0),    # T05, T06, T07, U04
    share("voldaan_binnen_termijn_pct", ALMERE, "2025-Q2", "alle", 0, 2, 0.0),     # U01, U02
    share("voldaan_binnen_termijn_pct", ALMERE, "2025", "alle", 2, 9, 22.22),
    absent("voldaan_binnen_termijn_pct", ALMERE, "2024", "alle"),

    # ==================================================================================================
    # vrijwilligerswerk_plaatsingen (count) — vrijwilligerswerk activities by datum_start (Enschede)
    #   L02 overig 2024-12-31; L01 gezin 2025-01-01; Z05 gezin 2025-01-15; Z01 gezin 2025-04-02;
    #   Z02 overig 2025-04-03; Z03 asiel 2025-06-01; Z04 asiel 2025-07-05; L05 (Wi2013) 2025-03-01 → never;
    #   Z02 betaald_werk → not vrijwilligerswerk
    # ==================================================================================================
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2024-Q4", "alle", 1),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2024-Q4", "overig", 1),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2024", "alle", 1),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025-Q1", "alle", 2),      # L01 (1 Jan), Z05; not L05
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025-Q1", "gezin", 2),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025-Q1", "asiel", 0),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025-Q2", "alle", 3),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025-Q3", "asiel", 1),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025", "alle", 6),
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025", "gezin", 3),        # L01, Z05, Z01
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025", "asiel", 2),        # Z03, Z04
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2025", "overig", 1),       # Z02
    count("vrijwilligerswerk_plaatsingen", ENSCHEDE, "2023-Q1", "alle", 0),
    # Groningen: G03 2025-01-01, J04 2024-12-01 (G06 Wi2013 2024-01-01 not counted)
    count("vrijwilligerswerk_plaatsingen", GRONINGEN, "2024", "alle", 1),
    count("vrijwilligerswerk_plaatsingen", GRONINGEN, "2024-Q1", "gezin", 0),

    # ==================================================================================================
    # z_route_vrijwilligerswerk_3mnd_pct — Z-route, PIP + 91 in the period and ≤ D;
    # a vrijwilligerswerk activity with start ≤ PIP + 91 (Enschede)
    #   Z01 gezin  PIP 2025-01-01, +91 = 2025-04-02; vrijwilligerswerk 2025-04-02 ✓ (on the deadline)
    #   Z02 overig PIP 2025-01-01; vrijwilligerswerk 2025-04-03 ✗ (betaald_werk does not count)
    #   Z03 asiel  PIP 2025-07-01, +91 = 2025-09-30 = D; vrijwilligerswerk 2025-06-01 ✓
    #       READING: an activity that started before the PIP counts (only "start ≤ PIP + 91" is required)
    #   Z04 asiel  PIP 2025-07-02, +91 = 2025-10-01 > D → not in the population
    #   Z05 B1 → not in scope.   L03 asiel Z PIP 2024-05-05, +91 = 2024-08-04, no activity ✗
    # ==================================================================================================
    share("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2025-Q2", "alle", 1, 2, 50.0),
    share("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2025-Q2", "gezin", 1, 1, 100.0),
    share("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2025-Q2", "overig", 0, 1, 0.0),
    share("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2025-Q3", "asiel", 1, 1, 100.0),
    share("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2025", "alle", 2, 3, 66.67),
    share("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2024-Q3", "asiel", 0, 1, 0.0),
    absent("z_route_vrijwilligerswerk_3mnd_pct", ENSCHEDE, "2025-Q1", "alle"),

    # ==================================================================================================
    # welkomgesprek_binnen_6_weken_pct — asiel, koppeling + 42 in the period and ≤ D (Almelo)
    #   C01 koppeling 2025-08-19, +42 = 2025-09-30 = D, welkom 2025-09-30 ✓
    #   C02 koppeling 2025-08-20, +42 = 2025-10-01 > D → censored (although its talk was in time)
    #   C03 koppeling 2025-07-01, +42 = 2025-08-12, welkom 2025-08-13 ✗
    #   C04 koppeling 2025-06-01, +42 = 2025-07-13, no welkom ✗
    #   2024-Q1: A01 (+42 = 2024-02-21), A04 (+42 = 2024-03-14), no talks → 0 of 2
    # ==================================================================================================
    share("welkomgesprek_binnen_6_weken_pct", ALMELO, "2025-Q3", "alle", 1, 3, 33.33),
    share("welkomgesprek_binnen_6_weken_pct", ALMELO, "2025-Q3", "asiel", 1, 3, 33.33),
    absent("welkomgesprek_binnen_6_weken_pct", ALMELO, "2025-Q3", "gezin"),
    share("welkomgesprek_binnen_6_weken_pct", ALMELO, "2024-Q1", "alle", 0, 2, 0.0),
    # 2024-Q2: A02 (2024-04-12), A03 (2024-06-12); A06 is gezin → 0 of 2
    share("welkomgesprek_binnen_6_weken_pct", ALMELO, "2024-Q2", "alle", 0, 2, 0.0),

    # ==================================================================================================
    # leerroute_schakelingen (count per new route) — wijziging in the period and actueel ≠ initieel (Enschede)
    #   L01 gezin B1 → Z   2025-02-01 ✓     L04 asiel ONDERWIJS → B1 2025-03-31 ✓ (last day of Q1)
    #   L03 Z → Z (no switch) ✗               L05 Wi2013 Z → B1 ✗
    # ==================================================================================================
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "alle", 1, cat="B1"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "alle", 0, cat="ONDERWIJS"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "alle", 1, cat="Z"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "asiel", 1, cat="B1"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "asiel", 0, cat="Z"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "gezin", 1, cat="Z"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q1", "gezin", 0, cat="B1"),    # L05 (Wi2013) not counted
    count("leerroute_schakelingen", ENSCHEDE, "2025", "alle", 1, cat="Z"),
    count("leerroute_schakelingen", ENSCHEDE, "2025-Q2", "alle", 0, cat="B1"),
    # Groningen: J02 Z → ONDERWIJS 2024-09-01 (overig), J03 B1 → Z 2024-10-01 (asiel)
    count("leerroute_schakelingen", GRONINGEN, "2024-Q3", "overig", 1, cat="ONDERWIJS"),
    count("leerroute_schakelingen", GRONINGEN, "2024-Q4", "asiel", 1, cat="Z"),
    count("leerroute_schakelingen", GRONINGEN, "2024", "alle", 1, cat="ONDERWIJS"),

    # ==================================================================================================
    # afschaling_a2_pct — B1 route, PIP in the period; afschaling_a2 = ja (Enschede)
    #   2024-Q2: L01 gezin ja ✓, L02 overig nee ✗, L06 overig empty ✗ (READING: empty is not 'ja')
    # ==================================================================================================
    share("afschaling_a2_pct", ENSCHEDE, "2024-Q2", "alle", 1, 3, 33.33),
    share("afschaling_a2_pct", ENSCHEDE, "2024-Q2", "gezin", 1, 1, 100.0),
    share("afschaling_a2_pct", ENSCHEDE, "2024-Q2", "overig", 0, 2, 0.0),
    absent("afschaling_a2_pct", ENSCHEDE, "2024-Q2", "asiel"),                    # L03 is Z
    absent("afschaling_a2_pct", ENSCHEDE, "2024-Q3", "alle"),                     # L04 ONDERWIJS
    share("afschaling_a2_pct", ENSCHEDE, "2025-Q1", "alle", 0, 1, 0.0),           # Z05

    # ==================================================================================================
    # ontzorgen_gestart_pct — asiel with bijstand = ja and BRP in the period; start_ontzorgen known (Almelo)
    #   2023-Q1: E01 (BRP 03-01, start ✓), E02 (BRP 03-15, no start ✗); E03 bijstand nee, E04 gezin → out
    # ==================================================================================================
    share("ontzorgen_gestart_pct", ALMELO, "2023-Q1", "asiel", 1, 2, 50.0),
    share("ontzorgen_gestart_pct", ALMELO, "2023-Q1", "alle", 1, 2, 50.0),
    share("ontzorgen_gestart_pct", ALMELO, "2023", "alle", 1, 2, 50.0),
    absent("ontzorgen_gestart_pct", ALMELO, "2023-Q1", "gezin"),
    absent("ontzorgen_gestart_pct", ALMELO, "2023-Q2", "alle"),

    # ==================================================================================================
    # ontzorgen_verlengd_pct — start + 183 in the period and ≤ D; einde empty or > start + 183 (Almelo)
    #   E03 asiel start 2023-03-01, +183 = 2023-08-31, einde 2023-08-31 ✗ (not after)
    #   E04 gezin start 2023-02-01, +183 = 2023-08-03, einde 2023-12-31 ✓
    #   E01 asiel start 2023-04-01, +183 = 2023-10-01 (Q4), einde empty ✓
    #   F01 asiel start 2025-03-31, +183 = 2025-09-30 = D, einde 2026-03-31 (planned) ✓
    #   F02 asiel start 2025-04-01, +183 = 2025-10-01 > D → not in the population
    # ==================================================================================================
    share("ontzorgen_verlengd_pct", ALMELO, "2023-Q3", "alle", 1, 2, 50.0),
    share("ontzorgen_verlengd_pct", ALMELO, "2023-Q3", "asiel", 0, 1, 0.0),
    share("ontzorgen_verlengd_pct", ALMELO, "2023-Q3", "gezin", 1, 1, 100.0),
    share("ontzorgen_verlengd_pct", ALMELO, "2023-Q4", "asiel", 1, 1, 100.0),
    share("ontzorgen_verlengd_pct", ALMELO, "2023", "alle", 2, 3, 66.67),
    share("ontzorgen_verlengd_pct", ALMELO, "2025-Q3", "alle", 1, 1, 100.0),
    share("ontzorgen_verlengd_pct", ALMELO, "2025", "alle", 1, 1, 100.0),
    absent("ontzorgen_verlengd_pct", ALMELO, "2025-Q2", "alle"),

    # ==================================================================================================
    # map_binnen_termijn_pct — term end in the period and ≤ D, map_status not vrijgesteld;
    # map voldaan and datum_map_afgerond ≤ term end (Almere)
    #   2025-Q3: T01 voldaan 2025-01-10 ✓; T03 vrijgesteld → out; T04 afgerond 2025-08-16 > end 08-15 ✗
    #   2025-Q1: T05 lopend ✗, T06 ✗, T07 ✗, U04 ✗ (empty status: not vrijgesteld, so in the noemer)
    #   2025: T05, T06, T07, U04, U01, U02, T01, T04 (8; T03 out) → T01 only
    # ==================================================================================================
    share("map_binnen_termijn_pct", ALMERE, "2025-Q3", "alle", 1, 2, 50.0),
    share("map_binnen_termijn_pct", ALMERE, "2025-Q3", "asiel", 0, 1, 0.0),
    share("map_binnen_termijn_pct", ALMERE, "2025-Q3", "gezin", 1, 1, 100.0),
    share("map_binnen_termijn_pct", ALMERE, "2025-Q1", "alle", 0, 4, 0.0),
    share("map_binnen_termijn_pct", ALMERE, "2025", "alle", 1, 8, 12.5),

    # ==================================================================================================
    # pvt_binnen_termijn_pct — as map, with pvt_status / datum_pvt_afgerond (Almere)
    #   2025-Q3: T01 voldaan 2025-09-30 = end ✓; T03 niet_voldaan ✗; T04 vrijgesteld → out
    #   2025-Q1: T05 voldaan WITHOUT a date ✗ (READING: no date → not ≤ term end), T06, T07, U04 ✗
    #   2025: 9 − T04 = 8 → T01 only
    # ==================================================================================================
    share("pvt_binnen_termijn_pct", ALMERE, "2025-Q3", "alle", 1, 2, 50.0),
    share("pvt_binnen_termijn_pct", ALMERE, "2025-Q3", "asiel", 0, 1, 0.0),
    share("pvt_binnen_termijn_pct", ALMERE, "2025-Q1", "alle", 0, 4, 0.0),
    share("pvt_binnen_termijn_pct", ALMERE, "2025-Q1", "gezin", 0, 1, 0.0),
    share("pvt_binnen_termijn_pct", ALMERE, "2025", "alle", 1, 8, 12.5),

    # ==================================================================================================
    # examen_eerste_poging_pct — attempts with poging = 1 (Hengelo, 2023-Q4)
    #   X01 lezen gezakt p1 ✗, X01 knm geslaagd p1 ✓, X02 lezen gezakt p1 ✗;
    #   X01 lezen geslaagd p2 → out; X02 knm poging empty → out (READING: unknown poging is not 1);
    #   X01 spreken niet_verschenen → out; X03 Wi2013 → out
    # ==================================================================================================
    share("examen_eerste_poging_pct", HENGELO, "2023-Q4", "alle", 1, 3, 33.33, cat="alle"),
    share("examen_eerste_poging_pct", HENGELO, "2023-Q4", "alle", 0, 2, 0.0, cat="lezen"),
    share("examen_eerste_poging_pct", HENGELO, "2023-Q4", "alle", 1, 1, 100.0, cat="knm"),
    share("examen_eerste_poging_pct", HENGELO, "2023-Q4", "gezin", 1, 2, 50.0, cat="alle"),
    share("examen_eerste_poging_pct", HENGELO, "2023-Q4", "asiel", 0, 1, 0.0, cat="alle"),
    # 2025-Q3: H01 spreken p1 ✓ (09-30), H03 knm p2 → out, H06 knm p1 ✓ (09-01), D? (Hengelo only) → 2/2
    share("examen_eerste_poging_pct", HENGELO, "2025-Q3", "alle", 2, 2, 100.0, cat="alle"),

    # ==================================================================================================
    # diploma_b1_pct — B1 route, PIP + N months in the period and ≤ D; lezen/luisteren/schrijven/spreken
    # passed at B1/B2 and knm passed, all ≤ PIP + N months (Hengelo)
    #   12 (365 days), 2025-Q3:
    #     H01 gezin PIP 2024-09-30, +365 = 2025-09-30 = D; 4 parts (schrijven B2) + knm, spreken on 09-30 ✓
    #     H02 asiel PIP 2024-10-01, +365 = 2025-10-01 > D → out
    #     H03 overig +365 = 2025-07-01; knm gezakt 2025-02-01, geslaagd 2025-07-02 (a day late) ✗
    #     H04 gezin  +365 = 2025-08-01; lezen only at A2 ✗
    #   24 (730 days), 2025-Q3: H05 gezin (+730 = 2025-08-14) all passed 2024-06-01 ✓;
    #                           H06 overig (+730 = 2025-07-19) knm only on 2025-09-01 ✗
    #   36 (1095 days), 2025-Q1: H07 asiel (+1095 = 2025-02-28) all passed 2024-12-01 ✓; H08 (2025-02-09) ✗
    #   NB the expectations hold for both readings of 24/36 months (730/1095 days or calendar months):
    #   every deadline lies in the same quarter and no exam is near it.
    # ==================================================================================================
    share("diploma_b1_pct", HENGELO, "2025-Q3", "alle", 1, 3, 33.33, cat="12"),
    share("diploma_b1_pct", HENGELO, "2025-Q3", "gezin", 1, 2, 50.0, cat="12"),
    share("diploma_b1_pct", HENGELO, "2025-Q3", "overig", 0, 1, 0.0, cat="12"),
    absent("diploma_b1_pct", HENGELO, "2025-Q3", "asiel", cat="12"),
    share("diploma_b1_pct", HENGELO, "2025-Q3", "alle", 1, 2, 50.0, cat="24"),
    absent("diploma_b1_pct", HENGELO, "2025-Q3", "alle", cat="36"),
    share("diploma_b1_pct", HENGELO, "2025-Q1", "asiel", 1, 2, 50.0, cat="36"),
    share("diploma_b1_pct", HENGELO, "2025-Q1", "alle", 1, 2, 50.0, cat="36"),
    # 12 months, 2024-Q3: H05 (+365 = 2024-08-14) ✓, H06 (+365 = 2024-07-19; knm 2025) ✗
    share("diploma_b1_pct", HENGELO, "2024-Q3", "alle", 1, 2, 50.0, cat="12"),
    # 24 months, 2024-Q1: H07 (+730 = 2024-02-29), H08 (2024-02-10); exams only 2024-12-01 → 0 of 2
    share("diploma_b1_pct", HENGELO, "2024-Q1", "alle", 0, 2, 0.0, cat="24"),
    # Oldenzaal (all gezin, all five parts passed 2024-01-15): deadlines on D and on D + 1
    #   12 months = 365 days (explicit in the rules): O1 2023-10-01 + 365 = 2024-09-30 (Q3) ✓;
    #                                                 O3 2023-10-02 + 365 = 2024-10-01 (Q4) ✓
    #   READING: 24 months = 730 days and 36 months = 1095 days, by analogy with "12 months = 365 days".
    #     24: O1 + 730 = 2025-09-30 = D → in ✓; O3 + 730 = 2025-10-01 = D + 1 → out      → 1/1
    #     36: O2 2022-10-01 + 1095 = 2025-09-30 = D → in ✓; O4 + 1095 = 2025-10-01 → out → 1/1
    #     (With calendar months O1 and O2 would end on 2025-10-01 and there would be no 2025-Q3 row.)
    share("diploma_b1_pct", OLDENZAAL, "2024-Q3", "alle", 1, 1, 100.0, cat="12"),
    share("diploma_b1_pct", OLDENZAAL, "2024-Q4", "alle", 1, 1, 100.0, cat="12"),
    share("diploma_b1_pct", OLDENZAAL, "2025-Q3", "gezin", 1, 1, 100.0, cat="24"),
    share("diploma_b1_pct", OLDENZAAL, "2025-Q3", "gezin", 1, 1, 100.0, cat="36"),

    # ==================================================================================================
    # termijn_verstreken_pct — stock at P = min(end of period, D): term end ≤ P, not uitgestroomd before
    # the term end; teller: neither voldaan nor ontheffing ≤ P (Almere)
    #   term ends: T06 01-20 (left 01-19 → out), T07 01-25 (left ON 01-25: READING not "before" → in),
    #   T05 02-28 (voldaan 2024-12-31), U04 03-20, U02 05-15, U01 06-30, T03 07-01 (ontheffing 09-30),
    #   T04 08-15 (voldaan 08-16), T01 09-30 (voldaan 09-30); T02/U03 10-01 > D
    #   2025-Q1 P = 03-31: T05 ✗, T07 ✓, U04 ✓                         → 2/3
    #   2025-Q2 P = 06-30: + U02 ✓, U01 ✓                              → 4/5
    #   2025-Q3 P = 09-30: + T03 ✗, T04 ✗, T01 ✗                       → 4/8
    #   2025    P = min(12-31, D) = 09-30                              → 4/8
    # ==================================================================================================
    share("termijn_verstreken_pct", ALMERE, "2025-Q1", "alle", 2, 3, 66.67),
    share("termijn_verstreken_pct", ALMERE, "2025-Q1", "gezin", 0, 1, 0.0),       # T05
    share("termijn_verstreken_pct", ALMERE, "2025-Q1", "asiel", 1, 1, 100.0),     # U04
    share("termijn_verstreken_pct", ALMERE, "2025-Q1", "overig", 1, 1, 100.0),    # T07 (T06 left before)
    share("termijn_verstreken_pct", ALMERE, "2025-Q2", "alle", 4, 5, 80.0),
    share("termijn_verstreken_pct", ALMERE, "2025-Q3", "alle", 4, 8, 50.0),
    share("termijn_verstreken_pct", ALMERE, "2025-Q3", "gezin", 1, 3, 33.33),     # T01 ✗, T05 ✗, U01 ✓
    share("termijn_verstreken_pct", ALMERE, "2025-Q3", "asiel", 1, 3, 33.33),     # T03 ✗ (ontheffing), T04 ✗, U04 ✓
    share("termijn_verstreken_pct", ALMERE, "2025-Q3", "overig", 2, 2, 100.0),    # T07, U02
    share("termijn_verstreken_pct", ALMERE, "2025", "alle", 4, 8, 50.0),
    absent("termijn_verstreken_pct", ALMERE, "2024-Q4", "alle"),

    # ==================================================================================================
    # activiteit_deelname_pct — stock at P: plicht ≤ P, not uitgestroomd / voldaan on or before P;
    # an activiteit with start ≤ P and (einde empty or ≥ P) (Groningen)
    #   2024-Q4 P = 2024-12-31: G01 (stage ends 12-31 ✓), G02 (plicht 12-31, taalmaatje from 12-31 ✓),
    #     G03 (activity only from 2025 ✗), J01 ✓, J02 (12-31..12-31 ✓), J03 ✓, J04 ✓, J05 ✓;
    #     G04/G05 plicht 2025; G06 Wi2013                                      → 7/8
    #   2025-Q1 P = 2025-03-31: G01 voldaan 03-31 → out; G03 uitstroom 03-31 → out;
    #     G02 ✓, G04 ✗, G05 ✗, J01 ✓, J02 ✗ (ended 2024-12-31), J03 ✓, J04 ✓ (einde 03-31),
    #     J05 ✓ → 5/8
    # ==================================================================================================
    share("activiteit_deelname_pct", GRONINGEN, "2024-Q4", "alle", 7, 8, 87.5),
    share("activiteit_deelname_pct", GRONINGEN, "2024-Q4", "asiel", 2, 3, 66.67),   # G03 ✗, J03 ✓, J04 ✓
    share("activiteit_deelname_pct", GRONINGEN, "2024-Q4", "gezin", 3, 3, 100.0),
    share("activiteit_deelname_pct", GRONINGEN, "2024", "alle", 7, 8, 87.5),
    share("activiteit_deelname_pct", GRONINGEN, "2025-Q1", "alle", 5, 8, 62.5),
    share("activiteit_deelname_pct", GRONINGEN, "2025-Q1", "overig", 1, 2, 50.0),   # G02 ✓, J02 ✗
    share("activiteit_deelname_pct", GRONINGEN, "2025-Q1", "gezin", 2, 3, 66.67),   # G05 ✗, J01 ✓, J05 ✓
    absent("activiteit_deelname_pct", GRONINGEN, "2022-Q1", "alle"),                # only G06 (Wi2013)

    # ==================================================================================================
    # duaal_pct — stock at P: PIP ≤ P, route actueel (else initieel) B1/ONDERWIJS, not left / voldaan;
    # a betaald_werk activity running at P (Groningen)
    #   2024-Q4 P = 2024-12-31: J01 B1 ✓; J02 actueel ONDERWIJS, betaald_werk 12-31..12-31 ✓;
    #     J03 actueel Z → out; J04 ONDERWIJS (PIP 12-31) only vrijwilligerswerk ✗; J05 PIP 2025 → out → 2/3
    #   2025-Q1 P = 2025-03-31: J01 ✓, J02 ✗ (ended), J04 ✗, J05 ✓                               → 2/4
    #   2024-Q2 P = 2024-06-30: J01 / J02-or-J03 in (either reading of "actueel at P"), no work yet → 0/2
    # ==================================================================================================
    share("duaal_pct", GRONINGEN, "2024-Q4", "alle", 2, 3, 66.67),
    share("duaal_pct", GRONINGEN, "2024-Q4", "asiel", 0, 1, 0.0),
    share("duaal_pct", GRONINGEN, "2024-Q4", "overig", 1, 1, 100.0),
    share("duaal_pct", GRONINGEN, "2025-Q1", "alle", 2, 4, 50.0),
    share("duaal_pct", GRONINGEN, "2025-Q1", "gezin", 2, 2, 100.0),
    share("duaal_pct", GRONINGEN, "2024-Q2", "alle", 0, 2, 0.0),
    absent("duaal_pct", GRONINGEN, "2024-Q1", "alle"),

    # ==================================================================================================
    # z_route_uren_pct — Z route, term end in the period and ≤ D; Σ hours over the months up to the term
    # end ≥ 800, categorie taal / participatie (Almere)
    #   U01 gezin end 2025-06-30: taal 500 + 300 = 800 ✓ (2025-07 excluded); part. 300 + 400 = 700 ✗
    #       (with the July row it would be 900)
    #   U02 overig end 2025-05-15: taal 799.5 ✗; part. 1000 ✓
    #   U03 end 2025-10-01 > D → out
    #   U04 asiel end 2025-03-20: taal 700 (2025-02) + 100 (2025-03) = 800; part. 0 ✗
    #       READING: the month holding the term end (2025-03) counts ("months up to the term end")
    # ==================================================================================================
    share("z_route_uren_pct", ALMERE, "2025-Q2", "alle", 1, 2, 50.0, cat="taal"),
    share("z_route_uren_pct", ALMERE, "2025-Q2", "alle", 1, 2, 50.0, cat="participatie"),
    share("z_route_uren_pct", ALMERE, "2025-Q2", "gezin", 1, 1, 100.0, cat="taal"),
    share("z_route_uren_pct", ALMERE, "2025-Q2", "gezin", 0, 1, 0.0, cat="participatie"),
    share("z_route_uren_pct", ALMERE, "2025-Q2", "overig", 0, 1, 0.0, cat="taal"),
    share("z_route_uren_pct", ALMERE, "2025-Q2", "overig", 1, 1, 100.0, cat="participatie"),
    absent("z_route_uren_pct", ALMERE, "2025-Q2", "asiel", cat="taal"),
    share("z_route_uren_pct", ALMERE, "2025-Q1", "asiel", 1, 1, 100.0, cat="taal"),        # READING above
    share("z_route_uren_pct", ALMERE, "2025-Q1", "asiel", 0, 1, 0.0, cat="participatie"),
    share("z_route_uren_pct", ALMERE, "2025", "alle", 1, 3, 33.33, cat="participatie"),
    absent("z_route_uren_pct", ALMERE, "2025-Q3", "alle", cat="taal"),                     # T01/T03/T04 are B1

    # ==================================================================================================
    # ontheffingen (count per reden) — datum_ontheffing in the period (Groningen)
    #   G05 gezin 2025-04-01 reden empty → onbekend; J03 asiel 2025-05-05 aantoonbare_inspanning;
    #   G04 asiel 2025-06-30 medisch; J04 asiel 2025-07-01 overig; G06 Wi2013 2025-05-01 medisch → never
    # ==================================================================================================
    count("ontheffingen", GRONINGEN, "2025-Q2", "alle", 1, cat="medisch"),
    count("ontheffingen", GRONINGEN, "2025-Q2", "alle", 1, cat="aantoonbare_inspanning"),
    count("ontheffingen", GRONINGEN, "2025-Q2", "alle", 0, cat="overig"),
    count("ontheffingen", GRONINGEN, "2025-Q2", "alle", 1, cat="onbekend"),
    count("ontheffingen", GRONINGEN, "2025-Q2", "gezin", 1, cat="onbekend"),
    count("ontheffingen", GRONINGEN, "2025-Q2", "gezin", 0, cat="medisch"),       # G06 not counted
    count("ontheffingen", GRONINGEN, "2025-Q2", "asiel", 1, cat="medisch"),
    count("ontheffingen", GRONINGEN, "2025-Q2", "asiel", 0, cat="onbekend"),
    count("ontheffingen", GRONINGEN, "2025-Q3", "alle", 1, cat="overig"),
    count("ontheffingen", GRONINGEN, "2025-Q3", "alle", 0, cat="medisch"),
    count("ontheffingen", GRONINGEN, "2025", "alle", 1, cat="medisch"),
    count("ontheffingen", GRONINGEN, "2025", "alle", 1, cat="aantoonbare_inspanning"),
    count("ontheffingen", GRONINGEN, "2025", "alle", 1, cat="overig"),
    count("ontheffingen", GRONINGEN, "2025", "alle", 1, cat="onbekend"),
    count("ontheffingen", GRONINGEN, "2024-Q1", "overig", 0, cat="onbekend"),
    # Almere T03 asiel ontheffing 2025-09-30 (= D) medisch
    count("ontheffingen", ALMERE, "2025-Q3", "asiel", 1, cat="medisch"),
]


@pytest.mark.parametrize("indicator, gemeente, periode, doelgroep, categorie, expected", CASES)
def test_expected_cell(mart, indicator, gemeente, periode, doelgroep, categorie, expected):
    found = mart.get((indicator, gemeente, periode, doelgroep, categorie), [])
    if expected is None:
        assert found == [], f"expected no row, found {found}"
        return
    assert len(found) == 1, f"expected exactly one row, found {found}"
    kind, teller, noemer, waarde = expected
    got_teller, got_noemer, got_waarde = found[0]
    assert got_waarde is not None
    if kind == "count":
        assert (got_teller, got_noemer) == (teller, None), found[0]
        assert got_waarde == pytest.approx(waarde, abs=1e-9)
    elif kind == "share":
        assert (got_teller, got_noemer) == (teller, noemer), found[0]
        assert got_waarde == pytest.approx(waarde, abs=0.01)
    else:
        assert (got_teller, got_noemer) == (None, noemer), found[0]
        assert got_waarde == pytest.approx(waarde, abs=1e-9)


# ------------------------------------------------------------------------------------------------------
# structural rules
# ------------------------------------------------------------------------------------------------------
def test_every_file_loaded_without_quarantine(loaded):
    _, reports = loaded
    files = [f for r in reports for f in r.files]
    assert len(files) == 8
    for f in files:
        assert f.status == "geladen", (f.file_name, f.message)
        assert f.rows_quarantined == 0 and f.rows_read == f.rows_loaded, f.file_name


def test_every_documented_indicator_is_computed(warehouse):
    doc = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    documented = {line.split("`")[1] for line in doc.splitlines() if line.startswith("| `")}
    assert len(documented) == 26
    computed = {r[0] for r in query(warehouse, "SELECT DISTINCT indicator FROM mart_indicatoren")}
    assert documented - computed == set(), "indicators without rows"
    assert computed - documented == set(), "indicators that are not documented"
    tested = {p.values[0] for p in CASES}
    assert documented - tested <= {"instroom_per_1000_inwoners"}   # that one has its own test below


def test_periods_run_from_2022_to_each_gemeentes_own_peildatum(warehouse):
    rows = query(warehouse, "SELECT DISTINCT gemeente_code, periode FROM mart_indicatoren "
                            "WHERE indicator = 'instroom' AND doelgroep = 'alle'")
    got = defaultdict(set)
    for gm, per in rows:
        got[gm].add(per)
    assert dict(got) == PERIODS
    assert len(PERIODS[DIEMEN]) == 4 + 15 and len(PERIODS[AMSTERDAM]) == 5 + 18
    # no indicator has a row outside its gemeente's periods (e.g. Diemen 2025-Q4 / 2026, Amsterdam 2026-Q3)
    for ind, gm, per in query(warehouse, "SELECT DISTINCT indicator, gemeente_code, periode FROM mart_indicatoren"):
        assert per in PERIODS[gm], (ind, gm, per)


@pytest.mark.parametrize("indicator, categories", [
    ("instroom", [""]),
    ("vrijwilligerswerk_plaatsingen", [""]),
    ("leerroute_schakelingen", ["B1", "ONDERWIJS", "Z"]),
    ("ontheffingen", ["medisch", "aantoonbare_inspanning", "overig", "onbekend"]),
])
def test_counts_have_a_row_for_every_cell(mart, indicator, categories):
    """Counts: every gemeente × periode × doelgroep (× categorie) has exactly one row, also when 0."""
    expected = {(indicator, gm, per, dg, cat) for gm in ALL_GEMEENTEN for per in PERIODS[gm]
                for dg in DOELGROEPEN for cat in categories}
    got = {k for k in mart if k[0] == indicator}
    assert got == expected
    assert all(len(mart[k]) == 1 for k in expected)


def test_leerroute_shares_split_the_population(mart):
    """Every (gemeente, periode, doelgroep) with a leerroute row has all three routes, summing to 100."""
    groups = defaultdict(dict)
    for (ind, gm, per, dg, cat), vals in mart.items():
        if ind == "leerroute_aandeel_pct":
            groups[(gm, per, dg)][cat] = vals[0]
    assert groups
    for key, cats in groups.items():
        assert set(cats) == {"B1", "ONDERWIJS", "Z"}, key
        assert len({v[1] for v in cats.values()}) == 1, key                     # one noemer
        assert sum(v[0] for v in cats.values()) == next(iter(cats.values()))[1], key
        assert sum(v[2] for v in cats.values()) == pytest.approx(100.0), key


def test_brede_intake_has_years_only(mart):
    pers = {k[2] for k in mart if k[0] == "brede_intake_gestart_pct"}
    assert pers and all(len(p) == 4 for p in pers)


def test_alle_is_the_sum_of_the_doelgroepen_for_counts_and_shares(mart):
    """General rule: for counts and shares 'alle' equals the sum of asiel + gezin + overig (teller, noemer)."""
    sums = defaultdict(lambda: [0, 0])
    alle = {}
    for (ind, gm, per, dg, cat), vals in mart.items():
        teller, noemer, _ = vals[0]
        if teller is None:          # medians
            continue
        if dg == "alle":
            alle[(ind, gm, per, cat)] = (teller, noemer)
        else:
            sums[(ind, gm, per, cat)][0] += teller
            sums[(ind, gm, per, cat)][1] += noemer or 0
    bad = []
    for key, (teller, noemer) in alle.items():
        s = sums.get(key, [0, 0])
        if key[0] == "instroom_per_1000_inwoners":
            ok = teller == s[0]
        else:
            ok = teller == s[0] and (noemer or 0) == s[1]
        if not ok:
            bad.append((key, (teller, noemer), tuple(s)))
    assert bad == []


def test_shares_and_medians_never_have_an_empty_population(mart):
    for key, vals in mart.items():
        teller, noemer, waarde = vals[0]
        if key[0].endswith("_pct"):
            assert noemer and noemer > 0 and waarde == pytest.approx(100 * teller / noemer), key
        if key[0].endswith("_mediaan"):
            assert teller is None and noemer and noemer > 0, key


def _inwoners(code: str) -> int:
    with open(REPO / "data_contracts" / "reference" / "gemeenten.csv", encoding="utf-8") as fh:
        return next(int(r["inwoners"]) for r in csv.DictReader(fh) if r["gemeente_code"] == code)


@pytest.mark.parametrize("gemeente, periode, doelgroep, teller", [
    (DIEMEN, "2025", "alle", 4),        # D02, D04, D05, D08 (see instroom above)
    (DIEMEN, "2025", "asiel", 2),       # D04, D05
    (DIEMEN, "2024-Q4", "alle", 2),     # D01, D03
    (AMSTERDAM, "2026-Q2", "alle", 1),  # M01
])
def test_instroom_per_1000_inwoners(mart, gemeente, periode, doelgroep, teller):
    """rate: teller = instroom, noemer = CBS inhabitants from data_contracts/reference, waarde = 1000 t / n."""
    inwoners = _inwoners(gemeente)
    found = mart.get(("instroom_per_1000_inwoners", gemeente, periode, doelgroep, ""), [])
    assert len(found) == 1, found
    got_teller, got_noemer, got_waarde = found[0]
    assert (got_teller, got_noemer) == (teller, inwoners)
    assert got_waarde == pytest.approx(1000 * teller / inwoners, rel=1e-9)


def test_csv_export_has_the_tidy_columns_and_the_same_numbers(warehouse, mart, tmp_path):
    out = tmp_path / "indicatoren.csv"
    result = CliRunner().invoke(main, ["indicators", "--out", str(out), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    assert header == COLUMNS
    assert len(rows) == sum(len(v) for v in mart.values())

    def num(text):
        return None if text == "" else float(text)

    exported = {}
    for ind, gm, per, dg, cat, teller, noemer, waarde in rows:
        exported[(ind, gm, per, dg, cat)] = (num(teller), num(noemer), num(waarde))
    assert len(exported) == len(rows)
    for key, vals in mart.items():
        teller, noemer, waarde = vals[0]
        e = exported[key]
        assert e[0] == (None if teller is None else float(teller)), key
        assert e[1] == (None if noemer is None else float(noemer)), key
        assert e[2] == pytest.approx(waarde, rel=1e-9), key
    # spot checks straight from the hand calculations
    assert exported[("instroom", DIEMEN, "2024-Q4", "alle", "")] == (2.0, None, 2.0)
    t, n, w = exported[("leerroute_aandeel_pct", ENSCHEDE, "2024-Q2", "alle", "B1")]
    assert (t, n) == (3.0, 4.0) and w == pytest.approx(75.0)
    t, n, w = exported[("doorlooptijd_pip_mediaan", ALMELO, "2025", "alle", "")]
    assert (t, n) == (None, 4.0) and w == pytest.approx(40.0)
