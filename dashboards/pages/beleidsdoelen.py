"""Beleidsdoelen: does the gemeente reach its own policy goals? Thin wiring (URL -> data -> layout)."""
from __future__ import annotations

import dash

from dashboards import beleid, wiring

dash.register_page(
    __name__,
    path="/beleidsdoelen",
    name="Beleidsdoelen",
    title="Beleidsdoelen – Monitor Wet inburgering 2021",
    description="Halen we onze beleidsdoelen? Status, verloop, streefwaarde en bron van elk doel.",
    order=21,
)


def layout(**query):
    """The page for `?gemeente=..&periode=..`."""
    return wiring.page_layout(beleid, query)


def register_callbacks(app: dash.Dash) -> None:
    """URL filters and the table downloads of this page."""
    wiring.register_table_downloads(app, "beleidsdoelen", beleid)
