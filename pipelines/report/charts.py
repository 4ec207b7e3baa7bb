"""Plotly figures for the printed report, built with the dashboard's builders and house style.

Figures are returned as Plotly JSON; the print page draws them with the plotly.js bundle that ships in the
installed plotly package (no CDN), so Chromium prints them as vector graphics. A suppressed value is never
drawn as zero: the point or bar is left out and a marker explains it (as on the dashboard).
"""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

from dashboards.figures import (FONT_FAMILY, LEERROUTE_KLEUREN, LEERROUTE_LABELS, LEERROUTES, OKABE_ITO,
                                ONDERDRUKT_AANDEEL, TEXT_COLOUR, base_layout, empty_figure, instroom_figure)
from pipelines.report.text import kwartaal_kort

BREEDTE = 660   # px at 96 dpi: the text width of an A4 page with 20 mm margins (170 mm)
HOOGTE = 300
LIJN_KLEUREN = (OKABE_ITO["blauw"], OKABE_ITO["vermiljoen"], OKABE_ITO["blauwgroen"], OKABE_ITO["roodpaars"],
                OKABE_ITO["zwart"])
LIJN_STREEP = ("solid", "dash", "dot", "dashdot", "longdash")
PRINT_FONT = '"Liberation Sans", Arial, Helvetica, sans-serif'


def voor_print(fig: go.Figure, hoogte: int = HOOGTE) -> go.Figure:
    """Fixed size and print fonts (the page has no hover, so every value must be readable)."""
    fig.update_layout(width=BREEDTE, height=hoogte, font=dict(family=PRINT_FONT, size=11, color=TEXT_COLOUR),
                      margin=dict(l=56, r=12, t=40, b=40), legend=dict(font=dict(size=11)),
                      # print is drawn once, so let Plotly grow the margins until every label fits
                      xaxis=dict(automargin=True), yaxis=dict(automargin=True))
    return fig


def als_json(fig: go.Figure) -> str:
    """Figure JSON that is safe inside a <script> element."""
    return fig.to_json().replace("</", "<\\/")


def instroom(reeks: pd.DataFrame, kwartalen: list[str]) -> go.Figure:
    rows = reeks[(reeks["indicator"] == "instroom") & reeks["periode"].isin(kwartalen)
                 & reeks["doelgroep"].isin(["asiel", "gezin", "overig"])]
    fig = instroom_figure(rows)
    fig.update_layout(font_family=FONT_FAMILY)
    return voor_print(fig)


def trend(indicator: str, y_titel: str, reeks: pd.DataFrame, groepcijfers: pd.DataFrame, groepen, kwartalen: list[str],
          gemeente_naam: str, procent: bool = True) -> go.Figure:
    """Lines per quarter: the gemeente and its peer groups. Suppressed points are gaps."""
    x = [kwartaal_kort(k) for k in kwartalen]
    fig = go.Figure()
    series = [(gemeente_naam, reeks[(reeks["indicator"] == indicator) & (reeks["doelgroep"] == "alle")
                                    & reeks["categorie"].isna()].set_index("periode"))]
    for g in groepen:
        series.append((g.naam if g.soort != "provincie" else f"Provincie {g.naam}",
                       groepcijfers[(groepcijfers["indicator"] == indicator)
                                    & (groepcijfers["groep_code"] == g.code)].set_index("periode")))
    gaten = []
    for i, (naam, df) in enumerate(series):
        ys = []
        for k in kwartalen:
            if k in df.index and not bool(df.loc[k, "onderdrukt"]) and pd.notna(df.loc[k, "waarde"]):
                ys.append(float(df.loc[k, "waarde"]))
            else:
                ys.append(None)
                if k in df.index and bool(df.loc[k, "onderdrukt"]) and i == 0:
                    gaten.append(kwartaal_kort(k))
        fig.add_scatter(x=x, y=ys, name=naam, mode="lines+markers", connectgaps=False,
                        line=dict(color=LIJN_KLEUREN[i % 5], width=3 if i == 0 else 2, dash=LIJN_STREEP[i % 5]),
                        marker=dict(size=7 if i == 0 else 5))
    if gaten:
        fig.add_scatter(x=gaten, y=[0] * len(gaten), mode="text", text=[f"{ONDERDRUKT_AANDEEL} onderdrukt"] * len(gaten),
                        textposition="top center", showlegend=False, cliponaxis=False)
    base_layout(fig, y_titel)
    if procent:
        fig.update_yaxes(range=[0, 100], ticksuffix=" %", dtick=20)
    return voor_print(fig)


def leerroutes(reeks: pd.DataFrame, kwartalen: list[str]) -> go.Figure:
    """Grouped bars: share per leerroute in the initial PIP, per quarter."""
    rows = reeks[(reeks["indicator"] == "leerroute_aandeel_pct") & (reeks["doelgroep"] == "alle")
                 & reeks["periode"].isin(kwartalen)]
    if rows.empty:
        return voor_print(empty_figure("Geen gegevens over leerroutes in deze kwartalen."), 160)
    x = [kwartaal_kort(k) for k in kwartalen]
    idx = {(r["periode"], r["categorie"]): r for _, r in rows.iterrows()}
    fig = go.Figure()
    verborgen = []
    for c in LEERROUTES:
        ys = []
        for k in kwartalen:
            r = idx.get((k, c))
            if r is not None and bool(r["onderdrukt"]):
                verborgen.append(kwartaal_kort(k))
            ys.append(None if r is None or bool(r["onderdrukt"]) or pd.isna(r["waarde"]) else float(r["waarde"]))
        fig.add_bar(name=LEERROUTE_LABELS[c], x=x, y=ys, marker_color=LEERROUTE_KLEUREN[c],
                    text=[None if v is None else f"{v:.0f} %" for v in ys], textposition="outside",
                    textfont=dict(size=10), cliponaxis=False)
    verborgen = list(dict.fromkeys(verborgen))
    if verborgen:
        fig.add_scatter(x=verborgen, y=[0] * len(verborgen), mode="text",
                        text=[f"{ONDERDRUKT_AANDEEL} onderdrukt"] * len(verborgen), textposition="top center",
                        showlegend=False, cliponaxis=False)
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    base_layout(fig, "Aandeel personen met een PIP")
    fig.update_yaxes(range=[0, 105], ticksuffix=" %", dtick=20)
    return voor_print(fig)


def figuren_json(figs: dict[str, go.Figure]) -> str:
    return "{" + ",".join(f"{json.dumps(k)}:{als_json(v)}" for k, v in figs.items()) + "}"
