"""Evaluate the policy goals against mart_indicatoren into mart_beleidsdoelen (docs/policy-goals.md)."""
from __future__ import annotations

import datetime as dt

import duckdb

from pipelines.goals import periods
from pipelines.goals.model import Goal, load_all_goals
from pipelines.goals.status import MIN_NOEMER, SMALL_KINDS, GoalStatus, goal_status, wilson_interval

COLUMNS = (
    ("gemeente_code", "VARCHAR"), ("doel_id", "VARCHAR"), ("titel", "VARCHAR"), ("indicator", "VARCHAR"),
    ("doelgroep", "VARCHAR"), ("categorie", "VARCHAR"), ("periode", "VARCHAR"), ("streefwaarde", "DOUBLE"),
    ("richting", "VARCHAR"), ("marge", "DOUBLE"), ("waarde", "DOUBLE"), ("teller", "BIGINT"), ("noemer", "BIGINT"),
    ("ci_onder", "DOUBLE"), ("ci_boven", "DOUBLE"), ("status", "VARCHAR"), ("toelichting", "VARCHAR"),
    ("bron", "VARCHAR"), ("streefwaarde_herkomst", "VARCHAR"),
)
TABLE = "mart_beleidsdoelen"


def _date_nl(day: dt.date) -> str:
    return f"{day:%d-%m-%Y}"


def evaluate_goal(goal: Goal, rows: dict[str, dict], peildatum: dt.date, laatste_periode: str | None) -> list[dict]:
    """One output row per period of the goal, from goal.vanaf up to laatste_periode (same kind).

    rows: periode -> {'teller', 'noemer', 'waarde'} of mart_indicatoren for the goal's indicator, gemeente,
    doelgroep and categorie. peildatum: the gemeente's peildatum D.
    """
    if laatste_periode is None or periods.key(goal.vanaf) > periods.key(laatste_periode):
        return []
    out = []
    for periode in periods.series(goal.vanaf, laatste_periode):
        einde = periods.end(periode)
        lopend = peildatum < einde
        row = rows.get(periode)
        waarde = teller = noemer = None
        if row is not None:
            waarde, teller, noemer = row.get("waarde"), row.get("teller"), row.get("noemer")

        if lopend and goal.deadline is not None and goal.deadline > peildatum:
            # step 1: a running period before the deadline is not judged (figures shown when not small)
            klein = goal.soort in SMALL_KINDS and (noemer is None or noemer < MIN_NOEMER)
            ci = (None, None)
            if not klein and goal.soort == "aandeel" and teller is not None and noemer:
                ci = wilson_interval(int(teller), int(noemer))
            text = (f"De periode loopt nog (peildatum {_date_nl(peildatum)}) en de deadline "
                    f"({goal.deadline_tekst}) is nog niet bereikt.")
            result = GoalStatus("nog_niet_meetbaar", text, *ci, klein_aantal=klein)
        else:
            beslissend = not lopend and (goal.deadline is None or einde >= goal.deadline)
            if lopend:
                reden = f"de periode loopt nog (peildatum {_date_nl(peildatum)})"
            elif not beslissend:
                reden = f"de deadline ({goal.deadline_tekst}) is nog niet bereikt"
            else:
                reden = None
            ref = ref_noemer = None
            ref_periode = periods.year_earlier(periode)
            if goal.richting in ("stijgend", "dalend") and ref_periode in rows:
                ref, ref_noemer = rows[ref_periode].get("waarde"), rows[ref_periode].get("noemer")
            result = goal_status(goal.richting, waarde, streefwaarde=goal.streefwaarde, marge=goal.marge,
                                 teller=teller, noemer=noemer, soort=goal.soort, referentie=ref,
                                 referentie_noemer=ref_noemer, referentie_periode=ref_periode,
                                 beslissend=beslissend, reden=reden)
        hide = result.klein_aantal
        streef = goal.streefwaarde
        if goal.richting in ("stijgend", "dalend"):
            streef = result.streefwaarde if result.status != "nog_niet_meetbaar" else None
        out.append({
            "gemeente_code": goal.gemeente_code, "doel_id": goal.id, "titel": goal.titel,
            "indicator": goal.indicator, "doelgroep": goal.doelgroep, "categorie": goal.categorie,
            "periode": periode, "streefwaarde": streef, "richting": goal.richting, "marge": goal.marge,
            "waarde": None if hide else waarde, "teller": None if hide else teller,
            "noemer": None if hide else noemer, "ci_onder": None if hide else result.ci_onder,
            "ci_boven": None if hide else result.ci_boven, "status": result.status,
            "toelichting": result.toelichting, "bron": goal.bron,
            "streefwaarde_herkomst": goal.streefwaarde_herkomst,
        })
    return out


def _peildata(con: duckdb.DuckDBPyConnection) -> dict[str, dt.date]:
    try:
        found = con.execute("SELECT gemeente_code, max(peildatum) FROM snapshot_current "
                            "WHERE target_table = 'personen' GROUP BY gemeente_code").fetchall()
    except duckdb.CatalogException:
        return {}
    return {code: day for code, day in found if day is not None}


def _latest_periods(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str | None]]:
    found = con.execute(
        "SELECT gemeente_code, max(periode) FILTER (WHERE regexp_full_match(periode, '\\d{4}')), "
        "max(periode) FILTER (WHERE regexp_full_match(periode, '\\d{4}-Q[1-4]')) "
        "FROM mart_indicatoren GROUP BY gemeente_code").fetchall()
    return {code: {"jaar": year, "kwartaal": quarter} for code, year, quarter in found}


def _fallback_peildatum(latest: dict[str, str | None]) -> dt.date:
    """Without a peildatum, count the latest period as running: the day before the latest quarter (or year)."""
    last = latest["kwartaal"] or latest["jaar"]
    return periods.start(last) - dt.timedelta(days=1)


def _rows(con: duckdb.DuckDBPyConnection, goal: Goal) -> dict[str, dict]:
    found = con.execute(
        "SELECT periode, teller, noemer, waarde FROM mart_indicatoren WHERE indicator = ? AND gemeente_code = ? "
        "AND doelgroep = ? AND categorie IS NOT DISTINCT FROM ? ORDER BY periode",
        [goal.indicator, goal.gemeente_code, goal.doelgroep, goal.categorie]).fetchall()
    return {p: {"teller": t, "noemer": n, "waarde": w} for p, t, n, w in found}


def goal_rows(con: duckdb.DuckDBPyConnection, goals: list[Goal] | None = None) -> list[dict]:
    """The rows of mart_beleidsdoelen, without writing them. Goals of gemeenten that have no rows in
    mart_indicatoren (not loaded) give no rows."""
    goals = load_all_goals() if goals is None else goals
    latest = _latest_periods(con)
    peildata = _peildata(con)
    out: list[dict] = []
    for goal in goals:
        if goal.gemeente_code not in latest:
            continue
        gem_latest = latest[goal.gemeente_code]
        peildatum = peildata.get(goal.gemeente_code) or _fallback_peildatum(gem_latest)
        out.extend(evaluate_goal(goal, _rows(con, goal), peildatum, gem_latest[goal.periode]))
    return out


def evaluate_goals(con: duckdb.DuckDBPyConnection, goals: list[Goal] | None = None) -> int:
    """(Re)create mart_beleidsdoelen from mart_indicatoren and snapshot_current; return the number of rows.

    goals: default every goal of load_all_goals() (the shipped folder, replaced per gemeente by
    $INBURGERING_DOELEN_DIR). Raises GoalValidationError when a goal file is invalid.
    """
    rows = goal_rows(con, goals)
    names = [c for c, _ in COLUMNS]
    ddl = ", ".join(f"{c} {t}" for c, t in COLUMNS)
    check = "'op_koers', 'risico', 'niet_gehaald', 'nog_niet_meetbaar'"
    con.execute(f"CREATE OR REPLACE TABLE {TABLE} ({ddl}, CHECK (status IN ({check})))")
    if rows:
        con.executemany(f"INSERT INTO {TABLE} VALUES ({', '.join('?' for _ in names)})",
                        [[r[c] for c in names] for r in rows])
    return len(rows)
