"""Load step: validated snapshots into the DuckDB warehouse, swapped in atomically."""
from pipelines.load.snapshot import FileResult, LoadReport, build_demo_warehouse, load_paths

__all__ = ["FileResult", "LoadReport", "build_demo_warehouse", "load_paths"]
