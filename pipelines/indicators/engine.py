"""Compute every registered indicator for gemeenten and peer groups.

Each indicator's definition is one SQL file (sql/<id>.sql) returning case rows
`gemeente_code, periode, doelgroep, categorie, in_teller, waarde`. This module aggregates those rows in
one generic way (see definitions.yaml) for every unit: each gemeente, all loaded gemeenten, and the peer
groups of ref_groepen. Counts and shares are sums of tellers and noemers (a group is never an average of
percentages); medians pool the cases of the members. Each indicator's SQL runs once and its cases are
counted per gemeente (`_collect_cases`); the roll-up to all units then runs in one statement per kind of
indicator for all indicators together (`_aggregate`).

Tables written:
- mart_indicatoren: the tidy rows per gemeente, unsuppressed (for analysts, `inburgering indicators`);
- mart_indicatoren_groepen: the same per peer group, with the 95 % Wilson interval for shares;
- mart_indicatoren_publicatie: gemeente rows with small-number protection, intervals and inhabitants;
- mart_indicatoren_kenmerken (unsuppressed) and mart_indicatoren_kenmerken_publicatie (protected): the
  indicators marked `kenmerken: true` per gemeente x year x geslacht and x leeftijdsklasse (kenmerken.py),
  by the same aggregation, each characteristic value treated as a unit of its own;
- mart_indicator_definities: the registry.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from pipelines.indicators import kenmerken
from pipelines.indicators.suppression import suppress, suppress_uitsplitsing

HERE = Path(__file__).parent
TIDY_COLUMNS = ["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]
ALL_LOADED = ("GELADEN", "alle_geladen", "Alle geladen gemeenten")
Z95 = 1.959963984540054

MACROS = f"""
CREATE OR REPLACE MACRO perioden(d) AS
    CASE WHEN d IS NULL THEN []::VARCHAR[] ELSE [CAST(year(d) AS VARCHAR), year(d) || '-Q' || quarter(d)] END;
CREATE OR REPLACE MACRO wilson_onder(t, n) AS CASE WHEN n > 0 THEN 100 * (
    (t / n + {Z95}^2 / (2 * n)) - {Z95} * sqrt(t / n * (1 - t / n) / n + {Z95}^2 / (4 * n * n))
    ) / (1 + {Z95}^2 / n) END;
CREATE OR REPLACE MACRO wilson_boven(t, n) AS CASE WHEN n > 0 THEN 100 * (
    (t / n + {Z95}^2 / (2 * n)) + {Z95} * sqrt(t / n * (1 - t / n) / n + {Z95}^2 / (4 * n * n))
    ) / (1 + {Z95}^2 / n) END;
"""


@lru_cache(maxsize=1)
def registry() -> list[dict]:
    """Indicator metadata from definitions.yaml, with the SQL of each, in display order."""
    entries = yaml.safe_load((HERE / "definitions.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        entry.setdefault("categorieen", [])
        entry.setdefault("categorie_modus", None)
        entry.setdefault("perioden", "jaar_en_kwartaal")
        entry.setdefault("kenmerken", False)
        entry["sql"] = (HERE / "sql" / f"{entry['id']}.sql").read_text(encoding="utf-8")
    return entries


def _units(con: duckdb.DuckDBPyConnection) -> None:
    """eenheden(eenheid, soort, naam, gemeente_code): every gemeente, all loaded, and loaded group members."""
    has_groups = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ref_groepen'"
                             ).fetchone()[0]
    groups = ("UNION ALL SELECT r.groep_code, r.groep_soort, r.groep_naam, r.gemeente_code FROM ref_groepen r "
              "JOIN geladen USING (gemeente_code)") if has_groups else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE eenheden AS
        WITH geladen AS (SELECT DISTINCT gemeente_code FROM mart_perioden)
        SELECT gemeente_code AS eenheid, 'gemeente' AS soort, gemeente_code AS naam, gemeente_code FROM geladen
        UNION ALL SELECT '{ALL_LOADED[0]}', '{ALL_LOADED[1]}', '{ALL_LOADED[2]}', gemeente_code FROM geladen
        {groups}""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE eenheid_perioden AS
        SELECT DISTINCT e.eenheid, p.periode, p.soort AS periode_soort
        FROM mart_perioden p JOIN eenheden e USING (gemeente_code)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE eenheid_info AS
        SELECT e.eenheid, any_value(e.soort) AS soort, any_value(e.naam) AS naam,
               count(DISTINCT e.gemeente_code) AS aantal_gemeenten, sum(r.inwoners) AS inwoners
        FROM eenheden e LEFT JOIN ref_gemeenten r USING (gemeente_code)
        GROUP BY e.eenheid""")


def _units_kenmerken(con: duckdb.DuckDBPyConnection) -> None:
    """The units of the split by characteristic (tables k_*): every loaded gemeente x characteristic value,
    coded 'GM0034|geslacht|vrouw' in the place of a gemeente code, so that _aggregate treats each as a
    gemeente; and kenmerk_personen, the value of each characteristic per person."""
    values = ", ".join(f"('{k}', '{v}')" for k, vs in kenmerken.KENMERKEN.items() for v, _ in vs)
    con.execute(f"CREATE OR REPLACE TEMP TABLE kenmerk_personen AS {kenmerken.PERSONEN_SQL}")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE k_eenheden AS
        WITH geladen AS (SELECT DISTINCT gemeente_code FROM mart_perioden)
        SELECT g.gemeente_code || '|' || w.kenmerk || '|' || w.waarde AS eenheid, 'gemeente' AS soort,
               g.gemeente_code || '|' || w.kenmerk || '|' || w.waarde AS naam,
               g.gemeente_code || '|' || w.kenmerk || '|' || w.waarde AS gemeente_code,
               g.gemeente_code AS echte_gemeente, w.kenmerk, w.waarde AS kenmerk_waarde
        FROM geladen g CROSS JOIN (VALUES {values}) w(kenmerk, waarde)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE k_eenheid_perioden AS
        SELECT DISTINCT e.eenheid, p.periode, p.soort AS periode_soort
        FROM mart_perioden p JOIN k_eenheden e ON e.echte_gemeente = p.gemeente_code""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE k_eenheid_info AS
        SELECT eenheid, soort, naam, 1 AS aantal_gemeenten, NULL::BIGINT AS inwoners FROM k_eenheden""")


def _collect_cases(con: duckdb.DuckDBPyConnection, entry: dict) -> None:
    """Run one indicator's SQL (limited to the periods of mart_perioden) and keep what the aggregation needs:
    per gemeente the number of cases and of cases in the teller (`case_tellingen`), or for a median the
    case values (`case_waarden`); for an indicator with `kenmerken: true` the same per gemeente x
    characteristic value of the person, years only, in k_case_tellingen / k_case_waarden (the unit coded
    'GM0034|geslacht|vrouw', see _units_kenmerken)."""
    ind = entry["id"]
    rows = f"""SELECT x.* FROM ({entry['sql']}) x
               SEMI JOIN mart_perioden m ON m.gemeente_code = x.gemeente_code AND m.periode = x.periode
               {"AND m.soort = 'jaar'" if entry['perioden'] == 'jaar' else ''}"""
    split = "FROM cases c JOIN kenmerk_personen k USING (persoon_id) WHERE length(c.periode) = 4"
    if entry["kenmerken"]:   # the case rows are read twice
        con.execute(f"CREATE OR REPLACE TEMP TABLE cases AS {rows}")
        rows = "SELECT * FROM cases"
    if entry["soort"] == "mediaan":
        con.execute(f"""INSERT INTO case_waarden SELECT '{ind}', gemeente_code, periode, doelgroep, categorie, waarde
                        FROM ({rows})""")
        if entry["kenmerken"]:
            con.execute(f"""INSERT INTO k_case_waarden
                            SELECT '{ind}', c.gemeente_code || '|' || k.kenmerk || '|' || k.kenmerk_waarde, c.periode,
                                   c.doelgroep, c.categorie, c.waarde {split}""")
        return
    con.execute(f"""INSERT INTO case_tellingen SELECT '{ind}', gemeente_code, periode, doelgroep, categorie, count(*),
                                                      count_if(in_teller)
                    FROM ({rows}) GROUP BY ALL""")
    if entry["kenmerken"]:
        # counted per gemeente x value first: the unit's code is built for a few rows, not for every case
        con.execute(f"""
            INSERT INTO k_case_tellingen
            SELECT '{ind}', gemeente_code || '|' || kenmerk || '|' || kenmerk_waarde, periode, doelgroep,
                   categorie, n, t
            FROM (SELECT c.gemeente_code, k.kenmerk, k.kenmerk_waarde, c.periode, c.doelgroep, c.categorie,
                         count(*) AS n, count_if(c.in_teller) AS t {split} GROUP BY ALL)""")


def _indicator_tables(con: duckdb.DuckDBPyConnection, prefix: str, entries: list[dict]) -> None:
    """{prefix}ind_meta (indicator, soort, modus, alleen_jaar) and {prefix}ind_categorieen (indicator,
    categorie: the categories of a verdeling, or of a count's zero-filled grid, NULL for none)."""
    meta = pd.DataFrame([{"indicator": e["id"], "soort": e["soort"], "modus": e["categorie_modus"],
                          "alleen_jaar": bool(prefix) or e["perioden"] == "jaar"} for e in entries],
                        columns=["indicator", "soort", "modus", "alleen_jaar"])
    cats = pd.DataFrame([{"indicator": e["id"], "categorie": c} for e in entries for c in (e["categorieen"] or [None])],
                        columns=["indicator", "categorie"])
    for name, frame in (("ind_meta", meta), ("ind_categorieen", cats)):
        con.register("frame_view", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {prefix}{name} AS SELECT * FROM frame_view")
        con.unregister("frame_view")
    con.execute(f"ALTER TABLE {prefix}ind_categorieen ALTER categorie TYPE VARCHAR")


def _aggregate(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    """Aggregate {prefix}case_tellingen and {prefix}case_waarden (_collect_cases) of every indicator of
    {prefix}ind_meta into {prefix}ind_rows, for every unit of {prefix}eenheden, one statement per kind of
    indicator. prefix '': gemeenten and peer groups; prefix 'k_': the split by characteristic, where a
    'gemeente_code' is a gemeente x characteristic value (each its own unit)."""
    meta, cats = f"{prefix}ind_meta", f"{prefix}ind_categorieen"
    eenheden, info, grid, out = (f"{prefix}eenheden", f"{prefix}eenheid_info", f"{prefix}eenheid_perioden",
                                 f"{prefix}ind_rows")
    # every case counts for its own doelgroep and for 'alle'; for los_met_alle also for its own categorie and
    # for 'alle' (one unnest after the other, so all combinations exist: two unnests would zip)
    expand = """
        SELECT * REPLACE (unnest(CASE WHEN m.modus = 'los_met_alle' THEN [categorie, 'alle'] ELSE [categorie] END)
                          AS categorie)
        FROM (SELECT * REPLACE (unnest([doelgroep, 'alle']) AS doelgroep) FROM ({rows})) r
        JOIN {meta} m USING (indicator)"""
    # counts and shares add up: sum per gemeente first, then roll up to units, doelgroep 'alle', categorie 'alle'
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {prefix}sums AS
        SELECT indicator, eenheid, periode, doelgroep, categorie, sum(n) AS n, sum(t) AS t
        FROM ({expand.format(meta=meta, rows=f"SELECT c.indicator, e.eenheid, c.periode, c.doelgroep, c.categorie, "
                                           f"c.n, c.t FROM {prefix}case_tellingen c "
                                           f"JOIN {eenheden} e USING (gemeente_code)")})
        GROUP BY ALL""")
    sums = f"{prefix}sums"
    # counts (and rates per 1,000 inhabitants): every unit x period x doelgroep x categorie, zeros included
    con.execute(f"""
        INSERT INTO {out}
        SELECT m.indicator, g.eenheid, g.periode, d.doelgroep, k.categorie, coalesce(s.n, 0),
               CASE WHEN m.soort = 'per_1000' THEN CAST(i.inwoners AS BIGINT) END,
               CASE WHEN m.soort = 'per_1000' THEN 1000.0 * coalesce(s.n, 0) / i.inwoners
                    ELSE CAST(coalesce(s.n, 0) AS DOUBLE) END
        FROM {meta} m JOIN {cats} k USING (indicator)
        JOIN {grid} g ON NOT m.alleen_jaar OR g.periode_soort = 'jaar'
        CROSS JOIN (VALUES ('alle'), ('asiel'), ('gezin'), ('overig')) d(doelgroep)
        JOIN {info} i ON i.eenheid = g.eenheid
        LEFT JOIN {sums} s ON s.indicator = m.indicator AND s.eenheid = g.eenheid AND s.periode = g.periode
                          AND s.doelgroep = d.doelgroep AND s.categorie IS NOT DISTINCT FROM k.categorie
        WHERE m.soort = 'aantal' OR (m.soort = 'per_1000' AND i.inwoners > 0)""")
    # a distribution over categories: each categorie's share of all cases of the unit
    con.execute(f"""
        INSERT INTO {out}
        SELECT s.indicator, s.eenheid, s.periode, s.doelgroep, k.categorie,
               coalesce(sum(s.n) FILTER (WHERE s.categorie = k.categorie), 0) AS teller, sum(s.n) AS noemer,
               100.0 * coalesce(sum(s.n) FILTER (WHERE s.categorie = k.categorie), 0) / sum(s.n)
        FROM {sums} s JOIN {meta} m USING (indicator) JOIN {cats} k USING (indicator)
        WHERE m.soort = 'aandeel' AND m.modus = 'verdeling'
        GROUP BY ALL HAVING sum(s.n) > 0""")
    # a share: cases in the teller of all cases
    con.execute(f"""
        INSERT INTO {out}
        SELECT s.indicator, s.eenheid, s.periode, s.doelgroep, s.categorie, s.t, s.n, 100.0 * s.t / s.n
        FROM {sums} s JOIN {meta} m USING (indicator)
        WHERE m.soort = 'aandeel' AND m.modus IS DISTINCT FROM 'verdeling' AND s.n > 0""")
    # a median pools the cases of the unit's members
    con.execute(f"""
        INSERT INTO {out}
        SELECT indicator, eenheid, periode, doelgroep, categorie, NULL, count(*), quantile_cont(waarde, 0.5)
        FROM ({expand.format(meta=meta, rows=f"SELECT c.indicator, e.eenheid, c.periode, c.doelgroep, c.categorie, "
                                           f"c.waarde FROM {prefix}case_waarden c "
                                           f"JOIN {eenheden} e USING (gemeente_code)")})
        GROUP BY ALL""")


def compute_indicators(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build the indicator tables (see module docstring); return the number of gemeente rows."""
    con.execute(MACROS)
    _units(con)
    _units_kenmerken(con)
    for table in ("ind_rows", "k_ind_rows"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (indicator VARCHAR, eenheid VARCHAR, periode VARCHAR, "
                    "doelgroep VARCHAR, categorie VARCHAR, teller BIGINT, noemer BIGINT, waarde DOUBLE)")
    for prefix in ("", "k_"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {prefix}case_tellingen (indicator VARCHAR, gemeente_code VARCHAR, "
                    "periode VARCHAR, doelgroep VARCHAR, categorie VARCHAR, n BIGINT, t BIGINT)")
        con.execute(f"CREATE OR REPLACE TEMP TABLE {prefix}case_waarden (indicator VARCHAR, gemeente_code VARCHAR, "
                    "periode VARCHAR, doelgroep VARCHAR, categorie VARCHAR, waarde DOUBLE)")
    for entry in registry():
        _collect_cases(con, entry)
    _indicator_tables(con, "", registry())
    _aggregate(con, "")
    con.execute(f"""
        CREATE OR REPLACE TABLE mart_indicatoren AS
        SELECT r.indicator, r.eenheid AS gemeente_code, r.periode, r.doelgroep, r.categorie, r.teller, r.noemer,
               r.waarde
        FROM ind_rows r JOIN eenheid_info i ON i.eenheid = r.eenheid AND i.soort = 'gemeente'""")
    # The protection of the gemeente rows is pandas work: it runs in a thread while DuckDB (which releases
    # the GIL) computes the peer groups and the split; nothing else touches the rows it reads.
    with ThreadPoolExecutor(max_workers=1) as pool:
        protected = pool.submit(protect, read_indicatoren(con))
        con.execute(f"""
            CREATE OR REPLACE TABLE mart_indicatoren_groepen AS
            SELECT r.indicator, r.eenheid AS groep_code, i.soort AS groep_soort, i.naam AS groep_naam, r.periode,
                   r.doelgroep, r.categorie, r.teller, r.noemer, r.waarde,
                   CASE WHEN d.soort = 'aandeel' THEN wilson_onder(r.teller, r.noemer) END AS ci_onder,
                   CASE WHEN d.soort = 'aandeel' THEN wilson_boven(r.teller, r.noemer) END AS ci_boven,
                   i.aantal_gemeenten, i.inwoners
            FROM ind_rows r JOIN eenheid_info i ON i.eenheid = r.eenheid AND i.soort <> 'gemeente'
            JOIN (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS soort) d ON d.id = r.indicator""",
                    [[e["id"] for e in registry()], [e["soort"] for e in registry()]])
        _indicator_tables(con, "k_", [e for e in registry() if e["kenmerken"]])
        _aggregate(con, "k_")
        con.execute("""
            CREATE OR REPLACE TABLE mart_indicatoren_kenmerken AS
            SELECT r.indicator, e.echte_gemeente AS gemeente_code, e.kenmerk, e.kenmerk_waarde, r.periode,
                   r.doelgroep, r.categorie, r.teller, r.noemer, r.waarde
            FROM k_ind_rows r JOIN k_eenheden e USING (eenheid)""")
        publish(con, protected.result())
    publish_kenmerken(con)
    meta = pd.DataFrame([{k: (", ".join(v) if isinstance(v, list) else v) for k, v in e.items() if k != "sql"}
                         for e in registry()])
    con.register("meta_frame", meta)
    con.execute("CREATE OR REPLACE TABLE mart_indicator_definities AS SELECT * FROM meta_frame")
    con.unregister("meta_frame")
    _evaluate_goals(con)
    return con.execute("SELECT count(*) FROM mart_indicatoren").fetchone()[0]


def publish_kenmerken(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build mart_indicatoren_kenmerken_publicatie: the split rows with small-number protection that
    also keeps every hidden figure of mart_indicatoren_publicatie hidden (suppress_uitsplitsing)."""
    con.execute(MACROS)
    rows = con.sql("SELECT * FROM mart_indicatoren_kenmerken").to_arrow_table().to_pandas()
    totalen = con.sql(f"""
        SELECT {', '.join('p.' + c for c in TIDY_COLUMNS)}, p.onderdrukt FROM mart_indicatoren_publicatie p
        -- only the totals of the split cells (their indicators and years)
        SEMI JOIN (SELECT DISTINCT indicator, periode FROM mart_indicatoren_kenmerken) k
            ON k.indicator = p.indicator AND k.periode = p.periode""").to_arrow_table().to_pandas()
    con.register("pub_frame", suppress_uitsplitsing(rows, totalen))
    shares = [e["id"] for e in registry() if e["soort"] == "aandeel"]
    con.execute("""
        CREATE OR REPLACE TABLE mart_indicatoren_kenmerken_publicatie AS
        SELECT p.indicator, p.gemeente_code, p.kenmerk, p.kenmerk_waarde, p.periode, p.doelgroep, p.categorie,
               p.teller, p.noemer, p.waarde, p.onderdrukt,
               CASE WHEN list_contains(?, p.indicator) THEN wilson_onder(p.teller, p.noemer) END AS ci_onder,
               CASE WHEN list_contains(?, p.indicator) THEN wilson_boven(p.teller, p.noemer) END AS ci_boven
        FROM pub_frame p
        ORDER BY p.gemeente_code, p.kenmerk, p.kenmerk_waarde, p.indicator, p.periode, p.doelgroep, p.categorie""",
                [shares, shares])
    con.unregister("pub_frame")


def _evaluate_goals(con: duckdb.DuckDBPyConnection) -> None:
    """Policy-goal status per goal and period, when the goals module is present."""
    try:
        from pipelines.goals import evaluate_goals
    except ImportError:
        return
    evaluate_goals(con)


def publish(con: duckdb.DuckDBPyConnection, protected: pd.DataFrame | None = None) -> None:
    """(Re)build mart_indicatoren_publicatie: gemeente rows with small-number protection applied once.
    `protected`: the result of protect(rows of mart_indicatoren), when already computed."""
    con.execute(MACROS)
    if protected is None:
        protected = protect(read_indicatoren(con))
    shares = [e["id"] for e in registry() if e["soort"] == "aandeel"]
    con.register("pub_frame", protected)
    con.execute(f"""
        CREATE OR REPLACE TABLE mart_indicatoren_publicatie AS
        SELECT {', '.join('p.' + c for c in TIDY_COLUMNS)}, p.onderdrukt,
               CASE WHEN list_contains(?, p.indicator) THEN wilson_onder(p.teller, p.noemer) END AS ci_onder,
               CASE WHEN list_contains(?, p.indicator) THEN wilson_boven(p.teller, p.noemer) END AS ci_boven,
               g.inwoners
        FROM pub_frame p
        LEFT JOIN (SELECT gemeente_code, inwoners FROM ref_gemeenten) g USING (gemeente_code)
        -- Stored in the order pages ask for it: a gemeente's rows sit together, so a page's query
        -- reads a few row groups instead of the whole table (DuckDB min/max zone maps).
        ORDER BY p.gemeente_code, p.indicator, p.periode, p.doelgroep, p.categorie""", [shares, shares])
    con.unregister("pub_frame")


def read_indicatoren(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The tidy rows of mart_indicatoren (unsuppressed)."""
    return con.sql(f"SELECT {', '.join(TIDY_COLUMNS)} FROM mart_indicatoren").to_arrow_table().to_pandas()


def protect(rows: pd.DataFrame) -> pd.DataFrame:
    """The small-number protection of the gemeente rows (suppression.suppress, and rates per 1,000 follow
    their counts). Pure pandas: compute_indicators runs it while DuckDB computes the split."""
    return _follow_base_counts(suppress(rows))


def _export(warehouse: Path, sql: str, out: Path) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.cursor()
        cur.execute(f"COPY ({sql}) TO '{Path(out).as_posix()}' (HEADER, DELIMITER ',')")
        return cur.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
    finally:
        con.close()


def _follow_base_counts(published: pd.DataFrame) -> pd.DataFrame:
    """A rate per 1,000 inhabitants reveals its count (rate x inhabitants): hide it wherever the count it
    divides is hidden, and whenever that count is 1 to 4."""
    key = ["gemeente_code", "periode", "doelgroep", "categorie"]
    for entry in registry():
        if entry["soort"] != "per_1000":
            continue
        base = published.loc[published["indicator"] == entry["basis"], key + ["onderdrukt"]]
        rate = published["indicator"] == entry["id"]
        hidden = published.loc[rate, key].merge(base, on=key, how="left")["onderdrukt"].fillna(False).to_numpy()
        small = published.loc[rate, "teller"].between(1, 4).fillna(False).to_numpy()
        idx = published.index[rate][hidden.astype(bool) | small.astype(bool)]
        published.loc[idx, "onderdrukt"] = True
        published.loc[idx, ["teller", "noemer", "waarde"]] = pd.NA
    return published


def export_indicators(warehouse: Path, out: Path) -> int:
    """Write the tidy indicator rows per gemeente to CSV (unsuppressed); return the number of rows."""
    return _export(warehouse, f"SELECT {', '.join(TIDY_COLUMNS)} FROM mart_indicatoren "
                              "ORDER BY indicator, gemeente_code, periode, doelgroep, categorie", out)


def export_groups(warehouse: Path, out: Path) -> int:
    """Write the peer-group rows (summed teller/noemer, pooled medians, Wilson interval) to CSV."""
    return _export(warehouse, "SELECT * FROM mart_indicatoren_groepen", out)
