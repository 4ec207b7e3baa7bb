"""Unit tests of the seeded sample-data generator (pipelines.samples)."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from pipelines.samples import DEMO_GEMEENTEN, generate_cases, write_defect_set, write_delivery
from pipelines.samples import schema
from pipelines.samples.generator import elfproef, load_gemeenten, make_bsns
from pipelines.samples.layouts import load_profile
from pipelines.settings import PROFILES_DIR

D = dt.date(2026, 9, 30)
SMALL = ["GM0141", "GM0384", "GM0183"]

# Transcribed from docs export-format.md (v1), independently of schema.py, to catch drift in either.
EXPECTED_COLUMNS = {
    "personen": {
        "peildatum", "gemeente_code", "client_id", "bsn", "doelgroep", "nareiziger", "geslacht", "geboortejaar",
        "herkomstland", "datum_plicht", "datum_koppeling", "datum_huisvesting", "datum_inschrijving_brp",
        "datum_welkomgesprek", "datum_start_brede_intake", "datum_leerbaarheidstoets", "datum_pip_initieel",
        "datum_pip_actueel", "leerroute_initieel", "leerroute_actueel", "datum_wijziging_leerroute",
        "afschaling_a2", "datum_einde_termijn", "bijstand", "datum_start_ontzorgen", "datum_einde_ontzorgen",
        "map_status", "datum_map_afgerond", "pvt_status", "datum_pvt_afgerond", "datum_voldaan",
        "datum_ontheffing", "reden_ontheffing", "datum_boete", "datum_uitstroom", "reden_uitstroom"},
    "examens": {"peildatum", "gemeente_code", "client_id", "onderdeel", "niveau", "datum_examen", "resultaat", "poging"},
    "activiteiten": {"peildatum", "gemeente_code", "client_id", "soort", "datum_start", "datum_einde", "uren_per_week"},
    "gesprekken": {"peildatum", "gemeente_code", "client_id", "datum_gesprek", "soort"},
    "uren": {"peildatum", "gemeente_code", "client_id", "maand", "uren_taal", "uren_participatie"},
}


# ---------------------------------------------------------------- a reference checker of the row rules
def _valid_date(s: pd.Series) -> pd.Series:
    ok = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    parsed = pd.to_datetime(s.where(ok), format="%Y-%m-%d", errors="coerce")
    return ok & parsed.notna()


def row_problems(frames: dict[str, pd.DataFrame], peildatum: dt.date) -> dict[str, pd.Series]:
    """Per file a boolean Series: True where a row breaks a row-level rule of export-format.md."""
    peil = peildatum.isoformat()
    out = {}
    keys = set()
    if "personen" in frames:
        keys = set(zip(frames["personen"]["gemeente_code"], frames["personen"]["client_id"]))
    for t, f in frames.items():
        bad = pd.Series(False, index=f.index)
        for c in schema.REQUIRED[t]:
            bad |= f[c] == ""
        for (tt, c), codes in schema.CODE_SETS.items():
            if tt == t:
                bad |= (f[c] != "") & ~f[c].isin(codes)
        for c in schema.DATE_COLUMNS[t]:
            v = f[c]
            bad |= (v != "") & ~_valid_date(v)
            if c not in schema.FUTURE_ALLOWED.get(t, ()):
                bad |= (v != "") & (v > peil)
        for c in schema.INTEGER_COLUMNS.get(t, ()):
            bad |= (f[c] != "") & ~f[c].str.fullmatch(r"\d+")
        for c in schema.DECIMAL_COLUMNS.get(t, ()):
            bad |= (f[c] != "") & ~f[c].str.fullmatch(r"\d+(\.\d+)?")
        if t == "examens":
            bad |= f["poging"] == "0"
        if t == "uren":
            bad |= ~f["maand"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])") | (f["maand"] > peil[:7])
        if t == "activiteiten":
            both = (f["datum_einde"] != "") & (f["datum_start"] != "")
            bad |= both & (f["datum_einde"] < f["datum_start"])
        if t == "personen":
            bad |= (f["bsn"] != "") & ~f["bsn"].map(elfproef)
            year = pd.to_numeric(f["geboortejaar"].where(f["geboortejaar"].str.fullmatch(r"\d+")), errors="coerce")
            bad |= (f["geboortejaar"] != "") & ((year < 1900) | (year > peildatum.year))
            for early, late in (("datum_koppeling", "datum_huisvesting"), ("datum_pip_initieel", "datum_pip_actueel"),
                                ("datum_plicht", "datum_pip_initieel"), ("datum_start_ontzorgen", "datum_einde_ontzorgen")):
                both = (f[early] != "") & (f[late] != "")
                bad |= both & (f[late] < f[early])
            bad |= (f["datum_pip_initieel"] != "") & (f["leerroute_initieel"] == "")
            bad |= f.duplicated(["gemeente_code", "client_id"], keep=False)
        else:
            bad |= ~pd.Series([k in keys for k in zip(f["gemeente_code"], f["client_id"])], index=f.index, dtype=bool)
        out[t] = bad
    return out


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate_cases(SMALL, D, seed=7)


@pytest.fixture(scope="module")
def national() -> dict[str, pd.DataFrame]:
    """All 342 gemeenten at 30 % of their size: a mid-size run for calibration."""
    return generate_cases([g.code for g in load_gemeenten()], D, seed=2021, scale=0.3)


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate_cases(DEMO_GEMEENTEN, D, seed=2021)


def _dates(f: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_datetime(f[col].replace("", None), format="%Y-%m-%d")


# ---------------------------------------------------------------- determinism and layout
def test_same_seed_same_frames_other_seed_other_frames(small):
    again = generate_cases(SMALL, D, seed=7)
    for t in schema.FILE_TYPES:
        pd.testing.assert_frame_equal(small[t], again[t])
    other = generate_cases(SMALL, D, seed=8)
    assert not small["personen"]["datum_plicht"].equals(other["personen"]["datum_plicht"])


def test_a_gemeente_does_not_depend_on_its_company(small):
    alone = generate_cases(["GM0384"], D, seed=7)
    for t in schema.FILE_TYPES:
        part = small[t][small[t]["gemeente_code"] == "GM0384"].reset_index(drop=True)
        pd.testing.assert_frame_equal(part, alone[t])


def test_earlier_peildatum_is_an_earlier_state_of_the_same_persons(small):
    early = generate_cases(SMALL, dt.date(2024, 12, 31), seed=7)
    p_late = small["personen"].set_index(["gemeente_code", "client_id"])
    p_early = early["personen"].set_index(["gemeente_code", "client_id"])
    assert 0 < len(p_early) < len(p_late)
    assert p_early.index.isin(p_late.index).all()
    common = p_late.loc[p_early.index]
    for col in ("datum_plicht", "geboortejaar", "doelgroep", "datum_pip_initieel", "leerroute_initieel"):
        shown = p_early[col] != ""
        assert (p_early.loc[shown, col] == common.loc[shown, col]).all(), col
    assert (early["personen"]["peildatum"] == "2024-12-31").all()


def test_columns_equal_the_canonical_layout(small):
    assert set(small) == set(EXPECTED_COLUMNS)
    for t, cols in EXPECTED_COLUMNS.items():
        assert set(small[t].columns) == cols
        assert list(small[t].columns) == list(schema.COLUMNS[t])
        assert len(small[t]) > 0
        for c in small[t].columns:
            assert small[t][c].map(type).eq(str).all(), (t, c)
        assert small[t]["peildatum"].eq(D.isoformat()).all()


def test_codes_identifiers_and_bsn(national):
    p = national["personen"]
    for (t, c), codes in schema.CODE_SETS.items():
        values = set(national[t][c]) - {""}
        assert values <= set(codes), (t, c, values - set(codes))
    assert p["client_id"].str.fullmatch(r"K-\d{6}").all()
    assert not p.duplicated(["gemeente_code", "client_id"]).any()
    bsn = p.loc[p["bsn"] != "", "bsn"]
    assert bsn.str.fullmatch(r"[1-9]\d{8}").all()
    assert bsn.map(elfproef).all()
    assert bsn.is_unique
    assert not (bsn == p.loc[p["bsn"] != "", "client_id"].str[2:]).any()
    # BSN exactly for the persons registered in the BRP
    assert ((p["bsn"] != "") == (p["datum_inschrijving_brp"] != "")).all()
    assert p["herkomstland"].str.fullmatch(r"([A-Z]{2})?").all()


def test_make_bsns_unique_for_all_keys():
    gm = np.repeat(np.arange(342), 300)
    local = np.tile(np.arange(300), 342)
    bsn = make_bsns(gm, local, seed=5)
    assert len(np.unique(bsn)) == len(bsn)
    assert all(elfproef(str(b)) for b in bsn[:: 97])
    assert not elfproef("123456789") and elfproef("111222333")


def test_normal_data_breaks_no_row_rule(small, national):
    for frames in (small, national):
        problems = row_problems(frames, D)
        for t, bad in problems.items():
            assert not bad.any(), (t, frames[t][bad].head(3).to_dict("records"))


def test_chain_is_plausible(national):
    p = national["personen"]
    # pairs (earlier, later) that hold in normal data beyond the contract's rules
    pairs = [("datum_plicht", "datum_koppeling"), ("datum_huisvesting", "datum_inschrijving_brp"),
             ("datum_plicht", "datum_inschrijving_brp"), ("datum_koppeling", "datum_welkomgesprek"),
             ("datum_plicht", "datum_start_brede_intake"), ("datum_start_brede_intake", "datum_leerbaarheidstoets"),
             ("datum_start_brede_intake", "datum_pip_initieel"), ("datum_inschrijving_brp", "datum_pip_initieel"),
             ("datum_pip_initieel", "datum_wijziging_leerroute"), ("datum_pip_initieel", "datum_voldaan"),
             ("datum_pip_initieel", "datum_map_afgerond"), ("datum_pip_initieel", "datum_einde_termijn"),
             ("datum_plicht", "datum_uitstroom"), ("datum_inschrijving_brp", "datum_start_ontzorgen")]
    for early, late in pairs:
        both = (p[early] != "") & (p[late] != "")
        assert both.any(), (early, late)
        assert (p.loc[both, late] >= p.loc[both, early]).all(), (early, late)
    # the MAP eindgesprek is a gesprek of soort eind on datum_map_afgerond; the onderwijsroute has no MAP
    g = national["gesprekken"]
    eind = set(zip(*(g.loc[g["soort"] == "eind", c] for c in ("gemeente_code", "client_id", "datum_gesprek"))))
    done = p[p["datum_map_afgerond"] != ""]
    assert eind == set(zip(done["gemeente_code"], done["client_id"], done["datum_map_afgerond"]))
    assert (p.loc[p["leerroute_actueel"] == "ONDERWIJS", "map_status"] == "vrijgesteld").all()
    switched = p["datum_wijziging_leerroute"] != ""
    assert (p.loc[switched, "leerroute_actueel"] != p.loc[switched, "leerroute_initieel"]).all()
    assert (p.loc[~switched, "leerroute_actueel"] == p.loc[~switched, "leerroute_initieel"]).all()
    # onderwijsroute only under 28 at the start of the plicht
    o = p[p["leerroute_initieel"] == "ONDERWIJS"]
    assert (o["datum_plicht"].str[:4].astype(int) - o["geboortejaar"].astype(int) <= 28).all()
    # the term is 3 years from the initial PIP, or longer when extended
    w = p[(p["datum_pip_initieel"] != "")]
    term = _dates(w, "datum_einde_termijn")
    three = _dates(w, "datum_pip_initieel") + pd.DateOffset(years=3)
    assert (term >= three - pd.Timedelta(days=1)).all() and (term == three).mean() > 0.85
    # Z-route persons only in uren; no exams for someone who was only ever on the Z-route
    key = ["gemeente_code", "client_id"]
    on_uren = p.merge(national["uren"][key].drop_duplicates(), on=key)
    assert len(on_uren) > 0
    assert ((on_uren["leerroute_initieel"] == "Z") | (on_uren["leerroute_actueel"] == "Z")).all()
    z_only = p[(p["leerroute_initieel"] == "Z") & (p["leerroute_actueel"] == "Z")][key]
    assert z_only.merge(national["examens"][key].drop_duplicates(), on=key).empty
    # exam attempts are numbered 1, 2, ... per person and onderdeel
    e = national["examens"]
    e = e.assign(poging=e["poging"].astype(int)).sort_values(["gemeente_code", "client_id", "onderdeel", "poging"])
    assert (e.groupby(["gemeente_code", "client_id", "onderdeel"]).cumcount() + 1 == e["poging"]).all()


# ---------------------------------------------------------------- calibration (docs/sample-data.md)
def test_calibration_roughly_holds(national):
    p = national["personen"]
    year = p["datum_plicht"].str[:4].astype(int)
    per_year = year.value_counts()
    assert per_year[2022] == pytest.approx(0.3 * 26_000, rel=0.10)
    assert per_year[2023] == pytest.approx(0.3 * 36_000, rel=0.10)
    assert per_year[2024] == pytest.approx(0.3 * 36_000, rel=0.10)
    assert 0 < per_year[2021] < 0.06 * len(p)  # a small Wi2013 ondertussengroep
    asiel = p["doelgroep"] == "asiel"
    assert 0.68 <= asiel[year == 2022].mean() <= 0.78
    assert 0.56 <= asiel[year == 2023].mean() <= 0.66
    assert 0.03 <= (p["doelgroep"] == "overig").mean() <= 0.07
    assert 0.59 <= (p.loc[asiel, "geslacht"] == "M").mean() <= 0.64
    assert 0.64 <= (p.loc[~asiel, "geslacht"] == "V").mean() <= 0.72
    syria = p.loc[asiel & (year == 2023), "herkomstland"].eq("SY").mean()
    assert 0.40 <= syria <= 0.56

    def started(mask, by):
        return (p.loc[mask, "datum_start_brede_intake"].replace("", "9999") <= by).mean() * 100

    assert 28 <= started(asiel & (year == 2022), "2022-12-31") <= 42   # CBS: 35 %
    assert 82 <= started(asiel & (year == 2022), "2023-12-31") <= 94   # CBS: 88 %
    assert 38 <= started(asiel & (year == 2023), "2023-12-31") <= 54   # CBS: 45 %
    assert 47 <= started(~asiel & (year == 2022), "2022-12-31") <= 63  # CBS: 55 %
    no_pip = (p.loc[asiel & (year == 2022), "datum_pip_initieel"].replace("", "9999") > "2022-12-31").mean()
    assert no_pip > 0.70  # CBS: more than 70 % of asiel cohort 2022 without PIP at the end of 2022

    intake, pip = _dates(p, "datum_start_brede_intake"), _dates(p, "datum_pip_initieel")
    within = (pip - intake).dt.days <= 70
    month = intake.dt.strftime("%Y-%m")
    mar22, jan23 = within[month == "2022-03"].mean() * 100, within[month == "2023-01"].mean() * 100
    assert 5 <= mar22 <= 20 and 27 <= jan23 <= 47 and mar22 < jan23  # SZW: 12 % -> 37 %

    routes = p.loc[year >= 2022, "leerroute_initieel"]
    routes = routes[routes != ""].value_counts(normalize=True)
    assert 0.54 <= routes["B1"] <= 0.66 and 0.19 <= routes["ONDERWIJS"] <= 0.31 and 0.10 <= routes["Z"] <= 0.20

    housed = asiel & (p["nareiziger"] == "nee") & (year == 2024) & (p["datum_huisvesting"] != "")
    weeks = ((_dates(p, "datum_huisvesting") - _dates(p, "datum_plicht")).dt.days / 7)[housed]
    assert 33 <= weeks.mean() <= 47  # about 40 weeks on average in 2024
    assert weeks.quantile(0.9) > 1.6 * weeks.median()  # long tail

    e = national["examens"]
    e = e[e["resultaat"] != "niet_verschenen"]
    rates = (e["resultaat"] == "geslaagd").groupby(e["onderdeel"]).mean()
    assert rates.between(0.5, 0.8).all(), rates.to_dict()
    assert (e["poging"].astype(int) > 1).mean() > 0.1


def test_gemeenten_differ_as_profiled(demo):
    p = demo["personen"]
    w = p[(p["datum_plicht"] >= "2022") & (p["datum_pip_initieel"] != "")]
    days = (_dates(w, "datum_pip_initieel") - _dates(w, "datum_inschrijving_brp")).dt.days
    median = days.groupby(w["gemeente_code"]).median()
    assert median["GM0141"] < median["GM0034"]  # Almelo fast, Almere slow
    # Almere improves: later PIPs come faster than early ones
    alm = w["gemeente_code"] == "GM0034"
    pip_year = w["datum_pip_initieel"].str[:4]
    assert days[alm & (pip_year == "2025")].median() < days[alm & (pip_year == "2022")].median()
    mix = w.groupby("gemeente_code")["leerroute_initieel"].value_counts(normalize=True).unstack(fill_value=0)
    assert mix.loc["GM0384", "B1"] > 0.68 and mix.loc["GM0384", "ONDERWIJS"] < 0.12  # Diemen's framework
    assert mix["B1"].max() - mix["B1"].min() > 0.1

    # Z-route: volunteer work within 3 months of the PIP, Almelo above the rest
    z = w[w["leerroute_initieel"] == "Z"].set_index(["gemeente_code", "client_id"])
    a = demo["activiteiten"]
    vol = a[a["soort"] == "vrijwilligerswerk"].groupby(["gemeente_code", "client_id"])["datum_start"].min()
    start = pd.to_datetime(vol.reindex(z.index), format="%Y-%m-%d")
    fast = (start - pd.to_datetime(z["datum_pip_initieel"], format="%Y-%m-%d")).dt.days <= 91
    share = fast.groupby(level=0).mean()
    assert share["GM0141"] > share.drop("GM0141").mean() + 0.1

    # >= 2 voortgangsgesprekken in the first 12 months after the PIP: Almelo's norm
    g = demo["gesprekken"]
    v = g[g["soort"] == "voortgang"].merge(w[["gemeente_code", "client_id", "datum_pip_initieel"]])
    dd = (_dates(v, "datum_gesprek") - _dates(v, "datum_pip_initieel")).dt.days
    n = v[(dd > 0) & (dd <= 365)].groupby(["gemeente_code", "client_id"]).size()
    due = w[_dates(w, "datum_pip_initieel") + pd.Timedelta(days=365) <= pd.Timestamp(D)]
    count = n.reindex(pd.MultiIndex.from_frame(due[["gemeente_code", "client_id"]]), fill_value=0)
    norm = (count >= 2).groupby(level=0).mean()
    assert norm["GM0141"] > 0.7 and norm["GM0141"] > norm["GM0034"] + 0.2


# ---------------------------------------------------------------- writing: canonical and profiles
def _read_canonical(folder: Path, sep: str = ",", encoding: str = "utf-8") -> dict[str, pd.DataFrame]:
    return {f.stem: pd.read_csv(f, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)
            for f in folder.glob("*.csv")}


def _read_profile(path: Path, name: str) -> dict[str, pd.DataFrame]:
    """A minimal profile reader: rename, map values and booleans, parse dates (a bad date stays as it is)."""
    prof = load_profile(name)
    bools = {str(k): str(v) for k, v in prof["booleans"].items()}
    out = {}
    for t, spec in prof["files"].items():
        if prof["format"] == "xlsx":
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(spec["sheet"]).to_python()
            f = pd.DataFrame(rows[1:], columns=rows[0])
        else:
            files = [p for p in path.iterdir() if p.match(spec["match"])]
            assert len(files) == 1, (t, files)
            f = pd.read_csv(files[0], sep=prof["separator"], dtype=str, keep_default_na=False)
        f = f[list(spec["columns"])].rename(columns=spec["columns"])
        for c in f.columns:
            def conv(v, c=c):
                if isinstance(v, dt.date):
                    return v.isoformat()
                if isinstance(v, float):
                    return str(int(v)) if c in schema.INTEGER_COLUMNS.get(t, ()) else f"{v:.1f}"
                if v == "":
                    return ""
                if c in schema.DATE_COLUMNS[t]:
                    try:
                        return dt.datetime.strptime(v, prof["date_format"]).date().isoformat()
                    except ValueError:
                        return v
                if c in schema.BOOLEAN_COLUMNS.get(t, ()):
                    return bools[v]
                return {str(k): str(x) for k, x in (spec.get("values") or {}).get(c, {}).items()}.get(v, v)
            f[c] = f[c].map(conv).astype(str)
        out[t] = f[list(schema.COLUMNS[t])]
    return out


def test_profiles_map_every_canonical_column_once():
    for name in ("regiesysteem_csv", "dossier_xlsx"):
        prof = load_profile(name)
        assert (PROFILES_DIR / f"{name}.yaml").exists() and prof["name"] == name
        assert prof["format"] in ("csv", "xlsx") and prof["description"]
        assert set(prof["files"]) == set(schema.FILE_TYPES)
        for t, spec in prof["files"].items():
            targets = [str(v) for v in spec["columns"].values()]
            assert sorted(targets) == sorted(schema.COLUMNS[t]), (name, t)
            for col, mapping in (spec.get("values") or {}).items():
                assert col in schema.COLUMNS[t]
                canon = [str(v) for v in mapping.values()]
                assert len(set(canon)) == len(canon)
                allowed = schema.CODE_SETS[(t, col)]
                assert set(canon) <= set(allowed), (name, t, col)
                assert set(allowed) - {"A1", "A2", "B1", "B2"} <= set(canon) or col == "niveau", (name, t, col)
            if prof["format"] == "xlsx":
                assert spec["sheet"]
        assert set(map(str, prof["booleans"].values())) == {"ja", "nee"}


def test_round_trip_through_both_profiles(small, tmp_path):
    for name, target in (("regiesysteem_csv", tmp_path / "regie"), ("dossier_xlsx", tmp_path / "dossier.xlsx")):
        paths = write_delivery(small, target, profile=name)
        assert paths and all(p.exists() for p in paths)
        back = _read_profile(target, name)
        for t in schema.FILE_TYPES:
            pd.testing.assert_frame_equal(back[t].reset_index(drop=True), small[t].reset_index(drop=True),
                                          check_dtype=False, obj=f"{name}/{t}")
    names = sorted(p.name for p in (tmp_path / "regie").iterdir())
    assert "Inburgering_klanten_20260930.csv" in names
    header = (tmp_path / "regie" / "Inburgering_klanten_20260930.csv").read_text(encoding="utf-8").split("\n")[0]
    assert "Datum koppeling COA" in header and "Dagtekening PIP" in header
    sheet = CalamineWorkbook.from_path(str(tmp_path / "dossier.xlsx")).get_sheet_by_name("Inburgeraars").to_python()
    assert "Casemanager" in sheet[0]
    assert any(isinstance(v, dt.date) for v in sheet[1])


def test_canonical_delivery_with_semicolon_and_bom(small, tmp_path):
    paths = write_delivery(small, tmp_path, separator=";", encoding="utf-8-sig")
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in schema.FILE_TYPES)
    assert (tmp_path / "personen.csv").read_bytes().startswith(b"\xef\xbb\xbfpeildatum;")
    back = _read_canonical(tmp_path, sep=";", encoding="utf-8-sig")
    for t in schema.FILE_TYPES:
        pd.testing.assert_frame_equal(back[t], small[t].reset_index(drop=True), check_dtype=False)


# ---------------------------------------------------------------- the defect set
def _readme_rows(readme: str) -> dict[str, tuple[str, dict[str, int], dict[str, int]]]:
    rows = {}
    for line in readme.splitlines():
        m = re.match(r"\| `([^`]+)` \| (\w+) \|.*\| ([^|]*) \| ([^|]*) \|$", line)
        if m:
            def parse(s):
                return {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", s)}
            rows[m.group(1)] = (m.group(2), parse(m.group(3)), parse(m.group(4)))
    return rows


def test_defect_set_matches_its_readme(tmp_path):
    out = tmp_path / "defect"
    write_defect_set(out)
    rows = _readme_rows((out / "README.md").read_text(encoding="utf-8"))
    assert len(rows) >= 25
    peil = dt.date(2026, 6, 30)
    row_level = 0
    for name, (layout, read, quarantined) in rows.items():
        if name.endswith(".zip") or not read or name in {"kolom_ontbreekt", "kolom_ontbreekt_examens",
                                                        "meerdere_peildatums", "peildatum_toekomst", "oudere_snapshot"}:
            continue
        folder = out / name
        frames = _read_canonical(folder) if layout == "canoniek" else _read_profile(folder, layout)
        assert {t: len(f) for t, f in frames.items()} == read, name
        problems = row_problems(frames, peil)
        found = {t: int(b.sum()) for t, b in problems.items() if b.any()}
        assert found == quarantined, name
        row_level += 1
    assert row_level >= 17

    assert (out / "leeg_bestand" / "personen.csv").stat().st_size == 0
    assert (out / "alleen_kopregel" / "personen.csv").read_text().count("\n") == 1
    first = (out / "geen_kopregel" / "personen.csv").read_text().split("\n")[0].split(",")
    assert not set(first) & set(schema.REQUIRED["personen"])
    assert "doelgroep" not in _read_canonical(out / "kolom_ontbreekt")["personen"].columns
    assert "resultaat" not in _read_canonical(out / "kolom_ontbreekt_examens")["examens"].columns
    assert _read_canonical(out / "meerdere_peildatums")["personen"]["peildatum"].nunique() == 2
    assert set(_read_canonical(out / "peildatum_toekomst")["personen"]["peildatum"]) == {"2099-01-01"}
    older = _read_canonical(out / "oudere_snapshot")["personen"]
    assert set(older["peildatum"]) == {"2025-06-30"} and set(older["gemeente_code"]) == {"GM0034"}
    assert not any(row_problems({"personen": older}, dt.date(2025, 6, 30))["personen"])
    with pytest.raises(UnicodeDecodeError):
        (out / "onleesbaar" / "personen.csv").read_text(encoding="utf-8")
    for z in ("zip_geldig.zip", "zip_geldig_plat.zip"):
        with zipfile.ZipFile(out / z) as zf:
            assert zf.testzip() is None
            assert any(n.endswith("personen.csv") for n in zf.namelist())
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(out / "kapotte_zip.zip").testzip()
