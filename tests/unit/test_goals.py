"""Policy goals: loading and validating goal files, the status rule, mart_beleidsdoelen.

Every test builds mart_indicatoren and snapshot_current by hand in an in-memory DuckDB, with figures whose
status is known (docs/policy-goals.md, "Status rule").
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.goals import (GOALS_DIR, STATUSES, GoalValidationError, classify, evaluate_goals, goal_status,
                             load_all_goals, load_goals, wilson_interval)
from pipelines.goals.catalog import catalog_ids, known_indicators
from pipelines.goals.engine import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
GM = "GM9999"


# ---------------------------------------------------------------- helpers

def make_con(rows, peildata: dict[str, str] | None = None):
    """rows: (indicator, gemeente, periode, doelgroep, categorie, teller, noemer, waarde)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE mart_indicatoren (indicator VARCHAR, gemeente_code VARCHAR, periode VARCHAR, "
                "doelgroep VARCHAR, categorie VARCHAR, teller BIGINT, noemer BIGINT, waarde DOUBLE)")
    if rows:
        con.executemany("INSERT INTO mart_indicatoren VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    if peildata is not None:
        con.execute("CREATE TABLE snapshot_current (gemeente_code VARCHAR, target_table VARCHAR, peildatum DATE, "
                    "load_id VARCHAR, file_name VARCHAR)")
        for code, day in peildata.items():
            con.execute("INSERT INTO snapshot_current VALUES (?, 'personen', ?, 'l1', 'personen.csv')",
                        [code, dt.date.fromisoformat(day)])
            con.execute("INSERT INTO snapshot_current VALUES (?, 'examens', DATE '1999-01-01', 'l0', 'x.csv')",
                        [code])
    return con


def share(periode, teller, noemer, indicator="pip_binnen_10_weken_pct", doelgroep="alle", categorie=None,
          gemeente=GM):
    return (indicator, gemeente, periode, doelgroep, categorie, teller, noemer, 100.0 * teller / noemer)


def value(periode, waarde, noemer, indicator="doorlooptijd_pip_mediaan", teller=None, gemeente=GM):
    return (indicator, gemeente, periode, "alle", None, teller, noemer, float(waarde))


GOAL = {"id": "doel", "titel": "Testdoel", "indicator": "pip_binnen_10_weken_pct", "doelgroep": "alle",
        "streefwaarde": 75, "richting": "minimaal", "periode": "jaar", "vanaf": 2022, "deadline": None,
        "streefwaarde_herkomst": "gemeente", "bron_tekst": "citaat"}


def write_goals(folder: Path, goals: list[dict], code: str = GM, name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{code}_test.yaml")
    path.write_text(yaml.safe_dump({"gemeente_code": code, "gemeente_naam": "Testgemeente", "bron": "testbron",
                                    "doelen": goals}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(tmp_path, goal_changes: dict, rows, peildatum="2025-06-30", *, extra_goals=()):
    """Evaluate one goal (GOAL updated with goal_changes) and return {periode: row dict}."""
    goals = load_goals(write_goals(tmp_path / "doelen", [{**GOAL, **goal_changes}, *extra_goals]).parent)
    con = make_con(rows, {GM: peildatum} if peildatum else None)
    evaluate_goals(con, goals)
    names = [c for c, _ in COLUMNS]
    out = [dict(zip(names, r)) for r in
           con.execute(f"SELECT {', '.join(names)} FROM mart_beleidsdoelen WHERE doel_id = ? ORDER BY periode",
                       [goal_changes.get("id", GOAL["id"])]).fetchall()]
    return {r["periode"]: r for r in out}


def statuses(result):
    return {p: r["status"] for p, r in result.items()}


# ---------------------------------------------------------------- shipped files

def test_the_three_shipped_files_load_and_validate():
    goals = load_goals(GOALS_DIR)
    by_gm = {}
    for g in goals:
        by_gm.setdefault(g.gemeente_code, {})[g.id] = g
    assert set(by_gm) == {"GM0034", "GM0141", "GM0384"}
    assert set(by_gm["GM0384"]) == {"routemix_b1", "routemix_onderwijs", "routemix_z", "pip_binnen_10_weken"}
    assert set(by_gm["GM0141"]) == {"welkomgesprek_6_weken", "voortgangsgesprekken_12_maanden",
                                    "z_route_vrijwilligerswerk_3_maanden", "voldaan_binnen_3_jaar"}
    assert set(by_gm["GM0034"]) == {"participatie_vanaf_dag_1", "meer_duale_trajecten"}

    diemen = by_gm["GM0384"]
    mix = {diemen[i].categorie: diemen[i].streefwaarde for i in ("routemix_b1", "routemix_onderwijs", "routemix_z")}
    assert mix == {"B1": 80, "ONDERWIJS": 5, "Z": 15} and sum(mix.values()) == 100   # B1 75 + B1-mbo 5
    assert all(diemen[i].doelgroep == "asiel" and diemen[i].richting == "ongeveer" and diemen[i].marge == 5
               for i in ("routemix_b1", "routemix_onderwijs", "routemix_z"))
    assert "75%" in diemen["routemix_b1"].bron_tekst and "B1 mbo route 5%" in diemen["routemix_b1"].bron_tekst
    pip = diemen["pip_binnen_10_weken"]
    assert (pip.streefwaarde, pip.streefwaarde_herkomst) == (100, "wet")

    assert by_gm["GM0141"]["welkomgesprek_6_weken"].indicator == "welkomgesprek_binnen_6_weken_pct"
    assert "Binnen zes weken" in by_gm["GM0141"]["welkomgesprek_6_weken"].bron_tekst
    assert by_gm["GM0034"]["meer_duale_trajecten"].indicator == "duaal_pct"
    assert by_gm["GM0034"]["participatie_vanaf_dag_1"].periode == "kwartaal"
    for g in goals:
        assert g.bron_tekst and g.bron and g.titel
        # a goal whose source gives no number never carries a number presented as the gemeente's
        if g.streefwaarde_herkomst == "standaard":
            assert g.streefwaarde is None and g.richting in ("stijgend", "dalend") and g.toelichting
        if g.streefwaarde_herkomst == "afgeleid":
            assert g.toelichting and "geen percentage" in g.toelichting


def test_shipped_goals_are_evaluated_for_loaded_gemeenten_only(monkeypatch):
    monkeypatch.delenv("INBURGERING_DOELEN_DIR", raising=False)
    rows = [share(str(y), 30, 40, "leerroute_aandeel_pct", "asiel", "B1", "GM0384") for y in (2022, 2023)]
    rows += [share(str(y), 2, 40, "leerroute_aandeel_pct", "asiel", c, "GM0384") for y in (2022, 2023)
             for c in ("ONDERWIJS", "Z")]
    con = make_con(rows, {"GM0384": "2023-12-31"})
    n = evaluate_goals(con)
    got = con.execute("SELECT DISTINCT gemeente_code FROM mart_beleidsdoelen").fetchall()
    assert got == [("GM0384",)] and n == 8   # 4 Diemen goals x 2 years; Almelo and Almere are not loaded
    st = dict(con.execute("SELECT doel_id || '/' || periode, status FROM mart_beleidsdoelen").fetchall())
    assert st["routemix_b1/2023"] == "op_koers"           # 75 % in 80 +/- 5
    assert st["routemix_z/2023"] == "risico"              # 5 %: outside 10-20, interval reaches 10
    assert st["pip_binnen_10_weken/2022"] == "nog_niet_meetbaar"   # no row


def test_catalog_matches_docs_indicators():
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, flags=re.M))
    assert set(catalog_ids()) <= documented             # nothing here that the document does not define
    assert documented <= set(known_indicators())         # every documented indicator can carry a goal


# ---------------------------------------------------------------- status rule, minimaal, deadlines

def test_minimaal_every_status_and_exact_target(tmp_path):
    rows = [share("2022", 30, 40), share("2023", 29, 40), share("2024", 10, 40), share("2025", 10, 40)]
    res = run(tmp_path, {}, rows)                           # D = 2025-06-30: 2025 runs, no deadline
    assert statuses(res) == {"2022": "op_koers",              # 75 % exactly at the target
                             "2023": "risico",                # 72.5 %, interval up to 83.9 % reaches 75
                             "2024": "niet_gehaald",          # 25 %, interval up to 40.0 %
                             "2025": "risico"}                # would be niet_gehaald, but the period runs
    assert set(statuses(res).values()) | {"nog_niet_meetbaar"} == set(STATUSES)
    r = res["2023"]
    assert (r["teller"], r["noemer"], r["waarde"], r["streefwaarde"]) == (29, 40, 72.5, 75.0)
    assert r["ci_onder"] == pytest.approx(57.16, abs=0.01) and r["ci_boven"] == pytest.approx(83.89, abs=0.01)
    assert "loopt nog" in res["2025"]["toelichting"] and "peildatum 30-06-2025" in res["2025"]["toelichting"]
    assert res["2022"]["bron"] == "testbron" and res["2022"]["streefwaarde_herkomst"] == "gemeente"


def test_noemer_9_is_not_measurable_and_10_is(tmp_path):
    res = run(tmp_path, {}, [share("2022", 9, 9), share("2023", 10, 10)])
    assert statuses(res)["2022"] == "nog_niet_meetbaar" and statuses(res)["2023"] == "op_koers"
    small = res["2022"]
    assert small["waarde"] is None and small["teller"] is None and small["noemer"] is None
    assert small["ci_onder"] is None and "Te weinig gevallen" in small["toelichting"]


def test_missing_rows_and_every_period_from_vanaf(tmp_path):
    other = share("2025", 5, 10, indicator="duaal_pct")   # the gemeente's latest year in mart_indicatoren
    res = run(tmp_path, {"vanaf": 2023}, [share("2022", 30, 40), share("2024", 30, 40), other])
    assert list(res) == ["2023", "2024", "2025"]          # from vanaf to the latest year, also without rows
    assert statuses(res) == {"2023": "nog_niet_meetbaar", "2024": "op_koers", "2025": "nog_niet_meetbaar"}
    assert res["2023"]["toelichting"] == "Geen cijfer voor deze periode."


def test_quarter_goal_runs_over_quarters_only(tmp_path):
    rows = [share(q, 30, 40) for q in ("2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2")] + [share("2025", 30, 40)]
    res = run(tmp_path, {"periode": "kwartaal", "vanaf": "2024-Q3"}, rows, peildatum="2025-05-15")
    assert list(res) == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    assert statuses(res)["2025-Q2"] == "op_koers" and "Voorlopig" in res["2025-Q2"]["toelichting"]
    assert run(tmp_path, {"periode": "kwartaal", "vanaf": "2026-Q1"}, rows, peildatum="2025-05-15") == {}


def test_running_period_with_a_later_deadline_is_not_measurable(tmp_path):
    rows = [share("2024", 10, 40), share("2025", 10, 40)]
    res = run(tmp_path, {"deadline": 2025, "vanaf": 2024}, rows)   # deadline 31-12-2025 > D = 30-06-2025
    assert statuses(res) == {"2024": "risico", "2025": "nog_niet_meetbaar"}
    assert "deadline (2025) is nog niet bereikt" in res["2024"]["toelichting"]
    assert res["2025"]["waarde"] == 25.0                     # the figure is shown, only not judged

    res = run(tmp_path, {"deadline": "2025-Q1", "vanaf": 2024}, rows)       # deadline passed, but the period still runs
    assert statuses(res) == {"2024": "risico", "2025": "risico"}
    res = run(tmp_path, {"deadline": "2024", "vanaf": 2024}, rows)           # the deadline's own period is decisive
    assert statuses(res) == {"2024": "niet_gehaald", "2025": "risico"}
    res = run(tmp_path, {"deadline": dt.date(2024, 12, 30)}, rows)
    assert statuses(res)["2024"] == "niet_gehaald"
    res = run(tmp_path, {"deadline": dt.date(2025, 1, 1)}, rows)
    assert statuses(res)["2024"] == "risico"


def test_period_ending_on_the_peildatum_is_complete(tmp_path):
    res = run(tmp_path, {"vanaf": 2024}, [share("2024", 10, 40)], peildatum="2024-12-31")
    assert statuses(res) == {"2024": "niet_gehaald"}
    res = run(tmp_path, {"vanaf": 2024}, [share("2024", 10, 40)], peildatum="2024-12-30")
    assert statuses(res) == {"2024": "risico"}


def test_without_snapshot_current_the_latest_period_counts_as_running(tmp_path):
    rows = [share("2023", 10, 40), share("2024", 10, 40), share("2024-Q2", 1, 4)]
    res = run(tmp_path, {"vanaf": 2023}, rows, peildatum=None)
    assert statuses(res) == {"2023": "niet_gehaald", "2024": "risico"}


# ---------------------------------------------------------------- maximaal, ongeveer, stijgend, dalend

def test_maximaal(tmp_path):
    res = run(tmp_path, {"indicator": "termijn_verstreken_pct", "richting": "maximaal", "streefwaarde": 10},
              [share(y, t, 40, "termijn_verstreken_pct") for y, t in (("2022", 4), ("2023", 6), ("2024", 12))])
    assert statuses(res) == {"2022": "op_koers",     # 10 % exactly
                             "2023": "risico",       # 15 %, interval from 7.1 %
                             "2024": "niet_gehaald"}  # 30 %, interval from 18.1 %
    res = run(tmp_path, {"indicator": "termijn_verstreken_pct", "richting": "maximaal", "streefwaarde": 0},
              [share("2022", 0, 40, "termijn_verstreken_pct"), share("2023", 1, 40, "termijn_verstreken_pct")])
    assert statuses(res) == {"2022": "op_koers", "2023": "niet_gehaald"}   # 0/40: interval starts at 0


def test_ongeveer_band_edges_and_overlap(tmp_path):
    goal = {"indicator": "leerroute_aandeel_pct", "categorie": "B1", "doelgroep": "asiel", "richting": "ongeveer",
            "streefwaarde": 80, "marge": 5}
    rows = [share(y, t, n, "leerroute_aandeel_pct", "asiel", "B1")
            for y, t, n in (("2021", 34, 40), ("2022", 34, 40), ("2023", 15, 20), ("2024", 35, 40), ("2025", 400, 400))]
    rows.append(share("2023", 1, 20, "leerroute_aandeel_pct", "asiel", "Z"))
    res = run(tmp_path, goal, rows, peildatum="2025-12-31")
    assert statuses(res) == {"2022": "op_koers",      # 85 %: upper edge of 75-85
                             "2023": "op_koers",      # 75 %: lower edge
                             "2024": "risico",        # 87.5 %, interval from 73.9 %
                             "2025": "niet_gehaald"}  # 100 %, interval from 99.0 %
    assert "2021" not in res                           # before vanaf
    assert res["2024"]["marge"] == 5 and res["2024"]["categorie"] == "B1"


def test_stijgend_compares_with_the_same_period_a_year_earlier(tmp_path):
    goal = {"indicator": "duaal_pct", "richting": "stijgend", "streefwaarde": None, "periode": "kwartaal",
            "vanaf": "2023-Q1", "streefwaarde_herkomst": "standaard"}
    rows = [share(q, t, 100, "duaal_pct") for q, t in (
        ("2022-Q1", 10), ("2023-Q1", 20),      # higher -> op_koers
        ("2022-Q2", 20), ("2023-Q2", 20),      # equal -> risico
        ("2022-Q3", 20), ("2023-Q3", 17),      # lower, but the interval (up to 25.9 %) reaches 20 -> risico
        ("2022-Q4", 40), ("2023-Q4", 10),      # much lower, interval up to 17.4 % -> niet_gehaald
        ("2024-Q1", 30), ("2024-Q2", 30), ("2024-Q3", 30))]   # vs 20, 20, 17 -> op_koers
    res = run(tmp_path, goal, rows, peildatum="2024-09-30")
    assert statuses(res) == {"2023-Q1": "op_koers", "2023-Q2": "risico", "2023-Q3": "risico",
                             "2023-Q4": "niet_gehaald", "2024-Q1": "op_koers", "2024-Q2": "op_koers",
                             "2024-Q3": "op_koers"}
    assert res["2023-Q1"]["streefwaarde"] == 10.0       # the reference value
    assert "een jaar eerder (2022-Q4)" in res["2023-Q4"]["toelichting"]


def test_stijgend_without_or_with_a_small_reference_is_not_measurable(tmp_path):
    goal = {"indicator": "duaal_pct", "richting": "stijgend", "streefwaarde": None, "vanaf": 2022,
            "streefwaarde_herkomst": "standaard"}
    rows = [share("2022", 5, 9, "duaal_pct"), share("2023", 30, 100, "duaal_pct"),
            share("2024", 40, 100, "duaal_pct")]
    res = run(tmp_path, goal, rows, peildatum="2024-12-31")
    assert statuses(res) == {"2022": "nog_niet_meetbaar", "2023": "nog_niet_meetbaar", "2024": "op_koers"}
    assert "Te weinig gevallen" in res["2023"]["toelichting"] and res["2023"]["streefwaarde"] is None
    assert res["2023"]["waarde"] == 30.0                 # own figure shown; the small reference is not


def test_dalend(tmp_path):
    goal = {"indicator": "termijn_verstreken_pct", "richting": "dalend", "streefwaarde": None,
            "streefwaarde_herkomst": "standaard"}
    rows = [share(y, t, 100, "termijn_verstreken_pct") for y, t in
            (("2022", 30), ("2023", 20), ("2024", 25), ("2025", 60))]
    res = run(tmp_path, goal, rows, peildatum="2025-12-31")
    assert statuses(res) == {"2022": "nog_niet_meetbaar", "2023": "op_koers", "2024": "risico",
                             "2025": "niet_gehaald"}


# ---------------------------------------------------------------- other indicator kinds

def test_median_has_no_interval(tmp_path):
    goal = {"indicator": "doorlooptijd_pip_mediaan", "richting": "maximaal", "streefwaarde": 70}
    rows = [value("2022", 65, 12), value("2023", 70, 10), value("2024", 71, 50), value("2025", 40, 9)]
    res = run(tmp_path, goal, rows, peildatum="2025-12-31")
    assert statuses(res) == {"2022": "op_koers", "2023": "op_koers", "2024": "niet_gehaald",
                             "2025": "nog_niet_meetbaar"}
    assert res["2024"]["ci_onder"] is None and res["2024"]["ci_boven"] is None
    assert "dagen" in res["2024"]["toelichting"]


def test_count_has_no_small_number_rule(tmp_path):
    goal = {"indicator": "vrijwilligerswerk_plaatsingen", "streefwaarde": 20}
    rows = [value("2022", 3, None, "vrijwilligerswerk_plaatsingen", teller=3),
            value("2023", 20, None, "vrijwilligerswerk_plaatsingen", teller=20)]
    res = run(tmp_path, goal, rows, peildatum="2023-12-31")
    assert statuses(res) == {"2022": "niet_gehaald", "2023": "op_koers"}
    assert res["2022"]["waarde"] == 3 and res["2022"]["noemer"] is None


# ---------------------------------------------------------------- pure functions

def test_classify_interval_touching_the_target():
    assert classify("minimaal", 70, 60, 75, 75) == "risico"
    assert classify("minimaal", 70, 60, 74.99999, 75) == "niet_gehaald"
    assert classify("minimaal", 74.99999999999, 60, 80, 75) == "op_koers"    # floating-point noise
    assert classify("maximaal", 20, 10, 30, 10) == "risico"
    assert classify("maximaal", 20, 10.00001, 30, 10) == "niet_gehaald"
    assert classify("ongeveer", 90, 85, 95, 80, 5) == "risico"                # interval touches the band
    assert classify("ongeveer", 90, 85.00001, 95, 80, 5) == "niet_gehaald"
    assert classify("stijgend", 20, 15, 25, 20) == "risico"
    assert classify("dalend", 19.9, 15, 25, 20) == "op_koers"
    with pytest.raises(ValueError):
        classify("omhoog", 1, 1, 1, 1)


def test_wilson_interval_known_values():
    lo, hi = wilson_interval(5, 10)
    assert lo == pytest.approx(23.66, abs=0.01) and hi == pytest.approx(76.34, abs=0.01)
    assert wilson_interval(0, 10)[0] == 0 and wilson_interval(10, 10)[1] == 100
    with pytest.raises(ValueError):
        wilson_interval(1, 0)


def test_goal_status_api():
    s = goal_status("minimaal", 72.5, streefwaarde=75, teller=29, noemer=40)
    assert s.status == "risico" and s.label == "Risico" and s.ci_boven > 75
    assert "72,5 %" in s.toelichting and "streefwaarde 75 %" in s.toelichting
    s = goal_status("minimaal", 25.0, streefwaarde=75, teller=10, noemer=40, beslissend=False,
                    reden="de periode loopt nog")
    assert s.status == "risico" and "Nog niet definitief: de periode loopt nog" in s.toelichting
    assert goal_status("minimaal", 100.0, streefwaarde=75, teller=9, noemer=9).status == "nog_niet_meetbaar"
    assert goal_status("minimaal", None, streefwaarde=75).status == "nog_niet_meetbaar"
    s = goal_status("stijgend", 30.0, teller=30, noemer=100, referentie=25.0, referentie_noemer=100)
    assert s.status == "op_koers" and s.streefwaarde == 25.0


# ---------------------------------------------------------------- the table

def test_table_columns_types_and_rerun(tmp_path):
    goals = load_goals(write_goals(tmp_path / "d", [GOAL]).parent)
    con = make_con([share("2022", 30, 40)], {GM: "2022-12-31"})
    assert evaluate_goals(con, goals) == 1
    assert evaluate_goals(con, goals) == 1                   # replaced, not appended
    cols = con.execute("SELECT column_name, data_type FROM information_schema.columns "
                       "WHERE table_name = 'mart_beleidsdoelen' ORDER BY ordinal_position").fetchall()
    assert cols == list(COLUMNS)
    assert [c for c, _ in COLUMNS][:18] == [
        "gemeente_code", "doel_id", "titel", "indicator", "doelgroep", "categorie", "periode", "streefwaarde",
        "richting", "marge", "waarde", "teller", "noemer", "ci_onder", "ci_boven", "status", "toelichting", "bron"]
    assert evaluate_goals(con, []) == 0
    assert con.execute("SELECT count(*) FROM mart_beleidsdoelen").fetchone() == (0,)


def test_evaluation_is_deterministic(tmp_path):
    rows = [share(str(y), 10 + y % 7, 40) for y in range(2022, 2026)]
    first = run(tmp_path, {}, rows)
    assert run(tmp_path, {}, rows) == first


# ---------------------------------------------------------------- broken files

@pytest.mark.parametrize("change, fragment", [
    ({"indicator": "pip_binnen_12_weken_pct"}, "onbekende indicator 'pip_binnen_12_weken_pct'"),
    ({"indicator": "leerroute_aandeel_pct", "categorie": "B1-mbo"}, "onbekende categorie 'B1-mbo'"),
    ({"indicator": "leerroute_aandeel_pct"}, "heeft categorieën; kies er één: B1, ONDERWIJS, Z"),
    ({"categorie": "B1"}, "heeft geen categorieën"),
    ({"richting": "hoger"}, "ongeldige richting 'hoger'"),
    ({"richting": "ongeveer"}, "vraagt een marge"),
    ({"streefwaarde": None}, "vraagt een streefwaarde"),
    ({"streefwaarde": "75%"}, "streefwaarde '75%' is geen getal"),
    ({"streefwaarde": 120}, "niet tussen 0 en 100"),
    ({"richting": "stijgend"}, "laat streefwaarde leeg"),
    ({"doelgroep": "statushouders"}, "onbekende doelgroep"),
    ({"periode": "maand"}, "ongeldige periode 'maand'"),
    ({"vanaf": "2022-Q2"}, "is een kwartaal"),
    ({"vanaf": 2021}, "vóór 2022"),
    ({"deadline": "eind 2025"}, "deadline 'eind 2025'"),
    ({"streefwaarde_herkomst": "raad"}, "onbekende streefwaarde_herkomst"),
    ({"bron_tekst": None}, "bron_tekst ontbreekt"),
    ({"streefwaard": 75}, "onbekende sleutel 'streefwaard'"),
])
def test_a_broken_goal_names_file_and_goal(tmp_path, change, fragment):
    path = write_goals(tmp_path, [{**GOAL, "id": "ok"}, {**GOAL, "id": "kapot", **change}])
    with pytest.raises(GoalValidationError) as err:
        load_goals(path.parent)
    message = str(err.value)
    assert f"{path.name}: doel 'kapot'" in message and fragment in message
    assert "'ok'" not in message


def test_all_problems_are_reported_at_once(tmp_path):
    write_goals(tmp_path, [{**GOAL, "id": "a", "richting": "hoger"}])
    write_goals(tmp_path, [{**GOAL, "id": "b", "indicator": "onbekend"}], code="GM0001", name="GM0001_x.yaml")
    with pytest.raises(GoalValidationError) as err:
        load_goals(tmp_path)
    assert len(err.value.problems) == 2
    assert "GM0001_x.yaml: doel 'b'" in str(err.value) and f"{GM}_test.yaml: doel 'a'" in str(err.value)


def test_file_level_problems(tmp_path):
    write_goals(tmp_path, [GOAL], name="GM1234_verkeerd.yaml")
    (tmp_path / "GM0002_leeg.yaml").write_text("doelen: []\n", encoding="utf-8")
    (tmp_path / "GM0003_stuk.yaml").write_text("gemeente_code: [\n", encoding="utf-8")
    with pytest.raises(GoalValidationError) as err:
        load_goals(tmp_path)
    message = str(err.value)
    assert "GM1234_verkeerd.yaml: de bestandsnaam moet beginnen met GM9999_" in message
    assert "GM0002_leeg.yaml: gemeente_code ontbreekt" in message
    assert "GM0003_stuk.yaml: niet te lezen als YAML" in message
    with pytest.raises(GoalValidationError, match="bestaat niet"):
        load_goals(tmp_path / "nergens")


def test_duplicate_goal_ids_within_a_gemeente(tmp_path):
    write_goals(tmp_path, [GOAL], name=f"{GM}_a.yaml")
    write_goals(tmp_path, [GOAL], name=f"{GM}_b.yaml")
    expected = f"{GM}_b.yaml: doel 'doel': id komt voor {GM} al voor in {GM}_a.yaml"
    with pytest.raises(GoalValidationError, match=expected):
        load_goals(tmp_path)


def test_vanaf_year_becomes_first_quarter_and_deadline_forms(tmp_path):
    goals = load_goals(write_goals(tmp_path, [
        {**GOAL, "id": "a", "periode": "kwartaal", "vanaf": 2023, "deadline": "2024-Q2"},
        {**GOAL, "id": "b", "deadline": "2024-03-15"},
        {**GOAL, "id": "c", "deadline": 2024}]).parent)
    a, b, c = goals
    assert a.vanaf == "2023-Q1" and a.deadline == dt.date(2024, 6, 30)
    assert b.deadline == dt.date(2024, 3, 15) and c.deadline == dt.date(2024, 12, 31)


# ---------------------------------------------------------------- a gemeente's own folder

def test_own_folder_replaces_the_shipped_goals_of_that_gemeente(tmp_path, monkeypatch):
    own = tmp_path / "eigen"
    write_goals(own, [{**GOAL, "id": "eigen_pip_doel", "streefwaarde": 90}], code="GM0384", name="GM0384_eigen.yaml")
    monkeypatch.setenv("INBURGERING_DOELEN_DIR", str(own))
    goals = load_all_goals()
    diemen = [g.id for g in goals if g.gemeente_code == "GM0384"]
    assert diemen == ["eigen_pip_doel"]
    assert {g.gemeente_code for g in goals} == {"GM0034", "GM0141", "GM0384"}
    monkeypatch.setenv("INBURGERING_DOELEN_DIR", str(tmp_path / "bestaat_niet"))
    with pytest.raises(GoalValidationError, match="bestaat niet"):
        load_all_goals()
