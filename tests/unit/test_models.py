"""The SQL model runner and the indicator registry."""
from __future__ import annotations

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
    assert len(ids) == len(set(ids)) and {"instroom", "leerroute_aandeel_pct"} <= set(ids)
    for entry in registry():
        assert entry["titel"] and entry["definitie"] and entry["soort"] in ("aantal", "aandeel", "mediaan")
        assert f"'{entry['id']}' AS indicator" in entry["sql"]
