"""Run the data contracts (Great Expectations suites in data_contracts/suites/) on export frames.

GX validates pandas frames here (it cannot validate DuckDB tables on this stack). The frame holds the
text values under canonical names plus typed twins (`<col>__t`) and derived checks (`bsn__geldig`,
`persoon__bekend`), so every rule in export-format.md is one expectation with a Dutch reason.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from pipelines.settings import SUITES_DIR

EPOCH = pd.Timestamp("1970-01-01")
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_MONTH = r"^\d{4}-\d{2}$"
INTEGER = r"^-?\d+$"
DECIMAL = r"^-?\d+(\.\d+)?$"


@lru_cache(maxsize=None)
def suite_json(file_type: str) -> dict:
    """The contract for one file type, as stored in data_contracts/suites/<type>.json."""
    return json.loads((SUITES_DIR / f"{file_type}.json").read_text(encoding="utf-8"))


def column_types(file_type: str) -> dict[str, str]:
    """Canonical column -> kind (date, month, integer, decimal, bool, code, text, bsn, gemeente_code)."""
    out = {}
    for name, spec in suite_json(file_type)["meta"]["columns"].items():
        kind = spec["type"]
        if kind == "code" and spec["codes"] == ["ja", "nee"]:
            kind = "bool"
        out[name] = kind
    return out


def required_columns(file_type: str) -> set[str]:
    """Columns that must be present in a file of this type."""
    return {n for n, s in suite_json(file_type)["meta"]["columns"].items() if s.get("required")}


def days(series: pd.Series) -> pd.Series:
    """Dates as float days since 1970-01-01 (NaN when missing): fast for GX comparisons."""
    return (series - EPOCH).dt.days.astype("float64")


def typed_twin(text: pd.Series, kind: str) -> pd.Series:
    """The typed value of a text column: NaN/NaT where missing or malformed."""
    s = text.astype("string")
    if kind == "date":
        ok = s.str.match(ISO_DATE, na=False)
        return pd.to_datetime(s.where(ok), format="%Y-%m-%d", errors="coerce")
    if kind == "month":
        ok = s.str.match(ISO_MONTH, na=False)
        return pd.to_datetime((s + "-01").where(ok), format="%Y-%m-%d", errors="coerce")
    if kind == "integer":
        return pd.to_numeric(s.where(s.str.match(INTEGER, na=False)), errors="coerce").astype("float64")
    if kind == "decimal":
        # canonical decimals use a point; a profile with decimal_separator "," converts before this
        return pd.to_numeric(s.where(s.str.match(DECIMAL, na=False)), errors="coerce").astype("float64")
    raise ValueError(kind)


@dataclass
class Outcome:
    """What the contract says about one file."""

    file_errors: list[str] = field(default_factory=list)
    row_reasons: dict[int, list[str]] = field(default_factory=dict)   # frame position -> reasons
    results: list[dict] = field(default_factory=list)                 # one per expectation, for dq_results

    @property
    def rejected(self) -> bool:
        return bool(self.file_errors)


@lru_cache(maxsize=1)
def _context():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # heavy (about 4 s): only on the load path

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = {"globally": False}
    return gx, ctx


@lru_cache(maxsize=None)
def _batch_definition(file_type: str):
    gx, ctx = _context()
    source = ctx.data_sources.add_pandas(f"exports_{file_type}")
    return source.add_dataframe_asset(file_type).add_batch_definition_whole_dataframe("bestand")


def prepare(frame: pd.DataFrame, file_type: str, file_index: int = 0) -> pd.DataFrame:
    """Add missing optional columns, the typed twins and the helper columns the suite refers to."""
    types = column_types(file_type)
    out = frame.copy()
    for name, kind in types.items():
        if name not in out and kind != "bsn" and name not in required_columns(file_type):
            out[name] = pd.Series([None] * len(out), index=out.index, dtype=object)
    for name, kind in types.items():
        if name in out and kind in ("date", "month", "integer", "decimal"):
            twin = typed_twin(out[name], kind)
            out[f"{name}__t"] = days(twin) if kind in ("date", "month") else twin
    if "peildatum__t" not in out:
        out["peildatum__t"] = np.nan
    out["peiljaar__t"] = (EPOCH + pd.to_timedelta(out["peildatum__t"], unit="D")).dt.year.astype("float64")
    out["bron__bestand"] = file_index
    return out


def _columns_of(expectation: dict) -> tuple[str, ...]:
    """The frame columns one expectation reads (its column(s) and the column of its row condition)."""
    kwargs = expectation["kwargs"]
    cols = {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
    cols |= set(kwargs.get("column_list", []))
    if isinstance(kwargs.get("row_condition"), dict):
        cols.add(kwargs["row_condition"]["column"]["name"])
    return tuple(sorted(cols))


@lru_cache(maxsize=None)
def _suites(file_type: str, level: str) -> list[tuple[tuple[str, ...] | None, object]]:
    """The suite's expectations of one level as GX suites: the file level whole, the row level per
    column set, so that each runs on a narrow frame (GX copies the whole frame per expectation)."""
    gx, _ = _context()
    spec = suite_json(file_type)
    expectations = [e for e in spec["expectations"] if e["meta"]["niveau"] == level]
    if level == "bestand":
        groups = {None: expectations}
    else:
        groups: dict = {}
        for e in expectations:
            groups.setdefault(_columns_of(e), []).append(e)
    return [(cols, gx.ExpectationSuite(name=f"{spec['name']}_{level}_{i}", expectations=exps, meta=spec["meta"]))
            for i, (cols, exps) in enumerate(groups.items())]


def check_file(frame: pd.DataFrame, file_type: str, today: date) -> Outcome:
    """Run the file-level expectations (reject the file) on one prepared file."""
    # file-level rules only look at columns, row count and peildatum values: one row per peildatum is enough
    sample = frame.drop_duplicates(subset=["peildatum"]) if "peildatum" in frame else frame.head(1)
    outcome = _validate(sample, file_type, "bestand", {"vandaag": float((pd.Timestamp(today) - EPOCH).days)})
    if len(frame) == 0:
        # an empty file: only say so (and which columns are missing), not what empty columns imply
        outcome.file_errors = [e for e in outcome.file_errors if "gegevensrijen" in e or "ontbreekt" in e]
    elif "peildatum" in frame and frame["peildatum__t"].isna().all():
        outcome.file_errors = [e for e in outcome.file_errors if "toekomst" not in e]
        outcome.file_errors.append("geen geldige peildatum (JJJJ-MM-DD) in het bestand")
    return outcome


def check_rows(frame: pd.DataFrame, file_type: str) -> Outcome:
    """Run the row-level expectations (quarantine the row) on prepared files, validated together."""
    return _validate(frame, file_type, "rij", {})


def _validate(frame: pd.DataFrame, file_type: str, level: str, params: dict) -> Outcome:
    frame = frame.reset_index(drop=True)
    results = []
    for cols, suite in _suites(file_type, level):
        data = frame if cols is None or not set(cols) <= set(frame.columns) else frame[list(cols)]
        batch = _batch_definition(file_type).get_batch(batch_parameters={"dataframe": data})
        results += batch.validate(suite, result_format={"result_format": "COMPLETE"},
                                  expectation_parameters=params).results
    outcome = Outcome()
    missing: set[str] = set()
    for res in results:
        meta = res.expectation_config.meta or {}
        info = res.exception_info or {}
        raised = info.get("raised_exception") if isinstance(info, dict) else False
        detail = res.result or {}
        unexpected = detail.get("unexpected_index_list") or []
        outcome.results.append({
            "expectation": res.expectation_config.type, "kolom": meta.get("kolom", ""),
            "niveau": meta.get("niveau", ""), "regel": meta.get("regel", ""), "reden": meta.get("reden", ""),
            "success": bool(res.success), "element_count": detail.get("element_count", len(frame)),
            "unexpected_count": detail.get("unexpected_count", 0 if res.success else len(unexpected)),
            "unexpected_index": unexpected,
        })
        if res.success:
            continue
        if level == "bestand":
            if not raised or meta.get("regel") == "kolom_ontbreekt":
                outcome.file_errors.append(meta["reden"] + _detail(meta.get("regel"), frame))
        elif raised:
            missing.add(meta.get("kolom", ""))
        else:
            for pos in unexpected:
                outcome.row_reasons.setdefault(int(pos), []).append(meta["reden"])
    if missing:
        # a row rule could not run although the file passed the file-level checks: never pass silently
        raise RuntimeError(f"contract {file_type}: controle op {', '.join(sorted(missing))} kon niet worden uitgevoerd")
    return outcome


def _detail(rule: str | None, frame: pd.DataFrame) -> str:
    """The values behind a file-level error, so the user can find them."""
    if rule == "meerdere_peildata" and "peildatum" in frame:
        values = sorted(frame["peildatum"].dropna().unique())
        return f" ({', '.join(values[:5])}{', ...' if len(values) > 5 else ''})"
    if rule == "peildatum_in_toekomst" and "peildatum" in frame:
        return f" ({frame['peildatum'].dropna().max()})"
    return ""
