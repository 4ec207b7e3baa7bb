"""Start the Monitor Wet inburgering 2021.

    python app.py

builds the warehouse from sample_exports/demo when the warehouse file does not exist yet
($INBURGERING_WAREHOUSE, default data/warehouse.duckdb), then serves the dashboard on
http://127.0.0.1:8050 (override with $INBURGERING_HOST and $INBURGERING_PORT; debug is off).

For production use gunicorn; every worker builds its own app and opens the warehouse read-only
(build the warehouse first, e.g. with `python app.py` once or with the pipeline CLI):

    gunicorn -w 2 -b 127.0.0.1:8050 'dashboards.app:server()'
    gunicorn -w 2 -b 127.0.0.1:8050 app:server        # same, from the repository root

`server` is created lazily on first access, so importing this module has no side effects.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def ensure_warehouse() -> Path:
    """The warehouse file; built from the demo exports when it does not exist yet."""
    from pipelines import settings

    path = settings.warehouse_path()
    if path.exists():
        return path
    print(f"Geen warehouse gevonden; demo-warehouse wordt gebouwd in {path} "
          f"(no warehouse found; building the demo warehouse) ...", flush=True)
    from pipelines.load import build_demo_warehouse

    path.parent.mkdir(parents=True, exist_ok=True)
    return Path(build_demo_warehouse(path) or path)


def main() -> None:
    """Build the warehouse when missing, then serve the dashboard (debug off)."""
    from dashboards.app import create_app

    path = ensure_warehouse()
    host = os.environ.get("INBURGERING_HOST", "127.0.0.1")
    port = int(os.environ.get("INBURGERING_PORT", "8050"))
    app = create_app(path)
    print(f"Monitor Wet inburgering 2021: http://{host}:{port}/ (warehouse {path})", flush=True)
    app.run(host=host, port=port, debug=False)


def __getattr__(name: str):
    # Lazy WSGI entry point for `gunicorn app:server`: nothing is built on plain import.
    if name == "server":
        from dashboards.app import create_app

        return create_app().server
    raise AttributeError(name)


if __name__ == "__main__":
    main()
