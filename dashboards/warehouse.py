"""Read-only access to the DuckDB warehouse for the web server.

The load step builds a new database file and swaps it in with `os.replace`, so the server keeps one
read-only connection per process and reopens it when the file's identity (inode, mtime, size) changes.
Every query runs on its own cursor and is fetched fully, so a half-read result never holds the
connection. The connection is an in-memory DuckDB that ATTACHes the file READ_ONLY: DuckDB caches
database instances by path within a process, so reconnecting to the same path while an old
connection is still alive would silently return the old file; an attached file has no such cache.
Results are cached per process, keyed by the file's identity, the SQL and its parameters: the file
is read-only and a new load replaces it (new identity), so a cached result can never be stale. The
cache is bounded by size (INBURGERING_CACHE_MB, default 128 MB per process; least recently used goes
first). `memo` keeps values derived from results under the same key (file identity and arguments).
The only mutable state is the per-process connection and result caches (safe under several gunicorn
workers, each of which has its own).
"""
from __future__ import annotations

import functools
import inspect
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import duckdb
import pandas as pd

from pipelines import settings

CONFIG_KEY = "INBURGERING_WAREHOUSE"
_ALIAS = "wh"
_DUCKDB_CONFIG = {
    # Nothing may be downloaded at run time.
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class WarehouseUnavailable(RuntimeError):
    """The warehouse file is missing or locked by a writer."""


@dataclass(frozen=True)
class _Handle:
    path: str
    signature: tuple[int, int, int, int]
    con: duckdb.DuckDBPyConnection


_lock = threading.Lock()
_handles: dict[str, _Handle] = {}
_results: OrderedDict[tuple, tuple[pd.DataFrame, int]] = OrderedDict()
_result_bytes = 0
_memo: dict[tuple, Any] = {}
MEMO_MAX = 512


def _cache_budget() -> int:
    return int(float(os.environ.get("INBURGERING_CACHE_MB", "128")) * 1024 * 1024)


def current_path() -> Path:
    """The warehouse of the running app (Flask config), else the configured default."""
    try:
        from flask import current_app, has_app_context

        if has_app_context() and current_app.config.get(CONFIG_KEY):
            return Path(current_app.config[CONFIG_KEY])
    except ImportError:  # pragma: no cover - flask ships with dash
        pass
    return settings.warehouse_path()


def _signature(path: str) -> tuple[int, int, int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise WarehouseUnavailable(f"warehouse not found: {path}") from exc
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def _open(path: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:", config=_DUCKDB_CONFIG)
    try:
        con.execute(f"ATTACH '{path.replace(chr(39), chr(39) * 2)}' AS {_ALIAS} (READ_ONLY)")
    except (duckdb.IOException, duckdb.CatalogException) as exc:
        con.close()
        raise WarehouseUnavailable(f"cannot open warehouse read-only: {exc}") from exc
    return con


def connection(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """The cached read-only connection for `path`, reopened when the file was replaced."""
    return _handle(path).con


def _handle(path: str | os.PathLike | None) -> _Handle:
    key = str(Path(path) if path else current_path())
    sig = _signature(key)
    with _lock:
        handle = _handles.get(key)
        if handle is None or handle.signature != sig:
            # The old connection is dropped, not closed: cursors still running on it keep its
            # database alive until they finish, then it is freed.
            handle = _Handle(key, sig, _open(key))
            _handles[key] = handle
        return handle


def query(sql: str, params: Sequence[Any] | None = None, path: str | os.PathLike | None = None) -> pd.DataFrame:
    """Run one read-only query on its own cursor and return the fully fetched result.

    A result already read from this version of the file comes from the cache. Callers get their own
    (copy-on-write) frame, so changing it never changes the cached one."""
    global _result_bytes
    handle = _handle(path)
    key = (handle.path, handle.signature, sql, tuple(_hashable(p) for p in params or ()))
    with _lock:
        hit = _results.get(key)
        if hit is not None:
            _results.move_to_end(key)
            return hit[0].copy(deep=False)
    cur = handle.con.cursor()
    try:
        cur.execute(f"USE {_ALIAS}")
        df = cur.execute(sql, list(params or [])).df()
    finally:
        cur.close()
    size = sum(int(col.array.nbytes) for _, col in df.items()) + 1024   # cheaper than df.memory_usage
    budget = _cache_budget()
    with _lock:
        if size <= budget and key not in _results:
            _results[key] = (df, size)
            _result_bytes += size
            while _result_bytes > budget:
                _, (_, old) = _results.popitem(last=False)
                _result_bytes -= old
    return df.copy(deep=False)


def _hashable(value: Any) -> Any:
    return tuple(_hashable(v) for v in value) if isinstance(value, (list, tuple)) else value


def memo(fn):
    """Memoize a function of the warehouse (its `path` argument, default the app's) per version of the
    file (the identity `query` uses) and its other arguments: for values derived from query results, so
    that their pandas work is not repeated either. Each process has its own memo, bounded by MEMO_MAX
    entries (emptied when full). Callers must not mutate results."""
    sig = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        path = bound.arguments.get("path")
        key_path = str(path or current_path())
        rest = tuple(tuple(v) if isinstance(v, list) else v for k, v in bound.arguments.items() if k != "path")
        key = (fn.__qualname__, key_path, _signature(key_path), rest)
        try:
            return _memo[key]
        except KeyError:
            pass
        value = fn(*bound.args, **bound.kwargs)
        if len(_memo) >= MEMO_MAX:
            _memo.clear()
        _memo[key] = value
        return value

    return wrapper


def clear_cache() -> None:
    """Forget every cached result and memoized value (benchmarks of a first visit, tests)."""
    global _result_bytes
    with _lock:
        _results.clear()
        _result_bytes = 0
        _memo.clear()


def close_all() -> None:
    """Forget every cached connection (tests, shutdown)."""
    clear_cache()
    with _lock:
        handles = list(_handles.values())
        _handles.clear()
    for handle in handles:
        handle.con.close()
