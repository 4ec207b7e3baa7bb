"""Benchmark: national-scale exports through load + validate + transform + indicators.

    python bench/bench_pipeline.py            # generates bench/out/national once, then measures
    python bench/bench_pipeline.py --fresh    # regenerate the national set first

Prints rows per second, wall time per step and peak memory of the pipeline, next to a bare DuckDB
`read_csv` of the same files as the reference. Each measured run happens in a child process so that
its peak memory (ru_maxrss) is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(out: Path) -> float:
    from pipelines.samples import write_national_set

    start = time.perf_counter()
    write_national_set(out)
    return time.perf_counter() - start


def rows_per_type(folder: Path) -> dict[str, dict]:
    import duckdb

    from pipelines.settings import FILE_TYPES

    stats = {}
    for file_type in FILE_TYPES:
        files = sorted(folder.rglob(f"{file_type}*.csv"))
        if files:
            n = duckdb.sql(f"SELECT count(*) FROM read_csv({[f.as_posix() for f in files]}, all_varchar=true, "
                           "union_by_name=true)").fetchall()[0][0]
            stats[file_type] = {"files": len(files), "rows": n, "mb": sum(f.stat().st_size for f in files) / 1e6}
    return stats


def child_reference(folder: str, db: str) -> dict:
    """Bare DuckDB: read every CSV of each type into a table, nothing else."""
    import duckdb

    from pipelines.settings import FILE_TYPES

    con = duckdb.connect(db)
    start = time.perf_counter()
    for file_type in FILE_TYPES:
        files = sorted(Path(folder).rglob(f"{file_type}*.csv"))
        if files:
            con.execute(f"CREATE TABLE {file_type} AS SELECT * FROM read_csv({[f.as_posix() for f in files]}, "
                        "union_by_name=true)")
    con.close()
    return {"seconds": time.perf_counter() - start}


def child_pipeline(folder: str, db: str) -> dict:
    """The real pipeline: read, pseudonymise, validate (GX), load, transform, indicators."""
    from pipelines.load import load_paths

    start = time.perf_counter()
    report = load_paths([Path(folder)], Path(db))
    wall = time.perf_counter() - start
    return {"seconds": wall, "steps": report.seconds, "rejected": [f.message for f in report.rejected],
            "rows_read": sum(f.rows_read for f in report.files),
            "rows_quarantined": sum(f.rows_quarantined for f in report.files)}


def run_child(kind: str, folder: Path, db: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(folder), str(db)],
                         capture_output=True, text=True, env=os.environ)
    if out.returncode != 0:
        sys.exit(f"the {kind} run failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "national")
    parser.add_argument("--fresh", action="store_true", help="regenerate the national set")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder, db = args.child
        result = (child_reference if kind == "reference" else child_pipeline)(folder, db)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    if args.fresh and args.out.exists():
        shutil.rmtree(args.out)
    if not args.out.exists():
        print(f"generating the national set in {args.out} ...", flush=True)
        print(f"  generation: {generate(args.out):.1f} s")
    stats = rows_per_type(args.out)
    total = sum(s["rows"] for s in stats.values())
    print(f"\nnational set: {total:,} rows in {sum(s['files'] for s in stats.values())} files, "
          f"{sum(s['mb'] for s in stats.values()):.0f} MB")
    for file_type, s in stats.items():
        print(f"  {file_type:<13} {s['rows']:>10,} rows  {s['files']:>4} files  {s['mb']:7.1f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("INBURGERING_KEY_DIR", str(Path(tmp) / "keys"))
        # the national set is one load far beyond the default input limit (30 MB): the bench measures it
        os.environ.setdefault("INBURGERING_MAX_INVOER_MB", "100000")
        ref = run_child("reference", args.out, Path(tmp) / "reference.duckdb")
        pipe = run_child("pipeline", args.out, Path(tmp) / "warehouse.duckdb")
        size = (Path(tmp) / "warehouse.duckdb").stat().st_size / 1e6
        # keep the national warehouse for bench_indicators.py and the dashboard bench
        shutil.copyfile(Path(tmp) / "warehouse.duckdb", ROOT / "bench" / "out" / "national.duckdb")

    print("\nreference: bare DuckDB read_csv into tables")
    print(f"  wall {ref['seconds']:.1f} s, {total / ref['seconds']:,.0f} rows/s, peak {ref['peak_mb']:.0f} MB")
    print("pipeline: read + pseudonymise + validate (GX) + load + transform + indicators")
    print(f"  wall {pipe['seconds']:.1f} s, {pipe['rows_read'] / pipe['seconds']:,.0f} rows/s, "
          f"peak {pipe['peak_mb']:.0f} MB, warehouse {size:.0f} MB")
    for step, seconds in pipe["steps"].items():
        print(f"    {step:<14} {seconds:7.1f} s")
    print(f"  rows read {pipe['rows_read']:,}, quarantined {pipe['rows_quarantined']:,}, "
          f"files rejected {len(pipe['rejected'])}")
    print(f"  pipeline / reference: {pipe['seconds'] / ref['seconds']:.0f}x")


if __name__ == "__main__":
    main()
