"""Voortgang en examens: thin wiring only (URL -> dashboards.thema -> layout). Builders live in dashboards/thema.py."""
from __future__ import annotations

import dash

from dashboards import thema

PAGINA = thema.PAGINAS["voortgang_examens"]

dash.register_page(
    __name__,
    path=PAGINA.path,
    name=PAGINA.naam,
    title=PAGINA.title(),
    description="Examens per onderdeel, B1-diploma, voldaan binnen de termijn en verstreken termijnen.",
    order=13,
)


def layout(**query):
    """The page for `?gemeente=GM....&periode=YYYY[-Qn]&doelgroep=...` (defaults when absent or unknown)."""
    return thema.pagina_layout("voortgang_examens", query)


def register_callbacks(app: dash.Dash) -> None:
    """Filter bar URL sync and CSV/Excel downloads (shared by all thematic pages, registered once per app)."""
    thema.register_callbacks(app)
