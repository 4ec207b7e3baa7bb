"""Definities: every indicator's definition, unit, kind, convention and direction (queries and layout).

Read from `mart_indicator_definities` (the registry, pipelines/indicators/definitions.yaml). Each
indicator gets an anchor `#<indicator-id>` so other pages link "Definitie" straight to it.
"""
from __future__ import annotations

import os

import pandas as pd
from dash import dcc, html

from dashboards import figures as fg
from dashboards import warehouse

PathLike = str | os.PathLike | None
PAGINA = "definities"
SOORT_LABELS = {
    "aantal": "Aantal (telling)",
    "aandeel": "Aandeel (percentage), met 95%-betrouwbaarheidsinterval",
    "mediaan": "Mediaan (middelste waarde)",
    "per_1000": "Aantal per 1.000 inwoners",
}
HOGER_LABELS = {True: "Ja: hoger is beter", False: "Nee: lager is beter", None: "Geen richting: hoger is niet per se beter"}
PERIODE_LABELS = {"jaar_en_kwartaal": "per jaar en per kwartaal", "jaar": "alleen per jaar"}
MODUS_LABELS = {
    "verdeling": "één groep verdeeld over de categorieën (samen 100 %)",
    "los": "elke categorie een eigen groep",
    "los_met_alle": "elke categorie een eigen groep, plus 'alle'",
}


def definities(path: PathLike = None) -> pd.DataFrame:
    """The registry rows, in registry order."""
    return warehouse.query("SELECT * FROM mart_indicator_definities", path=path)


def _hoger(value) -> bool | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return bool(value)


def _text(value) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def definities_table(defs: pd.DataFrame) -> fg.TableView:
    """All definitions as a table (for the download)."""
    rows = []
    for _, d in defs.iterrows():
        rows.append((str(d["id"]), tuple(fg.tekst_cell(v) for v in (
            str(d["titel"]), str(d["definitie"]), str(d["eenheid"]), SOORT_LABELS.get(d["soort"], d["soort"]),
            _text(d.get("conventie")) or "–", HOGER_LABELS[_hoger(d["hoger_is_beter"])],
            _text(d.get("categorieen")) or "–", PERIODE_LABELS.get(_text(d.get("perioden")) or "", "–")))))
    return fg.TableView("Definities van de indicatoren", ("Id", "Titel", "Definitie", "Eenheid", "Soort",
                                                          "Conventie of bron", "Hoger is beter", "Categorieën",
                                                          "Perioden"), tuple(rows))


def indicator_blok(d: pd.Series) -> html.Section:
    """One indicator with anchor id = its id."""
    cats = _text(d.get("categorieen"))
    modus = _text(d.get("categorie_modus"))
    items = [
        ("Definitie", str(d["definitie"])),
        ("Eenheid", str(d["eenheid"])),
        ("Soort", SOORT_LABELS.get(d["soort"], str(d["soort"]))),
        ("Conventie of bron", _text(d.get("conventie")) or "–"),
        ("Hoger is beter", HOGER_LABELS[_hoger(d["hoger_is_beter"])]),
        ("Perioden", PERIODE_LABELS.get(_text(d.get("perioden")) or "", "–")),
    ]
    if cats:
        items.append(("Categorieën", cats + (f" ({MODUS_LABELS[modus]})" if modus in MODUS_LABELS else "")))
    dl = []
    for term, desc in items:
        dl += [html.Dt(term, className="col-sm-3"), html.Dd(desc, className="col-sm-9")]
    return html.Section(id=str(d["id"]), className="definitie-blok mb-4 pt-2", tabIndex="-1",
                        **{"aria-labelledby": f"{d['id']}-titel"}, children=[
        html.H2(str(d["titel"]), id=f"{d['id']}-titel", className="h4"),
        html.P(["Code: ", html.Code(str(d["id"]), style={"color": "#1b1b1b"})], className="small mb-1"),
        html.Dl(dl, className="row mb-0"),
    ])


def pagina(defs: pd.DataFrame) -> html.Div:
    """The Definities page: an index, every indicator with its anchor, and the table download."""
    from dashboards import layouts

    index = html.Nav(**{"aria-label": "Indicatoren op deze pagina"}, className="mb-4", children=html.Ul(
        [html.Li(html.A(str(d["titel"]), href=f"#{d['id']}")) for _, d in defs.iterrows()],
        className="definitie-index", style={"columns": "2 20rem"}))
    return html.Div(className="definities", children=[
        dcc.Download(id="definities-download"),
        dcc.Store(id="definities-geladen", data=True),
        html.Div(className="pagina-kop", children=html.Div(className="pagina-kop__tekst", children=[
            html.H1("Wat betekenen de cijfers?"),
            html.P("Elke indicator van de monitor met zijn definitie, eenheid, soort, conventie of bron en of een "
                   "hogere waarde beter is. Alle cijfers gaan over inburgeringsplichtigen onder de Wet inburgering "
                   "2021 (plicht vanaf 1 januari 2022), uit de eigen registratie van de gemeente. Kleine aantallen "
                   "worden onderdrukt (1 tot en met 4 personen, of een aandeel of mediaan over minder dan 10).",
                   className="pagina-kop__intro"),
        ])),
        index,
        *[indicator_blok(d) for _, d in defs.iterrows()],
        html.Section(className="grafiek-blok", **{"aria-labelledby": "definities-tabel-titel"}, children=[
            html.H2("Alle definities als tabel", id="definities-tabel-titel"),
            layouts.download_knoppen(PAGINA, "definities", "definities"),
        ]),
    ])
