"""Rapportage: thin wiring only (URL -> dashboards.rapportage)."""
from __future__ import annotations

import dash

from dashboards import rapportage

dash.register_page(__name__, path=rapportage.PATH, name="Rapportage", title="Kwartaalrapportage", order=90,
                   description="De kwartaalrapportage voor de raad als PDF of Excel.")


def layout(**query):
    """The page for `?gemeente=GM....&periode=YYYY-Qn`."""
    return rapportage.layout(query)


def register_callbacks(app: dash.Dash) -> None:
    """Download callbacks of this page."""
    rapportage.register_callbacks(app)
