"""Compute every registered indicator into mart_indicatoren (unsuppressed, for analysts) and
mart_indicatoren_publicatie (small numbers suppressed, for everything that is published)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from pipelines.indicators.suppression import suppress

HERE = Path(__file__).parent
TIDY_COLUMNS = ["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]


@lru_cache(maxsize=1)
def registry() -> list[dict]:
    """Indicator metadata from definitions.yaml, in display order."""
    entries = yaml.safe_load((HERE / "definitions.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        entry["sql"] = (HERE / "sql" / f"{entry['id']}.sql").read_text(encoding="utf-8")
    return entries


def compute_indicators(con: duckdb.DuckDBPyConnection) -> int:
    """(Re)build mart_indicatoren and mart_indicator_definities; return the number of rows."""
    parts = [f"SELECT {', '.join(TIDY_COLUMNS)} FROM (\n{e['sql']}\n)" for e in registry()]
    con.execute("CREATE OR REPLACE TABLE mart_indicatoren AS\n"
                + "\nUNION ALL\n".join(parts)
                + "\nORDER BY indicator, gemeente_code, periode, doelgroep, categorie")
    publish(con)
    meta = pd.DataFrame([{k: (", ".join(v) if isinstance(v, list) else v) for k, v in e.items() if k != "sql"}
                         for e in registry()])
    con.register("meta_frame", meta)
    con.execute("CREATE OR REPLACE TABLE mart_indicator_definities AS SELECT * FROM meta_frame")
    con.unregister("meta_frame")
    return con.execute("SELECT count(*) FROM mart_indicatoren").fetchone()[0]


def publish(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build mart_indicatoren_publicatie: the rows with small-number protection applied once."""
    rows = con.sql(f"SELECT {', '.join(TIDY_COLUMNS)} FROM mart_indicatoren").to_arrow_table().to_pandas()
    con.register("pub_frame", suppress(rows))
    con.execute(f"CREATE OR REPLACE TABLE mart_indicatoren_publicatie AS SELECT {', '.join(TIDY_COLUMNS)}, "
                "onderdrukt FROM pub_frame ORDER BY indicator, gemeente_code, periode, doelgroep, categorie")
    con.unregister("pub_frame")


def export_indicators(warehouse: Path, out: Path) -> int:
    """Write the tidy indicator rows to CSV (unsuppressed); return the number of rows."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cur = con.cursor()
        cur.execute(f"COPY (SELECT {', '.join(TIDY_COLUMNS)} FROM mart_indicatoren "
                    f"ORDER BY indicator, gemeente_code, periode, doelgroep, categorie) TO '{Path(out).as_posix()}' "
                    "(HEADER, DELIMITER ',')")
        return cur.execute("SELECT count(*) FROM mart_indicatoren").fetchone()[0]
    finally:
        con.close()
