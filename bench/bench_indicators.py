"""Benchmark: compute every indicator (gemeenten and peer groups) on the national-scale warehouse.

    python bench/bench_pipeline.py      # once: builds bench/out/national.duckdb
    python bench/bench_indicators.py    # times compute_indicators on a copy, 3 runs

Target (indicator engine issue): under 10 seconds on a 2-core machine.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=ROOT / "bench" / "out" / "national.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not args.warehouse.exists():
        sys.exit(f"{args.warehouse} does not exist: run bench/bench_pipeline.py first")
    import duckdb

    from pipelines.indicators.engine import compute_indicators, registry

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "w.duckdb"
        shutil.copyfile(args.warehouse, copy)
        con = duckdb.connect(str(copy))
        persons, gemeenten = con.execute("SELECT count(*), count(DISTINCT gemeente_code) FROM mart_personen").fetchone()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            rows = compute_indicators(con)
            times.append(time.perf_counter() - start)
        groups = con.execute("SELECT count(*) FROM mart_indicatoren_groepen").fetchone()[0]
        con.close()
    print(f"{len(registry())} indicators over {persons:,} persons in {gemeenten} gemeenten")
    print(f"  {rows:,} gemeente rows + {groups:,} peer-group rows")
    print(f"  compute_indicators: median {statistics.median(times):.2f} s, min {min(times):.2f} s "
          f"over {args.runs} runs (target < 10 s)")


if __name__ == "__main__":
    main()
