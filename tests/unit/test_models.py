"""The SQL model runner and the indicator registry."""
from __future__ import annotations

from pathlib import Path

from pipelines.indicators.engine import registry
from pipelines.transform.runner import model_order


def test_models_run_after_what_they_reference():
    order = [p.stem for p in model_order()]
    assert order.index("mart_perioden") < order.index("mart_periode_doelgroep")
    assert order.index("stg_personen") < order.index("int_personen") < order.index("mart_personen")
    assert all(order.index("int_personen") < order.index(f"mart_{t}")
               for t in ("examens", "activiteiten", "gesprekken", "uren"))


def test_every_indicator_has_metadata_and_one_sql_definition():
    ids = [e["id"] for e in registry()]
    assert len(ids) == len(set(ids)) == 26
    documented = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    for entry in registry():
        assert f"`{entry['id']}`" in documented, f"{entry['id']} is not defined in docs/indicators.md"
        assert entry["titel"] and entry["definitie"] and entry["conventie"]
        assert entry["soort"] in ("aantal", "aandeel", "mediaan", "per_1000")
        assert entry["hoger_is_beter"] in (True, False, None)
        assert entry["categorie_modus"] in (None, "verdeling", "los", "los_met_alle")
        assert bool(entry["categorieen"]) == bool(entry["categorie_modus"])
        assert entry["sql"].lstrip().startswith("--"), "every SQL file starts with a comment saying what it counts"
    sql_files = {p.stem for p in (Path(__file__).parents[2] / "pipelines" / "indicators" / "sql").glob("*.sql")}
    assert sql_files == set(ids)
