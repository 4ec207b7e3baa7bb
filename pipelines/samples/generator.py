"""Seeded, vectorised generator of synthetic Wi2021 case exports in the canonical layout v1.

Every gemeente's case universe is simulated with its own random streams (seed, gemeente number), over a
fixed horizon, so a gemeente's persons do not depend on which other gemeenten are generated alongside or
on the peildatum. The peildatum only cuts the universe into a snapshot: what happened after it is not
shown, planned end dates excepted. Calibration sources are in docs/sample-data.md.
"""
from __future__ import annotations

import csv
import datetime as dt
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from pipelines.settings import REFERENCE_DIR
from pipelines.samples import schema

NEVER = 10**6  # day number (year ~4700) for "does not happen"
_EPOCH = dt.date(1970, 1, 1)

# ---------------------------------------------------------------- national calibration (docs/sample-data.md)
COHORT_SIZE = {2022: 26_000, 2023: 36_000, 2024: 36_000, 2025: 36_000, 2026: 36_000}
COHORT_SIZE_LATER = 36_000
ASIEL_SHARE = {2022: 0.73, 2023: 0.61, 2024: 0.62, 2025: 0.60, 2026: 0.60}
OVERIG_SHARE = 0.05
NAREIZIGER_SHARE = 0.25
WI2013_RELATIVE_TO_2022 = 0.15  # ondertussengroep rows (datum_plicht in 2021) per person of cohort 2022
WI2013_ASIEL_SHARE = 0.85
MEN_SHARE_ASIEL = 0.615
WOMEN_SHARE_GEZIN = 0.68
ROUTE_MIX_RIJK = (0.60, 0.25, 0.15)  # B1, ONDERWIJS, Z
ROUTES = schema.LEERROUTES
B1, ONDERWIJS, Z = 0, 1, 2

# (decimal year, value) knots, interpolated linearly, flat outside
HOUSING_WAIT_WEEKS = ((2022.0, 17.0), (2023.0, 36.0), (2023.5, 42.0), (2024.5, 42.0), (2025.5, 38.0), (2026.5, 34.0))
INTAKE_DELAY_ASIEL_DAYS = ((2022.0, 300.0), (2022.5, 240.0), (2023.0, 200.0), (2024.0, 140.0), (2026.0, 100.0))
INTAKE_DELAY_GEZIN_DAYS = ((2022.0, 150.0), (2024.0, 145.0), (2026.0, 135.0))
PIP_MEDIAN_DAYS = ((2022.2, 145.0), (2023.0, 74.0), (2024.0, 58.0), (2025.0, 52.0), (2026.0, 47.0))
PIP_SIGMA = 0.7

HERKOMST_ASIEL = {"SY": 0.48, "ER": 0.09, "AF": 0.07, "TR": 0.08, "YE": 0.05, "IQ": 0.04, "SO": 0.03,
                  "IR": 0.03, "SD": 0.02, "ET": 0.02, "LY": 0.02, "PS": 0.02, "CD": 0.01, "LB": 0.01,
                  "GE": 0.01, "NG": 0.01, "": 0.01}
HERKOMST_GEZIN = {"TR": 0.12, "MA": 0.10, "IN": 0.10, "SY": 0.06, "PK": 0.05, "CN": 0.05, "ID": 0.05,
                  "PH": 0.05, "BR": 0.04, "EG": 0.04, "SR": 0.04, "UA": 0.04, "RU": 0.04, "IR": 0.03,
                  "GH": 0.03, "NG": 0.03, "CO": 0.03, "VN": 0.03, "TH": 0.03, "ER": 0.02, "AF": 0.02,
                  "US": 0.02, "": 0.02}
COUNTRIES = tuple(sorted(set(HERKOMST_ASIEL) | set(HERKOMST_GEZIN)))

# Exam pass chance per attempt at B1 (logit scale), A2 is easier
EXAM_BASE_PASS = np.array([0.76, 0.74, 0.56, 0.60, 0.78])  # lezen, luisteren, schrijven, spreken, knm
A2_LOGIT_BONUS = 0.9
NIVEAU_NONE, NIVEAU_A2, NIVEAU_B1 = -1, 1, 2
RES_GESLAAGD, RES_GEZAKT, RES_NIET_VERSCHENEN = 0, 1, 2

ACT = {s: i for i, s in enumerate(schema.ACTIVITEIT_SOORTEN)}
TALK = {s: i for i, s in enumerate(schema.GESPREK_SOORTEN)}
ONTHEFFING = {s: i for i, s in enumerate(schema.REDENEN_ONTHEFFING)}
UITSTROOM = {s: i for i, s in enumerate(schema.REDENEN_UITSTROOM)}

# Deliberate gemeente profiles, from the policy seeds summarised in domain.md section 6.
PROFILES: dict[str, dict] = {
    # Almelo: fast PIP, welcome talk within 6 weeks, Z-route volunteer work within 3 months >= 6 h, >= 2 talks
    "GM0141": dict(pip_factor=0.55, pip_improve=0.05, welkom_mean=18.0, vol3m=0.82, vol_mean=8.0,
                   vol_min=6.0, voortgang_mean=135.0),
    # Almere: slower PIP, improving; participation from day 1 (more activities, earlier)
    "GM0034": dict(pip_factor=1.6, pip_improve=0.22, activity=1.6, voortgang_mean=210.0),
    # Diemen: route mix of its framework (B1 75 % + B1-mbo 5 %, onderwijs 5 %, Z 15 %), PIP norm taken seriously
    "GM0384": dict(route_mix=(0.80, 0.05, 0.15), pip_factor=0.75),
    # Assen, Aa en Hunze, Tynaarlo: one joint approach
    "GM0106": dict(route_mix=(0.62, 0.20, 0.18), voortgang_mean=170.0, pip_factor=0.9),
    "GM1680": dict(route_mix=(0.62, 0.20, 0.18), voortgang_mean=170.0, pip_factor=0.9),
    "GM1730": dict(route_mix=(0.62, 0.20, 0.18), voortgang_mean=170.0, pip_factor=0.9),
}


# ---------------------------------------------------------------- reference data
@dataclass(frozen=True)
class Gemeente:
    """One row of data_contracts/reference/gemeenten.csv plus its stable index."""
    index: int
    code: str
    naam: str
    provincie: str
    arbeidsmarktregio: str
    inwoners: int
    provincie_code: str


@lru_cache(maxsize=1)
def load_gemeenten() -> tuple[Gemeente, ...]:
    """All gemeenten of the reference list, in file order."""
    with open(REFERENCE_DIR / "gemeenten.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(Gemeente(i, r["gemeente_code"], r["gemeente_naam"], r["provincie"], r["arbeidsmarktregio"],
                          int(r["inwoners"]), r["provincie_code"]) for i, r in enumerate(rows))


def gemeente_by_code() -> dict[str, Gemeente]:
    """Reference gemeenten keyed by code."""
    return {g.code: g for g in load_gemeenten()}


# ---------------------------------------------------------------- date helpers (dates are int day numbers)
def to_days(d: dt.date) -> int:
    """Day number since 1970-01-01."""
    return (d - _EPOCH).days


def _jan1(year) -> np.ndarray:
    return (np.asarray(year) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (NEVER stays far in the future)."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start(mi: np.ndarray) -> np.ndarray:
    return np.asarray(mi).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def add_months(days: np.ndarray, months) -> np.ndarray:
    """Calendar month arithmetic (day clipped to the month end); NEVER stays NEVER."""
    days = np.asarray(days, dtype=np.int64)
    mi = _month_index(days)
    dom = days - _month_start(mi)
    target = mi + np.asarray(months, dtype=np.int64)
    start = _month_start(target)
    length = _month_start(target + 1) - start
    out = start + np.minimum(dom, length - 1)
    return np.where(days >= NEVER, NEVER, out)


def _decimal_year(days: np.ndarray) -> np.ndarray:
    return 1970.0 + np.asarray(days, dtype=float) / 365.2425


def _curve(knots, days: np.ndarray) -> np.ndarray:
    xs, ys = zip(*knots)
    return np.interp(_decimal_year(np.minimum(days, to_days(dt.date(2040, 1, 1)))), xs, ys)


def _gamma(rng, shape, mean, size) -> np.ndarray:
    return rng.gamma(shape, np.asarray(mean, dtype=float) / shape, size)


def _never_after(values: np.ndarray, cut: np.ndarray) -> np.ndarray:
    return np.where(values >= cut, NEVER, values)


# ---------------------------------------------------------------- BSN
def elfproef(bsn: str) -> bool:
    """True when a 9-digit string passes the BSN eleven test."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    digits = [int(c) for c in bsn]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0


def _feistel(x: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A bijection on [0, 10**8): balanced Feistel network over two 4-digit halves."""
    left, right = x // 10_000, x % 10_000
    for k in keys:
        f = ((right * np.uint64(2654435761) + np.uint64(k)) ^ (right * np.uint64(40503) >> np.uint64(3)))
        left, right = right, (left + (f % np.uint64(10_000))) % np.uint64(10_000)
    return left * np.uint64(10_000) + right


_BSN_SLOT = 26_000  # persons per gemeente in one BSN key block


def make_bsns(gemeente_index: np.ndarray, local_index: np.ndarray, seed: int) -> np.ndarray:
    """Unique, random-looking BSNs (int64) passing the elfproef, from unique (gemeente, person) keys."""
    if np.any(local_index >= _BSN_SLOT):
        raise ValueError("too many persons in one gemeente for unique BSNs; lower the scale")
    keys = np.random.default_rng([seed, 77]).integers(1, 2**31, size=4, dtype=np.uint64)
    weights = np.arange(9, 1, -1, dtype=np.uint64)
    base = gemeente_index.astype(np.uint64) * np.uint64(_BSN_SLOT) + local_index.astype(np.uint64)
    n_blocks = 400 * _BSN_SLOT
    result = np.zeros(len(base), dtype=np.int64)
    todo = np.ones(len(base), dtype=bool)
    for j in range(9):  # try key blocks until the check digit is a single digit (10/11 per try)
        if not todo.any():
            break
        x = base[todo] + np.uint64(j * n_blocks + 10**7)  # inside [10**7, 10**8): no leading zero
        y = _feistel(x, keys)
        out = y < 10**7
        while out.any():  # cycle walking keeps the permutation inside [10**7, 10**8)
            y[out] = _feistel(y[out], keys)
            out = y < 10**7
        digits = (y[:, None] // (np.uint64(10) ** np.arange(7, -1, -1, dtype=np.uint64))) % np.uint64(10)
        check = (digits * weights).sum(axis=1) % np.uint64(11)
        ok = check < 10
        idx = np.flatnonzero(todo)
        result[idx[ok]] = (y[ok] * np.uint64(10) + check[ok]).astype(np.int64)
        todo[idx[ok]] = False
    if todo.any():
        raise RuntimeError("could not make valid BSNs")
    return result


# ---------------------------------------------------------------- per-gemeente parameters
def _region_params(seed: int, region: str) -> dict:
    r = np.random.default_rng([seed, zlib.crc32(region.encode("utf-8")), 3])
    return dict(housing=r.normal(0, 0.18), pip=r.normal(0, 0.18), intake=r.normal(0, 0.12),
                voortgang=r.normal(0, 0.15), activity=r.normal(0, 0.12))


def gemeente_params(g: Gemeente, seed: int) -> dict:
    """Behavioural parameters of one gemeente: region effect + own draw + deliberate profile."""
    reg = _region_params(seed, g.arbeidsmarktregio)
    r = np.random.default_rng([seed, int(g.code[2:]), 1])
    mix = r.dirichlet(np.array(ROUTE_MIX_RIJK) * 40.0)
    p = dict(
        size=float(np.exp(r.normal(0, 0.15))),
        asiel_shift=float(r.normal(0, 0.04)),
        housing=float(np.exp(reg["housing"] + r.normal(0, 0.22))),
        pip_factor=float(np.exp(reg["pip"] + r.normal(0, 0.30))),
        pip_improve=float(r.normal(0.0, 0.06)),
        intake=float(np.exp(reg["intake"] + r.normal(0, 0.15))),
        welkom_mean=float(r.uniform(20, 60)),
        route_mix=tuple(float(x) for x in mix),
        vol3m=float(r.uniform(0.25, 0.70)),
        vol_mean=float(r.uniform(4.5, 8.0)),
        vol_min=2.0,
        voortgang_mean=float(np.clip(r.uniform(120, 280) * np.exp(reg["voortgang"]), 100, 330)),
        activity=float(np.exp(reg["activity"] + r.normal(0, 0.2))),
        ontzorgen_ext=float(r.uniform(0.15, 0.45)),
        exam_shift=float(r.normal(0, 0.2)),
    )
    p.update(PROFILES.get(g.code, {}))
    return p


# ---------------------------------------------------------------- simulation of one gemeente
@dataclass
class Universe:
    """Everything that ever happens to the persons of some gemeenten (int day numbers, NEVER = not)."""
    persons: dict[str, np.ndarray]
    examens: dict[str, np.ndarray]
    activiteiten: dict[str, np.ndarray]
    gesprekken: dict[str, np.ndarray]
    uren: dict[str, np.ndarray]
    codes: list[str] = field(default_factory=list)


def _cohort_counts(g: Gemeente, p: dict, rng, scale: float, last_year: int, national_inwoners: int) -> dict[int, int]:
    share = g.inwoners / national_inwoners * p["size"] * scale
    counts = {}
    for year in range(2022, last_year + 1):
        counts[year] = int(rng.poisson(COHORT_SIZE.get(year, COHORT_SIZE_LATER) * share))
    counts[2021] = int(rng.poisson(COHORT_SIZE[2022] * WI2013_RELATIVE_TO_2022 * share))
    return counts


def _simulate(g: Gemeente, seed: int, scale: float, last_year: int, national_inwoners: int) -> Universe:
    p = gemeente_params(g, seed)
    rng = np.random.default_rng([seed, int(g.code[2:]), 2])
    counts = _cohort_counts(g, p, rng, scale, last_year, national_inwoners)
    year = np.concatenate([np.full(c, y, dtype=np.int64) for y, c in sorted(counts.items())])
    n = len(year)
    U = lambda: rng.random(n)  # noqa: E731
    ints = lambda lo, hi: rng.integers(lo, hi, n)  # noqa: E731
    wi2013 = year == 2021
    w21 = ~wi2013

    is_leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    plicht = _jan1(year) + (U() * (365 + is_leap)).astype(np.int64)

    # doelgroep, gender, age, origin
    asiel_p = np.where(wi2013, WI2013_ASIEL_SHARE,
                       np.clip(np.array([ASIEL_SHARE.get(int(y), 0.60) for y in year]) + p["asiel_shift"], 0.3, 0.9))
    asiel = U() < asiel_p
    overig = ~asiel & (U() < OVERIG_SHARE / np.maximum(1 - asiel_p, 0.05))
    doelgroep = np.where(asiel, 0, np.where(overig, 2, 1)).astype(np.int8)
    nareiziger = asiel & (U() < NAREIZIGER_SHARE)
    man = np.where(asiel, U() < MEN_SHARE_ASIEL, U() >= WOMEN_SHARE_GEZIN)
    geslacht = np.where(U() < 0.002, 2, np.where(man, 0, 1)).astype(np.int8)
    age = np.where(asiel, 16 + _gamma(rng, 2.0, 18.0, n), 18 + _gamma(rng, 3.0, 13.5, n)).astype(np.int64)
    age = np.minimum(age, 65)
    geboortejaar = year - age - (U() < 0.5)
    country_idx = {c: i for i, c in enumerate(COUNTRIES)}
    herkomst = np.empty(n, dtype=np.int64)
    for mask, table in ((asiel, HERKOMST_ASIEL), (~asiel, HERKOMST_GEZIN)):
        codes = list(table)
        probs = np.array(list(table.values()))
        herkomst[mask] = np.array([country_idx[c] for c in codes])[rng.choice(len(codes), mask.sum(), p=probs / probs.sum())]

    # asiel chain: koppeling, huisvesting, BRP; gezin/overig: BRP around the plicht
    koppeling = np.where(nareiziger, plicht + ints(0, 15), plicht + 7 + _gamma(rng, 2.0, 20.0, n).astype(np.int64))
    wait_mean = _curve(HOUSING_WAIT_WEEKS, plicht) * 7 * p["housing"]
    sigma = 0.55
    wait = np.exp(np.log(wait_mean) - sigma**2 / 2 + sigma * rng.standard_normal(n)).astype(np.int64)
    huisvesting = np.where(nareiziger, koppeling + ints(0, 31), np.maximum(plicht + wait, koppeling + 14))
    brp_asiel = huisvesting + np.where(U() < 0.6, 0, ints(1, 11))
    brp_gezin = plicht + _gamma(rng, 1.2, 12.0, n).astype(np.int64)
    koppeling = np.where(asiel, koppeling, NEVER)
    huisvesting = np.where(asiel, huisvesting, NEVER)
    brp = np.where(asiel, brp_asiel, brp_gezin)
    entry = np.where(asiel, koppeling, plicht)

    welkom_anchor = np.where(asiel, koppeling, brp)
    welkom_mean = np.where(asiel, p["welkom_mean"], p["welkom_mean"] * 1.3)
    welkom = welkom_anchor + 3 + _gamma(rng, 3.0, welkom_mean, n).astype(np.int64)
    welkom = np.where(U() < np.where(asiel, 0.05, 0.12), NEVER, welkom)

    # brede intake (may start in the AZC), leerbaarheidstoets, PIP
    intake_mean = np.where(asiel, _curve(INTAKE_DELAY_ASIEL_DAYS, koppeling), _curve(INTAKE_DELAY_GEZIN_DAYS, brp)) * p["intake"]
    intake = np.where(asiel, koppeling, brp) + 5 + _gamma(rng, 1.6, intake_mean, n).astype(np.int64)
    intake = np.where(wi2013 | (U() < np.where(asiel, 0.03, 0.07)), NEVER, intake)
    lbt = np.where(U() < 0.9, intake + ints(0, 29), NEVER)
    lbt = np.where(intake >= NEVER, NEVER, lbt)
    pip_base = np.maximum(intake, brp)
    t_rel = np.maximum(_decimal_year(np.minimum(pip_base, to_days(dt.date(2040, 1, 1)))) - 2022.0, 0.0)
    pip_median = _curve(PIP_MEDIAN_DAYS, pip_base) * p["pip_factor"] * np.exp(-p["pip_improve"] * t_rel)
    pip_median = np.where(intake < brp - 30, pip_median * 0.8, pip_median)  # intake done in the AZC
    pip_delay = np.exp(np.log(pip_median) + PIP_SIGMA * rng.standard_normal(n)).astype(np.int64) + 7
    pip = np.where((intake >= NEVER) | (U() < 0.02), NEVER, pip_base + pip_delay)
    has_pip = pip < NEVER

    # leerroute: onderwijsroute only under 28; Z more likely for older people
    ability = rng.normal(0, 0.9, n)
    p_b1, p_o, p_z = p["route_mix"]
    young = age < 28
    share_young = max(float(young[has_pip].mean()) if has_pip.any() else 0.4, 0.05)
    onderwijs = young & (U() < min(0.9, p_o / share_young))
    pz_rest = p_z / max(p_b1 + p_z, 1e-9)
    zw = pz_rest * np.where(age >= 45, 1.8, np.where(age < 30, 0.6, 1.0)) * np.where(ability < -1.0, 1.5, 1.0)
    rest = ~onderwijs & has_pip
    if rest.any():
        zw = zw * pz_rest / max(zw[rest].mean(), 1e-9)
    route0 = np.where(onderwijs, ONDERWIJS, np.where(U() < np.clip(zw, 0, 0.95), Z, B1))
    route0 = np.where(has_pip, route0, -1)

    switch = has_pip & (U() < 0.09)
    switch_date = np.where(switch, pip + ints(60, 541), NEVER)
    from_b1 = np.where(young & (U() < 0.25), ONDERWIJS, Z)
    route1 = np.where(switch, np.where(route0 == B1, from_b1, B1), route0)
    pip_update = np.where(has_pip & (U() < 0.12), pip + ints(90, 700), NEVER)
    afs_candidate = (route1 == B1) & (U() < np.where(ability < -0.6, 0.35, 0.03))
    afs_date = np.where(afs_candidate, np.maximum(pip + ints(548, 1000), np.where(switch, switch_date + 180, 0)), NEVER)

    term = np.where(has_pip, add_months(pip, 36), add_months(plicht, 36))
    term = np.where(w21 & ~has_pip, NEVER, term)
    extended = (term < NEVER) & (U() < 0.07)
    ext_decision = np.where(extended, term - ints(30, 121), NEVER)
    term_ext = np.where(extended, add_months(term, np.where(U() < 0.5, 6, 12)), term)

    # uitstroom (a few), ontheffing medisch / overig
    uit = entry + 30 + rng.exponential(18_000, n).astype(np.int64)
    uit_reason = rng.choice(4, n, p=[0.70, 0.20, 0.02, 0.08])
    uit_reason = np.where(asiel & (uit < huisvesting), UITSTROOM["overig"], uit_reason)
    onth_anchor = np.where(has_pip, pip, np.where(intake < NEVER, intake, brp + 60))
    r_on = U()
    onth_date = np.where(r_on < 0.03, onth_anchor + ints(30, 900), NEVER)
    onth_reason = np.where(r_on < 0.025, ONTHEFFING["medisch"], ONTHEFFING["overig"])
    cut = np.minimum(uit, onth_date)

    # activities
    act = _activities(rng, n, p, entry, brp, pip, route0, route1, switch_date, man, asiel, wi2013, cut)

    # uren and voldaan for the Z-route
    uren, z_done = _uren(rng, n, p, pip, route0, route1, switch, switch_date, cut, term_ext, act)

    # exams (B1, onderwijsroute, Wi2013 at A2)
    exam_anchor = np.where(np.isin(route0, (B1, ONDERWIJS)), pip,
                           np.where(np.isin(route1, (B1, ONDERWIJS)), switch_date, NEVER))
    exam_anchor = np.where(wi2013 & (brp < NEVER), brp + 120, exam_anchor)
    exam_cut = np.minimum(cut, np.where((route1 == Z) & (route0 != Z), switch_date, NEVER))
    exams, all_pass, failures = _exams(rng, n, p, exam_anchor, exam_cut, route1, afs_date, ability, wi2013)

    # ontheffing for demonstrable effort: B1 not passed by the end of the term after >= 2 failures
    ai = (route1 == B1) & (all_pass > term) & (failures >= 2) & (term < NEVER) & (onth_date >= NEVER) & (U() < 0.3)
    ai_date = term - ints(0, 121)
    ai = ai & (ai_date < uit) & (ai_date > pip)
    onth_date = np.where(ai, ai_date, onth_date)
    onth_reason = np.where(ai, ONTHEFFING["aantoonbare_inspanning"], onth_reason)
    keep = exams["datum"] < onth_date[exams["p"]]
    exams = {k: v[keep] for k, v in exams.items()}
    all_pass = np.where(ai & (all_pass >= ai_date), NEVER, all_pass)
    cut = np.minimum(uit, onth_date)

    # MAP (onderwijsroute exempt) and PVT
    map_done = np.where(U() < 0.85, pip + 60 + _gamma(rng, 2.0, 270.0, n).astype(np.int64), NEVER)
    map_done = np.where(switch & (route0 == ONDERWIJS), np.maximum(map_done, switch_date + 60), map_done)
    map_done = np.where(has_pip & (route1 != ONDERWIJS), map_done, NEVER)  # onderwijsroute: no MAP
    pvt_exempt = U() < 0.01
    pvt_done = np.where(has_pip & ~pvt_exempt & (U() < 0.9), pip + 30 + _gamma(rng, 2.0, 240.0, n).astype(np.int64), NEVER)
    needs_map = route1 != ONDERWIJS

    # voldaan (DUO decision)
    route_done = np.where(route1 == Z, z_done, all_pass)
    ready = np.maximum(route_done, np.maximum(np.where(pvt_exempt, 0, pvt_done), np.where(needs_map, map_done, 0)))
    ready = np.where(wi2013, all_pass, ready)
    voldaan = np.where(ready < NEVER, ready + ints(14, 57), NEVER)
    voldaan = _never_after(voldaan, cut)

    boete = (voldaan >= NEVER) & (onth_date >= NEVER) & (term_ext < uit) & (U() < 0.10)
    boete_date = np.where(boete, term_ext + ints(30, 181), NEVER)

    # ontzorgen: asiel with bijstand, 6 months, sometimes extended by 6
    bijstand_base = np.where(asiel, U() < 0.85, U() < 0.08)
    ontz = w21 & asiel & bijstand_base & (U() < 0.92) & (brp < NEVER)
    ontz_start = np.where(ontz, np.maximum(huisvesting, brp) + ints(0, 36), NEVER)
    ontz_start = _never_after(ontz_start, uit)
    ontz_end0 = add_months(ontz_start, 6)
    ontz_ext = (ontz_start < NEVER) & (U() < p["ontzorgen_ext"])
    ontz_ext_decision = np.where(ontz_ext, ontz_end0 - ints(10, 41), NEVER)
    ontz_end1 = np.where(ontz_ext, add_months(ontz_start, 12), ontz_end0)
    ontz_end0 = np.where(ontz_start < NEVER, np.minimum(ontz_end0, uit), NEVER)
    ontz_end1 = np.where(ontz_start < NEVER, np.minimum(ontz_end1, uit), NEVER)

    # everything personal stops at uitstroom
    welkom, intake, lbt = (_never_after(x, uit) for x in (welkom, intake, lbt))
    map_done = _never_after(np.minimum(map_done, NEVER), np.minimum(uit, onth_date))
    pvt_done = _never_after(pvt_done, np.minimum(uit, onth_date))
    huisvesting = _never_after(huisvesting, uit)
    brp = _never_after(brp, uit)

    talks = _talks(rng, n, p, asiel, wi2013, welkom, intake, pip, brp, map_done, ontz_start, ontz_end0,
                   np.minimum(np.minimum(voldaan, onth_date), np.minimum(uit, term_ext)))

    # client ids increase with the entry date, with random gaps
    order = np.argsort(entry, kind="stable")
    nums = np.empty(n, dtype=np.int64)
    nums[order] = rng.integers(50, 3000) + np.cumsum(rng.integers(1, 4, n))

    persons = dict(
        gm=np.full(n, g.index, dtype=np.int64), local=np.arange(n, dtype=np.int64), client_num=nums,
        wi2013=wi2013, doelgroep=doelgroep, nareiziger=nareiziger, geslacht=geslacht, geboortejaar=geboortejaar,
        herkomst=herkomst, entry=entry, plicht=plicht, koppeling=koppeling, huisvesting=huisvesting, brp=brp,
        welkom=welkom, intake=intake, lbt=lbt, pip=pip, pip_update=pip_update, route0=route0, route1=route1,
        switch=switch_date, afs=afs_date, term=term, term_ext=term_ext, ext_decision=ext_decision,
        bijstand_base=bijstand_base, ontz_start=ontz_start, ontz_end0=ontz_end0, ontz_end1=ontz_end1,
        ontz_ext_decision=ontz_ext_decision, map_done=map_done, pvt_done=pvt_done, pvt_exempt=pvt_exempt,
        voldaan=voldaan, onth=onth_date, onth_reason=onth_reason, boete=boete_date, uit=uit, uit_reason=uit_reason,
    )
    return Universe(persons, exams, act, talks, uren, [g.code])


def _activities(rng, n, p, entry, brp, pip, route0, route1, switch_date, man, asiel, wi2013, cut) -> dict:
    a = p["activity"]
    U = lambda: rng.random(n)  # noqa: E731
    parts = []

    def add(mask, soort, start, duration, open_share, planned, hours):
        start = np.asarray(start, dtype=np.int64)
        mask = mask & (start < cut) & (start < NEVER)
        end = np.where(U() < open_share, NEVER, start + np.maximum(np.asarray(duration, dtype=np.int64), 14))
        end = np.minimum(end, cut)
        hours = np.round(np.asarray(hours, dtype=float) * 2) / 2
        hours = np.where(U() < 0.04, np.nan, hours)
        idx = np.flatnonzero(mask)
        parts.append(dict(p=idx, soort=np.full(len(idx), ACT[soort], dtype=np.int8), start=start[idx], end=end[idx],
                          planned=np.full(len(idx), planned), uren=hours[idx]))
        return mask, end

    has_pip = pip < NEVER
    # Z-route volunteer work: within 3 months of the PIP for a gemeente-dependent share, >= vol_min h a week
    z_anchor = np.where(route0 == Z, pip, np.where(route1 == Z, switch_date, NEVER))
    fast = U() < p["vol3m"]
    z_start = np.where(fast, z_anchor + rng.integers(0, 92, n), z_anchor + 92 + _gamma(rng, 1.5, 200.0, n).astype(np.int64))
    z_hours = np.maximum(rng.normal(p["vol_mean"], 2.0, n), p["vol_min"])
    z_mask = (z_anchor < NEVER) & (fast | (U() < 0.75))
    z_mask, z_end = add(z_mask, "vrijwilligerswerk", z_start, 60 + _gamma(rng, 2.0, 300.0, n), 0.35, False, z_hours)
    second = z_mask & (z_end < NEVER) & (U() < 0.3)
    add(second, "vrijwilligerswerk", z_end + rng.integers(14, 120, n), 60 + _gamma(rng, 2.0, 300.0, n), 0.6, False,
        np.maximum(rng.normal(p["vol_mean"], 2.0, n), p["vol_min"]))
    # other volunteer work, from entry
    add((z_anchor >= NEVER) & (U() < 0.15 * a), "vrijwilligerswerk", entry + 14 + _gamma(rng, 1.5, 300.0 / a, n),
        60 + _gamma(rng, 2.0, 250.0, n), 0.4, False, np.maximum(rng.normal(6.0, 2.0, n), 2.0))
    # paid work: more for men (CBS: men 29 %, women 4 % during the COA stay); duaal while learning
    p_work = np.where(asiel, np.where(man, 0.34, 0.09), np.where(man, 0.50, 0.22)) * min(a, 1.5)
    work_hours = rng.choice(np.array([12.0, 16.0, 20.0, 24.0, 24.5, 28.0, 32.0, 32.5, 36.0, 38.0]), n)
    add((brp < NEVER) & (U() < p_work), "betaald_werk", brp + 30 + _gamma(rng, 2.0, 450.0 / a, n),
        90 + _gamma(rng, 2.0, 200.0, n), 0.55, False, work_hours)
    # stage, werkervaringsplek, opleiding: contracts with a planned end
    add(has_pip & (U() < np.where(route0 == ONDERWIJS, 0.15, 0.06) * a), "stage", pip + 60 + _gamma(rng, 2.0, 250.0, n),
        60 + rng.integers(0, 121, n), 0.0, True, rng.uniform(16, 32, n))
    add(has_pip & (route0 != ONDERWIJS) & (U() < 0.09 * a), "werkervaringsplek", pip + 60 + _gamma(rng, 2.0, 200.0, n),
        90 + rng.integers(0, 181, n), 0.0, True, rng.uniform(16, 32, n))
    add(has_pip & (U() < np.where(route0 == ONDERWIJS, 0.7, 0.04)), "opleiding",
        pip + np.where(route0 == ONDERWIJS, 300, 60) + _gamma(rng, 2.0, 200.0, n),
        300 + rng.integers(0, 800, n), 0.0, True, rng.uniform(12, 30, n))
    # taalmaatje, from entry (earlier where participation starts from day 1)
    add(~wi2013 & (U() < min(0.25 * a, 0.6)), "taalmaatje", entry + 14 + _gamma(rng, 1.5, 150.0 / a, n),
        120 + rng.integers(0, 250, n), 0.4, False, rng.uniform(1.0, 3.0, n))
    return {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}


def _uren(rng, n, p, pip, route0, route1, switch, switch_date, cut, term_ext, act) -> tuple[dict, np.ndarray]:
    """Monthly hours for Z-route persons; returns the rows and the date 800 + 800 hours were reached."""
    z_done = np.full(n, NEVER, dtype=np.int64)
    start = np.where(route0 == Z, pip, np.where(route1 == Z, switch_date, NEVER))
    stop = np.minimum(np.minimum(cut, term_ext), np.where((route0 == Z) & switch, switch_date, NEVER))
    zi = np.flatnonzero((start < NEVER) & (start < stop))
    empty = dict(p=np.zeros(0, np.int64), maand=np.zeros(0, np.int64), taal=np.zeros(0), part=np.zeros(0))
    if len(zi) == 0:
        return empty, z_done
    months = 48
    m0 = _month_index(start[zi])
    m_stop = _month_index(stop[zi])
    grid = m0[:, None] + np.arange(months)[None, :]
    # share of the first month after the start date
    first_frac = 1.0 - (start[zi] - _month_start(m0)) / 31.0
    frac = np.ones((len(zi), months))
    frac[:, 0] = first_frac
    taal_rate = np.maximum(rng.normal(27.0, 6.0, len(zi)), 6.0)
    taal = taal_rate[:, None] * rng.gamma(6.0, 1 / 6.0, (len(zi), months)) * frac
    # participation: volunteer hours of running vrijwilligerswerk plus other participation
    base = _gamma(rng, 2.0, 9.0, len(zi))
    vol_month = np.zeros((len(zi), months))
    pos = np.full(n, -1, dtype=np.int64)
    pos[zi] = np.arange(len(zi))
    is_vol = (act["soort"] == ACT["vrijwilligerswerk"]) & (pos[act["p"]] >= 0)
    va = np.flatnonzero(is_vol)
    if len(va):
        rows = pos[act["p"][va]]
        s_m = _month_index(act["start"][va])
        e_m = np.where(act["end"][va] < NEVER, _month_index(np.minimum(act["end"][va], NEVER - 1)), 10**9)
        h = np.nan_to_num(act["uren"][va], nan=6.0)
        g = grid[rows]
        running = (g >= s_m[:, None]) & (g <= e_m[:, None])
        np.add.at(vol_month, rows, running * (4.33 * h)[:, None])
    part = (base[:, None] * rng.gamma(4.0, 0.25, (len(zi), months)) + vol_month) * frac
    taal = np.round(taal * 2) / 2
    part = np.round(part * 2) / 2
    done = (np.cumsum(taal, axis=1) >= 800) & (np.cumsum(part, axis=1) >= 800)
    valid = grid <= m_stop[:, None]
    first_done = np.where(done.any(axis=1), done.argmax(axis=1), months)
    reached = (first_done < months) & (valid[np.arange(len(zi)), np.minimum(first_done, months - 1)])
    done_month = m0 + first_done
    z_done[zi[reached]] = _month_start(done_month[reached] + 1) - 1
    # rows stop once the route is done (the voldaan decision follows)
    valid &= np.arange(months)[None, :] <= np.where(reached, first_done, months)[:, None]
    rr, cc = np.nonzero(valid)
    return dict(p=zi[rr], maand=grid[rr, cc], taal=taal[rr, cc], part=part[rr, cc]), z_done


def _exams(rng, n, p, anchor, cut, route1, afs_date, ability, wi2013):
    """Exam attempts per onderdeel (up to 4), the date all parts were passed, and the number of failures."""
    ei = np.flatnonzero(anchor < cut)
    m = len(ei)
    all_pass = np.full(n, NEVER, dtype=np.int64)
    failures = np.zeros(n, dtype=np.int64)
    if m == 0:
        return dict(p=np.zeros(0, np.int64), onderdeel=np.zeros(0, np.int8), niveau=np.zeros(0, np.int8),
                    datum=np.zeros(0, np.int64), resultaat=np.zeros(0, np.int8), poging=np.zeros(0, np.int8)), all_pass, failures
    P, A = 5, 4
    is_o = route1[ei] == ONDERWIJS
    w13 = wi2013[ei]
    base = anchor[ei] + np.where(w13, 60 + _gamma(rng, 2.0, 180.0, m), np.where(
        is_o, 300 + _gamma(rng, 2.0, 160.0, m), 200 + _gamma(rng, 2.0, 80.0, m))).astype(np.int64)
    offset = rng.integers(-20, 41, (m, P))
    offset[:, 4] = rng.integers(-120, -19, m)
    gaps = 45 + _gamma(rng, 2.0, 60.0, (m, P, A)).astype(np.int64)
    gaps[:, :, 0] = 0
    dates = base[:, None, None] + offset[:, :, None] + np.cumsum(gaps, axis=2)
    a2 = (dates >= afs_date[ei][:, None, None]) | w13[:, None, None]
    niveau = np.where(a2, NIVEAU_A2, NIVEAU_B1)
    niveau[:, 4, :] = NIVEAU_NONE
    logit = (np.log(EXAM_BASE_PASS / (1 - EXAM_BASE_PASS))[None, :, None] + ability[ei][:, None, None]
             + p["exam_shift"] + np.where(niveau == NIVEAU_A2, A2_LOGIT_BONUS, 0.0))
    p_pass = 1 / (1 + np.exp(-logit))
    noshow = rng.random((m, P, A)) < 0.04
    passed = ~noshow & (rng.random((m, P, A)) < p_pass)
    stop = rng.random((m, P, A)) < 0.12
    ended_before = np.zeros((m, P, A), dtype=bool)
    ended_before[:, :, 1:] = np.cumsum(passed | stop, axis=2)[:, :, :-1] > 0
    valid = ~ended_before & (dates < cut[ei][:, None, None])
    result = np.where(passed, RES_GESLAAGD, np.where(noshow, RES_NIET_VERSCHENEN, RES_GEZAKT))
    pass_dates = np.where(valid & passed, dates, NEVER).min(axis=2)
    all_pass[ei] = pass_dates.max(axis=1)
    failures[ei] = (valid & ~passed).sum(axis=(1, 2))
    r, part, k = np.nonzero(valid)
    exams = dict(p=ei[r], onderdeel=part.astype(np.int8), niveau=niveau[r, part, k].astype(np.int8),
                 datum=dates[r, part, k], resultaat=result[r, part, k].astype(np.int8), poging=(k + 1).astype(np.int8))
    return exams, all_pass, failures


def _talks(rng, n, p, asiel, wi2013, welkom, intake, pip, brp, map_done, ontz_start, ontz_end0, stop) -> dict:
    rows = []

    def add(idx, dates, soort):
        rows.append(dict(p=idx, datum=dates, soort=np.full(len(idx), TALK[soort], dtype=np.int8)))

    i = np.flatnonzero(welkom < NEVER)
    add(i, welkom[i], "welkom")
    i = np.flatnonzero(intake < NEVER)
    add(i, intake[i], "intake")
    second = intake + rng.integers(7, 36, n)
    i = np.flatnonzero((intake < NEVER) & (second < pip) & (rng.random(n) < 0.5))
    add(i, second[i], "intake")
    # voortgang: gemeente-dependent rhythm from the PIP (Wi2013: from the BRP registration)
    anchor = np.where(wi2013, np.where(brp < NEVER, brp + 60, NEVER), pip)
    mean = np.where(asiel, p["voortgang_mean"], p["voortgang_mean"] * 1.3)
    K = 14
    gaps = rng.gamma(4.0, 1.0, (n, K)) * (mean / 4.0)[:, None]
    dates = anchor[:, None] + np.cumsum(gaps, axis=1).astype(np.int64)
    valid = (anchor[:, None] < NEVER) & (dates < stop[:, None])
    r, c = np.nonzero(valid)
    add(r, dates[r, c], "voortgang")
    i = np.flatnonzero(map_done < NEVER)
    add(i, map_done[i], "eind")
    i = np.flatnonzero(ontz_start < NEVER)
    add(i, ontz_start[i], "ontzorgen")
    i = np.flatnonzero((ontz_start < NEVER) & (ontz_end0 > ontz_start))
    add(i, ontz_end0[i], "ontzorgen")
    return {k: np.concatenate([row[k] for row in rows]) for k in rows[0]}


def simulate_universe(gemeente_codes: list[str], seed: int = 2021, scale: float = 1.0, last_year: int = 2026) -> Universe:
    """The full case universe of the given gemeenten, before any peildatum cut."""
    ref = gemeente_by_code()
    if not gemeente_codes:
        raise ValueError("no gemeente codes given")
    unknown = [c for c in gemeente_codes if c not in ref]
    if unknown:
        raise ValueError(f"unknown gemeente codes: {unknown}")
    national = sum(g.inwoners for g in load_gemeenten())
    parts = [_simulate(ref[c], seed, scale, last_year, national) for c in dict.fromkeys(gemeente_codes)]
    offsets = np.cumsum([0] + [len(u.persons["gm"]) for u in parts])

    def cat(attr, shift):
        keys = getattr(parts[0], attr).keys()
        out = {}
        for k in keys:
            arrays = [getattr(u, attr)[k] + off if (shift and k == "p") else getattr(u, attr)[k]
                      for u, off in zip(parts, offsets)]
            out[k] = np.concatenate(arrays)
        return out

    persons = cat("persons", False)
    persons["bsn"] = make_bsns(persons["gm"], persons["local"], seed)
    return Universe(persons, cat("examens", True), cat("activiteiten", True), cat("gesprekken", True),
                    cat("uren", True), [c for u in parts for c in u.codes])


# ---------------------------------------------------------------- snapshot at a peildatum -> canonical strings
_LUT_START = to_days(dt.date(1990, 1, 1))
_LUT_END = to_days(dt.date(2060, 12, 31))


@lru_cache(maxsize=1)
def _date_lut() -> np.ndarray:
    days = np.arange(_LUT_START, _LUT_END + 1).astype("datetime64[D]")
    return np.append(np.datetime_as_string(days, unit="D").astype(object), "")


@lru_cache(maxsize=1)
def _month_lut() -> np.ndarray:
    months = np.arange(_month_index(np.array([_LUT_START]))[0], _month_index(np.array([_LUT_END]))[0] + 1)
    return np.datetime_as_string(months.astype("datetime64[M]"), unit="M").astype(object)


@lru_cache(maxsize=1)
def _hours_lut() -> np.ndarray:
    return np.append(np.array([f"{i / 10:.1f}" for i in range(0, 20001)], dtype=object), "")


def _fmt_dates(days: np.ndarray, show: np.ndarray | None = None) -> np.ndarray:
    days = np.asarray(days, dtype=np.int64)
    ok = (days >= _LUT_START) & (days <= _LUT_END)
    if show is not None:
        ok &= show
    lut = _date_lut()
    return lut[np.where(ok, days - _LUT_START, len(lut) - 1)]


def _fmt_hours(values: np.ndarray) -> np.ndarray:
    lut = _hours_lut()
    v = np.asarray(values, dtype=float)
    idx = np.where(np.isnan(v), len(lut) - 1, np.clip(np.round(np.nan_to_num(v) * 10), 0, 20000)).astype(np.int64)
    return lut[idx]


def _pick(codes: tuple[str, ...], idx: np.ndarray) -> np.ndarray:
    table = np.array(list(codes) + [""], dtype=object)
    return table[np.where(idx < 0, len(codes), idx)]


def _frame(columns: tuple[str, ...], data: dict[str, np.ndarray], n: int) -> pd.DataFrame:
    out = {}
    for c in columns:
        v = data[c]
        out[c] = np.full(n, v, dtype=object) if isinstance(v, str) else v
    return pd.DataFrame(out, columns=list(columns), dtype="str")


def snapshot(u: Universe, peildatum: dt.date) -> dict[str, pd.DataFrame]:
    """Cut a universe at the peildatum into canonical frames (all strings, '' = unknown)."""
    D = to_days(peildatum)
    P = u.persons
    keep = np.flatnonzero(P["entry"] <= D)
    keep = keep[np.lexsort((P["client_num"][keep], P["gm"][keep]))]  # as a case system lists them
    new_pos = np.full(len(P["entry"]), -1, dtype=np.int64)
    new_pos[keep] = np.arange(len(keep))
    q = {k: v[keep] for k, v in P.items()}
    n = len(keep)
    codes = np.array([g.code for g in load_gemeenten()], dtype=object)
    gm = codes[q["gm"]]
    client = np.char.add("K-", np.char.zfill(q["client_num"].astype(str), 6)).astype(object)
    seen = lambda x: x <= D  # noqa: E731
    has_pip = seen(q["pip"])
    route_now = np.where(seen(q["switch"]), q["route1"], q["route0"])
    route_now = np.where(has_pip, route_now, -1)
    pip_now = np.maximum(q["pip"], np.maximum(np.where(seen(q["switch"]), q["switch"], 0),
                                              np.where(seen(q["pip_update"]), q["pip_update"], 0)))
    term_now = np.where(seen(q["ext_decision"]), q["term_ext"], q["term"])
    show_term = np.where(q["wi2013"], q["term"] < NEVER, has_pip)

    # paid work of >= 24 h a week running at the peildatum ends the bijstand
    A = u.activiteiten
    working = np.zeros(len(P["entry"]), dtype=bool)
    running = (A["soort"] == ACT["betaald_werk"]) & (A["start"] <= D) & (A["end"] > D) & (np.nan_to_num(A["uren"], nan=0) >= 24)
    working[A["p"][running]] = True
    has_brp = seen(q["brp"])
    bijstand = np.where(has_brp, np.where(q["bijstand_base"] & ~working[keep], "ja", "nee"), "").astype(object)

    ontz_seen = seen(q["ontz_start"])
    ontz_end = np.where(seen(q["ontz_ext_decision"]), q["ontz_end1"], q["ontz_end0"])
    afs = np.where(has_pip & (route_now == B1), np.where(seen(q["afs"]), "ja", "nee"), "").astype(object)

    term_passed = term_now <= D
    map_status = np.full(n, "", dtype=object)
    map_status[has_pip] = "lopend"
    map_status[has_pip & term_passed] = "niet_voldaan"
    map_status[has_pip & seen(q["uit"])] = "lopend"
    map_status[has_pip & seen(q["map_done"])] = "voldaan"
    map_status[has_pip & (route_now == ONDERWIJS)] = "vrijgesteld"
    map_date_show = has_pip & seen(q["map_done"]) & (route_now != ONDERWIJS)
    pvt_status = np.full(n, "", dtype=object)
    pvt_status[has_pip] = "lopend"
    pvt_status[has_pip & term_passed] = "niet_voldaan"
    pvt_status[has_pip & seen(q["uit"])] = "lopend"
    pvt_status[has_pip & seen(q["pvt_done"])] = "voldaan"
    pvt_status[has_pip & q["pvt_exempt"]] = "vrijgesteld"

    onth_seen = seen(q["onth"])
    uit_seen = seen(q["uit"])
    bsn = np.where(has_brp, q["bsn"].astype(str).astype(object), "")
    pdate = peildatum.isoformat()
    personen = {
        "peildatum": pdate, "gemeente_code": gm, "client_id": client, "bsn": bsn,
        "doelgroep": _pick(schema.DOELGROEPEN, q["doelgroep"]),
        "nareiziger": np.where(q["doelgroep"] == 0, np.where(q["nareiziger"], "ja", "nee"), "").astype(object),
        "geslacht": _pick(schema.GESLACHTEN, q["geslacht"]),
        "geboortejaar": q["geboortejaar"].astype(str).astype(object),
        "herkomstland": np.array(COUNTRIES, dtype=object)[q["herkomst"]],
        "datum_plicht": _fmt_dates(q["plicht"]),
        "datum_koppeling": _fmt_dates(q["koppeling"], seen(q["koppeling"])),
        "datum_huisvesting": _fmt_dates(q["huisvesting"], seen(q["huisvesting"])),
        "datum_inschrijving_brp": _fmt_dates(q["brp"], has_brp),
        "datum_welkomgesprek": _fmt_dates(q["welkom"], seen(q["welkom"])),
        "datum_start_brede_intake": _fmt_dates(q["intake"], seen(q["intake"])),
        "datum_leerbaarheidstoets": _fmt_dates(q["lbt"], seen(q["lbt"])),
        "datum_pip_initieel": _fmt_dates(q["pip"], has_pip),
        "datum_pip_actueel": _fmt_dates(pip_now, has_pip),
        "leerroute_initieel": _pick(ROUTES, np.where(has_pip, q["route0"], -1)),
        "leerroute_actueel": _pick(ROUTES, route_now),
        "datum_wijziging_leerroute": _fmt_dates(q["switch"], seen(q["switch"])),
        "afschaling_a2": afs,
        "datum_einde_termijn": _fmt_dates(term_now, show_term),
        "bijstand": bijstand,
        "datum_start_ontzorgen": _fmt_dates(q["ontz_start"], ontz_seen),
        "datum_einde_ontzorgen": _fmt_dates(ontz_end, ontz_seen),
        "map_status": map_status,
        "datum_map_afgerond": _fmt_dates(q["map_done"], map_date_show),
        "pvt_status": pvt_status,
        "datum_pvt_afgerond": _fmt_dates(q["pvt_done"], has_pip & seen(q["pvt_done"]) & ~q["pvt_exempt"]),
        "datum_voldaan": _fmt_dates(q["voldaan"], seen(q["voldaan"])),
        "datum_ontheffing": _fmt_dates(q["onth"], onth_seen),
        "reden_ontheffing": _pick(schema.REDENEN_ONTHEFFING, np.where(onth_seen, q["onth_reason"], -1)),
        "datum_boete": _fmt_dates(q["boete"], seen(q["boete"])),
        "datum_uitstroom": _fmt_dates(q["uit"], uit_seen),
        "reden_uitstroom": _pick(schema.REDENEN_UITSTROOM, np.where(uit_seen, q["uit_reason"], -1)),
    }
    frames = {"personen": _frame(schema.COLUMNS["personen"], personen, n)}

    def child(rows: dict, when: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = new_pos[rows["p"]]
        sel = np.flatnonzero((pos >= 0) & (when <= D))
        sel = sel[np.lexsort((when[sel], pos[sel]))]
        return sel, pos[sel]

    def keys(pos):
        return {"peildatum": pdate, "gemeente_code": gm[pos], "client_id": client[pos]}

    E = u.examens
    sel, pos = child(E, E["datum"])
    frames["examens"] = _frame(schema.COLUMNS["examens"], {
        **keys(pos), "onderdeel": _pick(schema.ONDERDELEN, E["onderdeel"][sel]),
        "niveau": _pick(schema.NIVEAUS, E["niveau"][sel]), "datum_examen": _fmt_dates(E["datum"][sel]),
        "resultaat": _pick(schema.RESULTATEN, E["resultaat"][sel]),
        "poging": E["poging"][sel].astype(str).astype(object)}, len(sel))

    sel, pos = child(A, A["start"])
    end = A["end"][sel]
    frames["activiteiten"] = _frame(schema.COLUMNS["activiteiten"], {
        **keys(pos), "soort": _pick(schema.ACTIVITEIT_SOORTEN, A["soort"][sel]),
        "datum_start": _fmt_dates(A["start"][sel]),
        "datum_einde": _fmt_dates(end, (end <= D) | A["planned"][sel]),
        "uren_per_week": _fmt_hours(A["uren"][sel])}, len(sel))

    T = u.gesprekken
    sel, pos = child(T, T["datum"])
    frames["gesprekken"] = _frame(schema.COLUMNS["gesprekken"], {
        **keys(pos), "datum_gesprek": _fmt_dates(T["datum"][sel]),
        "soort": _pick(schema.GESPREK_SOORTEN, T["soort"][sel])}, len(sel))

    R = u.uren
    month_d = _month_index(np.array([D]))[0]
    rpos = new_pos[R["p"]]
    sel = np.flatnonzero((rpos >= 0) & (R["maand"] <= month_d))
    sel = sel[np.lexsort((R["maand"][sel], rpos[sel]))]
    pos = rpos[sel]
    m0 = _month_index(np.array([_LUT_START]))[0]
    frames["uren"] = _frame(schema.COLUMNS["uren"], {
        **keys(pos), "maand": _month_lut()[R["maand"][sel] - m0], "uren_taal": _fmt_hours(R["taal"][sel]),
        "uren_participatie": _fmt_hours(R["part"][sel])}, len(sel))
    return frames


def generate_cases(gemeente_codes: list[str], peildatum: dt.date, seed: int = 2021, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """Synthetic canonical case exports of the given gemeenten at the peildatum (every column a string)."""
    if isinstance(peildatum, dt.datetime):
        peildatum = peildatum.date()
    universe = simulate_universe(list(gemeente_codes), seed=seed, scale=scale, last_year=max(2026, peildatum.year))
    return snapshot(universe, peildatum)
