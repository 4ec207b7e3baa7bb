"""Run the SQL models (pipelines/transform/models): stg_ as views, int_ and mart_ as tables.

Each model is one SELECT in one file named after the model. The run order follows the references
between models (a model runs after every model its SQL names), so a new model needs no registration.
"""
from __future__ import annotations

import re
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

MODELS_DIR = Path(__file__).with_name("models")


def model_order(folder: Path = MODELS_DIR) -> list[Path]:
    """Model files in dependency order (ties broken by name)."""
    files = {p.stem: p for p in sorted(folder.glob("*.sql"))}
    graph = {}
    for name, path in files.items():
        sql = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        graph[name] = {other for other in files if other != name and re.search(rf"\b{other}\b", sql)}
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    order = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return [files[n] for n in order]


def run_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)build every model in dependency order; returns the model names."""
    names = []
    for path in model_order():
        kind = "VIEW" if path.stem.startswith("stg_") else "TABLE"
        con.execute(f"CREATE OR REPLACE {kind} {path.stem} AS\n{path.read_text(encoding='utf-8')}")
        names.append(path.stem)
    return names
