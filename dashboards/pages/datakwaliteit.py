"""Datakwaliteit: how reliable are the loaded data? Thin wiring (URL -> data -> layout). Counts only."""
from __future__ import annotations

import dash

from dashboards import kwaliteit, wiring

dash.register_page(
    __name__,
    path="/datakwaliteit",
    name="Datakwaliteit",
    title="Datakwaliteit – Monitor Wet inburgering 2021",
    description="Hoe betrouwbaar zijn de gegevens? Laadhistorie, contractcontroles en quarantaine (alleen aantallen).",
    order=22,
)


def layout(**query):
    """The page for `?gemeente=..`."""
    return wiring.page_layout(kwaliteit, query)


def register_callbacks(app: dash.Dash) -> None:
    """URL filters and the table downloads of this page."""
    wiring.register_table_downloads(app, "datakwaliteit", kwaliteit)
