"""Beleidsdoelen: the gemeente's own goals with their status per period (queries, figures, layouts).

The status, figure and explanation come from `mart_beleidsdoelen` (docs/policy-goals.md); this module
never judges a goal. The figure shown is the published one: a row that `mart_indicatoren_publicatie`
hides (small numbers) is hidden here too. The quoted source text of a goal is read from the goal files
(`pipelines.goals.load_all_goals`), which hold it so that nothing else is read at run time.

Also here: the two additions to the Overzicht page (change since the previous quarter, and the goal
status summary).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboards import figures as fg
from dashboards import warehouse
from dashboards.vergelijken import gemeenten_frame, peildatum
from dashboards.warehouse import memo

PathLike = str | os.PathLike | None
PAGINA = "beleidsdoelen"

STATUSES = ("op_koers", "risico", "niet_gehaald", "nog_niet_meetbaar")
STATUS_LABELS = {"op_koers": "Op koers", "risico": "Risico", "niet_gehaald": "Niet gehaald",
                 "nog_niet_meetbaar": "Nog niet meetbaar"}
# Shape and word carry the meaning; colour only supports it (Okabe-Ito, text colours ≥ 4.5:1).
STATUS_ICOON = {"op_koers": "✓", "risico": "!", "niet_gehaald": "✗", "nog_niet_meetbaar": "…"}
STATUS_KLEUR = {"op_koers": fg.OKABE_ITO["blauwgroen"], "risico": fg.OKABE_ITO["roodpaars"],
                "niet_gehaald": fg.OKABE_ITO["vermiljoen"], "nog_niet_meetbaar": fg.MUTED_COLOUR}
STATUS_SYMBOOL = {"op_koers": "circle", "risico": "diamond", "niet_gehaald": "x", "nog_niet_meetbaar": "circle-open"}
STATUS_STIJL = {
    "op_koers": {"backgroundColor": "#d9f2ea", "color": "#00513a", "borderColor": "#009E73"},
    "risico": {"backgroundColor": "#f8e4ef", "color": "#7a2755", "borderColor": "#CC79A7"},
    "niet_gehaald": {"backgroundColor": "#fbe3d6", "color": "#8a3300", "borderColor": "#D55E00"},
    "nog_niet_meetbaar": {"backgroundColor": "#eceff1", "color": "#343a40", "borderColor": "#6c757d"},
}
HERKOMST_LABELS = {
    "gemeente": "Streefwaarde van de gemeente zelf (in de bron).",
    "wet": "Wettelijke norm.",
    "afgeleid": "Afgeleid: de bron stelt een regel voor iedere inburgeraar zonder percentage; de monitor leest die "
                "als 100 %.",
    "standaard": "Standaard van de monitor: de bron noemt geen getal; de monitor kijkt of de waarde hoger (of lager) "
                 "is dan een jaar eerder. Dit is geen streefwaarde van de gemeente.",
}
UNIT = {"aandeel": " %", "mediaan": " dagen", "aantal": "", "per_1000": " per 1.000 inwoners"}


# --- Queries ----------------------------------------------------------------------------------

@memo
def doelen_rows(gemeente: str, path: PathLike = None) -> pd.DataFrame:
    """Every goal x periode of the gemeente, with the published figure (hidden where the publication
    table hides it) and the indicator's kind and title."""
    df = warehouse.query(
        """
        SELECT b.gemeente_code, b.doel_id, b.titel, b.indicator, b.doelgroep, b.categorie, b.periode,
               b.streefwaarde, b.richting, b.marge, b.status, b.toelichting, b.bron, b.streefwaarde_herkomst,
               d.soort, d.titel AS indicator_titel, d.eenheid,
               coalesce(p.onderdrukt, false) AS onderdrukt,
               CASE WHEN coalesce(p.onderdrukt, false) THEN NULL ELSE b.waarde END AS waarde,
               CASE WHEN coalesce(p.onderdrukt, false) THEN NULL ELSE b.teller END AS teller,
               CASE WHEN coalesce(p.onderdrukt, false) THEN NULL ELSE b.noemer END AS noemer,
               CASE WHEN coalesce(p.onderdrukt, false) THEN NULL ELSE b.ci_onder END AS ci_onder,
               CASE WHEN coalesce(p.onderdrukt, false) THEN NULL ELSE b.ci_boven END AS ci_boven
        FROM mart_beleidsdoelen b
        LEFT JOIN mart_indicator_definities d ON d.id = b.indicator
        LEFT JOIN mart_indicatoren_publicatie p
               ON p.indicator = b.indicator AND p.gemeente_code = b.gemeente_code AND p.periode = b.periode
              AND p.doelgroep = b.doelgroep AND p.categorie IS NOT DISTINCT FROM b.categorie
        WHERE b.gemeente_code = ?
        ORDER BY b.doel_id, b.periode
        """,
        [gemeente],
        path=path,
    )
    # Goal order as in the goal file (the first period row of each goal keeps the file's order by id).
    return df


@lru_cache(maxsize=8)
def _goal_texts(signature: tuple) -> dict[tuple[str, str], dict]:
    try:
        from pipelines.goals import load_all_goals

        goals = load_all_goals()
    except Exception:  # a broken goal file must not break the page; the table still has the status
        return {}
    return {(g.gemeente_code, g.id): {"bron_tekst": g.bron_tekst, "bron": g.bron, "deadline": g.deadline_tekst,
                                      "goal_toelichting": g.toelichting, "periode_soort": g.periode,
                                      "vanaf": g.vanaf} for g in goals}


def doel_teksten() -> dict[tuple[str, str], dict]:
    """Quoted source texts (and deadline, note) per (gemeente, goal id), from the goal files."""
    from pipelines.goals import goal_dirs

    try:
        dirs = goal_dirs()
        sig = tuple((str(d), max((f.stat().st_mtime_ns for f in d.glob("*.y*ml")), default=0)) for d in dirs)
    except Exception:
        sig = ()
    return _goal_texts(sig)


# --- Page data --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Doel:
    """One goal: its rows per periode and the row shown as its current status."""

    doel_id: str
    titel: str
    rows: pd.DataFrame
    stand: pd.Series
    tekst: dict

    @property
    def soort(self) -> str:
        """The indicator's kind (aandeel, mediaan, aantal, per_1000)."""
        return str(self.stand["soort"])


def periode_einde(periode: str) -> dt.date:
    """The last day of a year ('2025') or quarter ('2025-Q3')."""
    year = int(periode[:4])
    if len(periode) == 4:
        return dt.date(year, 12, 31)
    q = int(periode[6])
    return (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)


def stand_rij(rows: pd.DataFrame, tot_en_met: str | None = None, peildatum: dt.date | None = None) -> pd.Series:
    """The row that gives a goal's status: the latest measurable period up to `tot_en_met` (a year or a
    quarter; a year goal is judged at its year, a quarter goal at the last quarter of a chosen year) that
    has ended by the peildatum; else the latest measurable one (running, 'voorlopig'); else the latest
    period up to it; else the first period."""
    rows = rows.sort_values("periode")
    if tot_en_met:
        grens = tot_en_met if len(tot_en_met) == 7 else f"{tot_en_met}-Q4"
        binnen = rows[rows["periode"].map(lambda p: (p if len(p) == 7 else f"{p}-Q4") <= grens)]
    else:
        binnen = rows
    if binnen.empty:
        return rows.iloc[0]
    meetbaar = binnen[binnen["status"] != "nog_niet_meetbaar"]
    if peildatum is not None and len(meetbaar):
        af = meetbaar[meetbaar["periode"].map(periode_einde) <= peildatum]
        if len(af):
            return af.iloc[-1]
    return (meetbaar if len(meetbaar) else binnen).iloc[-1]


def doelen(gemeente: str, tot_en_met: str | None = None, path: PathLike = None) -> list[Doel]:
    """The gemeente's goals (file order by id), each with its status row."""
    df = doelen_rows(gemeente, path=path)
    peil = peildatum(gemeente, path=path) if len(df) else None
    teksten = doel_teksten()
    out = []
    for doel_id, rows in df.groupby("doel_id", sort=False):
        rows = rows.reset_index(drop=True)
        out.append(Doel(str(doel_id), str(rows.iloc[0]["titel"]), rows, stand_rij(rows, tot_en_met, peil),
                        teksten.get((gemeente, str(doel_id)), {})))
    return out


@memo
def periodes(gemeente: str, path: PathLike = None) -> list[str]:
    """The periods that have goal rows for the gemeente (years and quarters)."""
    df = warehouse.query("SELECT DISTINCT periode FROM mart_beleidsdoelen WHERE gemeente_code = ? ORDER BY 1",
                         [gemeente], path=path)
    return df["periode"].tolist()


# --- Formatting -------------------------------------------------------------------------------

def fmt_waarde(value, soort: str) -> str:
    """A goal figure in Dutch notation with its unit."""
    if fg.is_missing(value):
        return fg.ONTBREEKT
    if soort == "aandeel":
        return fg.fmt_pct(value)
    if soort == "aantal":
        return fg.fmt_aantal(value)
    decimals = 0 if float(value).is_integer() else 1
    return fg.fmt_getal(value, decimals, UNIT.get(soort, ""))


def streef_tekst(row: pd.Series) -> str:
    """'minimaal 100 %', 'ongeveer 80 % (± 5)', 'hoger dan een jaar eerder'."""
    richting, soort = row["richting"], row["soort"]
    if richting == "stijgend":
        return "hoger dan een jaar eerder"
    if richting == "dalend":
        return "lager dan een jaar eerder"
    s = fmt_waarde(row["streefwaarde"], soort)
    if richting == "ongeveer":
        return f"ongeveer {s} (± {fg.fmt_getal(row['marge'], 0 if float(row['marge']).is_integer() else 1)})"
    return f"{richting} {s}"


def status_badge(status: str, badge_id: str | None = None) -> html.Span:
    """The status as icon + word in a bordered label (meaning never by colour alone)."""
    style = {**STATUS_STIJL[status], "border": "2px solid", "borderRadius": "0.4rem", "padding": "0.15rem 0.6rem",
             "fontWeight": 600, "display": "inline-block"}
    style["borderColor"] = STATUS_STIJL[status]["borderColor"]
    return html.Span([html.Span(STATUS_ICOON[status], **{"aria-hidden": "true"}), f" {STATUS_LABELS[status]}"],
                     className="status-label", style=style, **({"id": badge_id} if badge_id else {}))


# --- Table view and figure --------------------------------------------------------------------

def _num(value, soort: str) -> fg.Cell:
    v = None if fg.is_missing(value) else float(value)
    if soort == "aandeel":
        return fg.GetalCell(v, "pct", decimals=1, suffix=" %")
    if soort == "aantal":
        return fg.Cell(v, "aantal")
    return fg.GetalCell(v, "pct", decimals=1, suffix=UNIT.get(soort, ""))


def doel_table(doel: Doel, gemeente_naam: str = "") -> fg.TableView:
    """Table view of a goal's trend chart: per periode the figure, interval, target and status."""
    soort = doel.soort
    rows = []
    for _, r in doel.rows.iterrows():
        hidden = bool(r["onderdrukt"])
        marker = fg.ONDERDRUKT_AANTAL if soort == "aantal" else fg.ONDERDRUKT_AANDEEL
        waarde = fg.Cell(None, "aantal", True, marker) if hidden else _num(r["waarde"], soort)
        noemer = (fg.Cell(None, "aantal", True, fg.ONDERDRUKT_AANDEEL) if hidden
                  else fg.Cell(None if fg.is_missing(r["noemer"]) else float(r["noemer"]), "aantal"))
        rows.append((fg.fmt_periode(r["periode"]), (
            waarde, _num(r["ci_onder"], soort) if not hidden else fg.Cell(None, "pct", True),
            _num(r["ci_boven"], soort) if not hidden else fg.Cell(None, "pct", True), noemer,
            _num(r["streefwaarde"], soort), fg.tekst_cell(STATUS_LABELS[r["status"]]),
            fg.tekst_cell(r["toelichting"]))))
    caption = f"Beleidsdoel '{doel.titel}': waarde en status per periode"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    notes = ["Streefwaarde bij 'hoger/lager dan een jaar eerder': de waarde in dezelfde periode een jaar eerder."]
    return fg.TableView(caption, ("Periode", "Waarde", "95%-interval ondergrens", "95%-interval bovengrens",
                                  "Aantal (noemer)", "Streefwaarde", "Status", "Toelichting"), tuple(rows),
                        tuple(notes))


def doel_figure(doel: Doel) -> go.Figure:
    """Trend: the figure per periode (95 % interval), the target (line or band), status as marker shape."""
    rows = doel.rows.sort_values("periode")
    if rows.empty:
        return fg.empty_figure("Geen perioden voor dit doel.")
    soort = doel.soort
    labels = [fg.fmt_periode(p) for p in rows["periode"]]
    num = lambda v: None if fg.is_missing(v) else float(v)  # noqa: E731
    traces = []
    first = rows.iloc[0]
    if first["richting"] == "ongeveer" and not fg.is_missing(first["streefwaarde"]):
        lo = float(first["streefwaarde"]) - float(first["marge"])
        hi = float(first["streefwaarde"]) + float(first["marge"])
        traces.append(dict(type="scatter", name=f"Streefband {streef_tekst(first)}", x=labels + labels[::-1],
                           y=[hi] * len(labels) + [max(lo, 0)] * len(labels), fill="toself", mode="lines",
                           line=dict(width=0), fillcolor="rgba(0,158,115,0.15)", hoverinfo="skip"))
    streef = [num(v) for v in rows["streefwaarde"]]
    if first["richting"] in ("minimaal", "maximaal", "ongeveer"):
        traces.append(dict(type="scatter", name=f"Streefwaarde: {streef_tekst(first)}", x=labels, y=streef,
                           mode="lines", line=dict(color=fg.OKABE_ITO["zwart"], dash="dash", width=2),
                           hoverinfo="skip"))
    else:
        traces.append(dict(type="scatter", name="Een jaar eerder (vergelijkingswaarde)", x=labels, y=streef,
                           mode="lines+markers", line=dict(color=fg.MUTED_COLOUR, dash="dot", width=1.5),
                           marker=dict(size=6), hoverinfo="skip"))
    traces.append(dict(type="scatter", name="Waarde", x=labels, y=[num(v) for v in rows["waarde"]], mode="lines",
                       line=dict(color=fg.OKABE_ITO["blauw"], width=2), hoverinfo="skip", showlegend=False,
                       connectgaps=False))
    for status in STATUSES:
        shown = rows[(rows["status"] == status) & rows["waarde"].notna()]
        if shown.empty:
            continue
        ws = [float(v) for v in shown["waarde"]]
        trace = dict(
            type="scatter", name=f"{STATUS_ICOON[status]} {STATUS_LABELS[status]}",
            x=[fg.fmt_periode(p) for p in shown["periode"]], y=ws, mode="markers",
            marker=dict(symbol=STATUS_SYMBOOL[status], size=12, color=STATUS_KLEUR[status],
                        line=dict(width=2, color=STATUS_KLEUR[status])),
            customdata=[[fmt_waarde(w, soort), STATUS_LABELS[status]] for w in ws],
            hovertemplate="%{x}: %{customdata[0]}<br>%{customdata[1]}<extra></extra>")
        if soort == "aandeel":
            trace["error_y"] = dict(
                type="data", symmetric=False,
                array=[float(b) - w if not fg.is_missing(b) else 0 for b, w in zip(shown["ci_boven"], ws)],
                arrayminus=[w - float(o) if not fg.is_missing(o) else 0 for o, w in zip(shown["ci_onder"], ws)],
                color=STATUS_KLEUR[status], thickness=1.5, width=4)
        traces.append(trace)
    hidden = rows[rows["waarde"].isna()]
    if len(hidden):
        traces.append(dict(type="scatter", name="geen waarde", x=[fg.fmt_periode(p) for p in hidden["periode"]],
                           y=[0] * len(hidden), mode="text", text=["–"] * len(hidden), textposition="top center",
                           showlegend=False, hoverinfo="text",
                           hovertext=[f"{fg.fmt_periode(p)}: geen (publiceerbare) waarde" for p in hidden["periode"]],
                           textfont=dict(color=fg.TEXT_COLOUR, size=14)))
    yaxis = dict(title_text=str(doel.stand["eenheid"]) if soort != "aandeel" else "Aandeel", showgrid=True,
                 gridcolor="#e3e3e3", zeroline=True, zerolinecolor="#6f6f6f", rangemode="tozero", showline=True,
                 ticks="outside")
    if soort == "aandeel":
        yaxis.update(range=[0, 105], ticksuffix=" %", dtick=20)
    # Fonts, separators and colours come from the house template (figures.HOUSE_TEMPLATE).
    # Fixed margins (no automargin, see figures.HOUSE_TEMPLATE): room for slanted period labels.
    layout = dict(height=360, margin=dict(l=76, r=16, t=48, b=92 if len(labels) > 8 else 60), legend=dict(y=1.04),
                  xaxis=dict(type="category", title_text="", showline=True, ticks="outside",
                             tickangle=-45 if len(labels) > 8 else 0),
                  yaxis=yaxis)
    return go.Figure(data=traces, layout=layout)


# --- Page layout ------------------------------------------------------------------------------

def samenvatting(doel_lijst: list[Doel]) -> dict[str, int]:
    """Number of goals per status (the status shown for each goal)."""
    out = {s: 0 for s in STATUSES}
    for d in doel_lijst:
        out[str(d.stand["status"])] += 1
    return out


def samenvatting_blok(doel_lijst: list[Doel], id_prefix: str = "doelen") -> html.Div:
    """Counts per status as a row of key figures."""
    counts = samenvatting(doel_lijst)
    return html.Div(className="row g-3", children=[
        html.Div(className="col-6 col-lg-3", children=html.Div(className="kerncijfer h-100", children=[
            html.P(status_badge(s), className="kerncijfer__label"),
            html.P(str(counts[s]), id=f"{id_prefix}-aantal-{s}", className="kerncijfer__waarde"),
            html.P("doel" if counts[s] == 1 else "doelen", className="kerncijfer__toelichting"),
        ])) for s in STATUSES
    ])


def doel_sectie(doel: Doel, gemeente_naam: str) -> html.Section:
    """One goal: status with its reason, target, source text, trend chart, table and downloads."""
    from dashboards import layouts

    s = doel.stand
    key = f"doel-{doel.doel_id}"
    doelgroep = fg.DOELGROEP_LABELS.get(s["doelgroep"], s["doelgroep"])
    indicator_txt = str(s["indicator_titel"]) + (f" ({s['categorie']})" if s["categorie"] else "")
    tekst = doel.tekst
    deadline = tekst.get("deadline")
    status_kop = html.Div(className="doel-status mb-2", children=[
        status_badge(str(s["status"]), f"status-{doel.doel_id}"),
        html.Span(f" Stand {fg.fmt_periode(s['periode'], lang=True)}: ", className="ms-2 fw-semibold"),
        html.Span(str(s["toelichting"]), id=f"reden-{doel.doel_id}"),
    ])
    meta = html.Dl(className="row doel-meta mb-2", children=[
        html.Dt("Streefwaarde", className="col-sm-3"), html.Dd(streef_tekst(s) + (f", uiterlijk {deadline}" if deadline else ""),
                                                             className="col-sm-9"),
        html.Dt("Herkomst", className="col-sm-3"),
        html.Dd(HERKOMST_LABELS.get(s["streefwaarde_herkomst"], s["streefwaarde_herkomst"]), className="col-sm-9"),
        html.Dt("Gemeten met", className="col-sm-3"),
        html.Dd([indicator_txt, f", {doelgroep.lower()}, per {'kwartaal' if len(s['periode']) == 7 else 'jaar'} (",
                 layouts.definitie_link(str(s["indicator"])), ")"], className="col-sm-9"),
        html.Dt("Bron", className="col-sm-3"), html.Dd(str(s["bron"]), className="col-sm-9"),
    ])
    bron_tekst = tekst.get("bron_tekst")
    quote = html.Blockquote(html.P(bron_tekst), className="doel-bron border-start border-3 ps-3 fst-italic") \
        if bron_tekst else html.P("De brontekst staat niet in de doelbestanden.", className="text-body-secondary")
    notes = [tekst["goal_toelichting"]] if tekst.get("goal_toelichting") else []
    return html.Section(className="doel-blok mb-5", **{"aria-labelledby": f"{key}-kop"}, children=[
        html.H2(doel.titel, id=f"{key}-kop"),
        status_kop, meta,
        html.P(html.Strong("Brontekst"), className="mb-1"), quote,
        *[html.P(n, className="small text-body-secondary") for n in notes],
        layouts.grafiek_sectie(PAGINA, key, f"Verloop: {doel.titel}", doel_figure(doel), doel_table(doel, gemeente_naam),
                               kop="h3",
                               bron=f"Bron: eigen gemeentelijke registratie, status volgens de regels van de monitor "
                                    f"(docs/policy-goals.md)."),
    ])


# --- Overzicht additions ----------------------------------------------------------------------

VERANDER_INDICATOREN = ("instroom", "pip_binnen_10_weken_pct", "doorlooptijd_pip_mediaan", "activiteit_deelname_pct",
                        "duaal_pct")


def vorig_kwartaal(kwartaal: str) -> str:
    """'2025-Q1' -> '2024-Q4'."""
    year, q = int(kwartaal[:4]), int(kwartaal[6])
    return f"{year - 1}-Q4" if q == 1 else f"{year}-Q{q - 1}"


@memo
def verandering_rows(gemeente: str, kwartaal: str, path: PathLike = None) -> pd.DataFrame:
    """Published figures (doelgroep alle) of a few indicators for the quarter and the one before."""
    vorig = vorig_kwartaal(kwartaal)
    ids = list(VERANDER_INDICATOREN)
    return warehouse.query(
        f"""
        SELECT d.id AS indicator, d.titel, d.soort, d.eenheid, p.periode, p.teller, p.noemer, p.waarde,
               p.onderdrukt
        FROM mart_indicator_definities d
        LEFT JOIN mart_indicatoren_publicatie p
               ON p.indicator = d.id AND p.gemeente_code = ? AND p.doelgroep = 'alle' AND p.categorie IS NULL
              AND p.periode IN (?, ?)
        WHERE d.id IN ({', '.join('?' for _ in ids)})
        """,
        [gemeente, vorig, kwartaal, *ids],
        path=path,
    )


def verandering_table(rows: pd.DataFrame, kwartaal: str, gemeente_naam: str = "") -> fg.TableView:
    """Per indicator: previous quarter, this quarter and the change (persons, procentpunt, dagen)."""
    vorig = vorig_kwartaal(kwartaal)
    out = []
    for ind in VERANDER_INDICATOREN:
        part = rows[rows["indicator"] == ind]
        if part.empty:
            continue
        soort = str(part.iloc[0]["soort"])
        cells, values = [], []
        for p in (vorig, kwartaal):
            r = part[part["periode"] == p]
            if r.empty:
                cells.append(fg.Cell(None, "aantal"))
                values.append(None)
            elif bool(r.iloc[0]["onderdrukt"]):
                cells.append(fg.Cell(None, "aantal", True, fg.ONDERDRUKT_AANTAL if soort == "aantal"
                                     else fg.ONDERDRUKT_AANDEEL))
                values.append(None)
            else:
                v = float(r.iloc[0]["waarde"])
                cells.append(_num(v, soort))
                values.append(v)
        if None in values:
            delta = fg.tekst_cell(fg.ONDERDRUKT_AANDEEL if any(c.onderdrukt for c in cells) else None)
        else:
            diff = values[1] - values[0]
            unit = {"aandeel": " procentpunt", "mediaan": " dagen", "aantal": " personen"}.get(soort, "")
            decimals = 0 if soort == "aantal" else 1
            sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
            delta = fg.tekst_cell(f"{sign}{fg.fmt_getal(abs(diff), decimals)}{unit}")
        out.append((str(part.iloc[0]["titel"]), (*cells, delta)))
    caption = f"Verandering van {fg.fmt_periode(vorig, lang=True)} naar {fg.fmt_periode(kwartaal, lang=True)}"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    return fg.TableView(caption, ("Indicator", fg.fmt_periode(vorig), fg.fmt_periode(kwartaal), "Verandering"),
                        tuple(out), ("Alle doelgroepen. Percentages veranderen in procentpunten.",))


def overzicht_extra(gemeente: str, gemeente_naam: str, kwartaal: str | None, path: PathLike = None) -> list:
    """The Overzicht additions: change since the previous quarter, and the goal status summary."""
    from dashboards import layouts

    out = []
    if kwartaal:
        view = verandering_table(verandering_rows(gemeente, kwartaal, path=path), kwartaal, gemeente_naam)
        out.append(layouts.tabel_sectie(
            "overzicht-extra", "verandering", "Wat veranderde sinds het vorige kwartaal?", view,
            uitleg=html.P(f"De laatste twee volledige kwartalen naast elkaar, voor alle doelgroepen samen. "
                          f"Een '–' is onderdrukt (te klein aantal) of niet te berekenen.")))
    lijst = doelen(gemeente, path=path)
    if lijst:
        items = [html.Li([status_badge(str(d.stand["status"])), " ", d.titel,
                          html.Span(f" ({fg.fmt_periode(d.stand['periode'])})", className="text-body-secondary")],
                         className="mb-2") for d in lijst]
        body = [samenvatting_blok(lijst, "ov-doelen"), html.Ul(items, className="list-unstyled mt-3", id="ov-doelen-lijst"),
                dcc.Link("Alle beleidsdoelen met toelichting en bron", href=f"/beleidsdoelen?gemeente={gemeente}")]
    else:
        body = [html.P(f"Voor {gemeente_naam} zijn (nog) geen beleidsdoelen vastgelegd.")]
    out.append(html.Section(className="grafiek-blok", **{"aria-labelledby": "ov-doelen-titel"}, children=[
        html.H2("Halen we onze beleidsdoelen?", id="ov-doelen-titel"), *body]))
    return out


def peildatum_tekst(peil: dt.date | None) -> str:
    """The peildatum as '30 september 2026' ('.' when unknown)."""
    return fg.fmt_datum(peil)


# --- Beleidsdoelen page -----------------------------------------------------------------------

@dataclass(frozen=True)
class BeleidPagina:
    """The page's state from the URL."""

    filters: object
    gemeenten: pd.DataFrame
    gemeente_naam: str
    periodes: list[str]
    doelen: list[Doel]
    peildatum: object


def lees_pagina(query: dict, path: PathLike = None) -> BeleidPagina | None:
    """Everything the page needs for a URL query (None when no gemeente has data)."""
    from dashboards import controls

    gemeenten = gemeenten_frame(path=path)
    codes = gemeenten["gemeente_code"].tolist()
    filters = controls.parse_filters(query, codes)
    if filters.gemeente is None:
        return None
    ps = periodes(filters.gemeente, path=path)
    filters = controls.parse_filters(query, codes, ps)
    if filters.periode is None and ps:
        # default: the latest period (so the choice shows what the status is based on)
        filters = replace(filters, periode=max(ps, key=lambda p: (p if len(p) == 7 else f"{p}-Q4")))
    naam = str(gemeenten.loc[gemeenten["gemeente_code"] == filters.gemeente, "gemeente_naam"].iloc[0])
    return BeleidPagina(filters, gemeenten, naam, ps, doelen(filters.gemeente, filters.periode, path),
                        peildatum(filters.gemeente, path=path))


def table_views(state: BeleidPagina) -> dict[str, fg.TableView]:
    """The table behind each chart, by key (for the downloads)."""
    return {f"doel-{d.doel_id}": doel_table(d, state.gemeente_naam) for d in state.doelen}


def pagina(state: BeleidPagina) -> html.Div:
    """The Beleidsdoelen page."""
    from dashboards import controls

    naam = state.gemeente_naam
    head = [
        dcc.Store(id="page-meta", data={"peildatum": fg.fmt_datum(state.peildatum), "gemeente": naam}),
        dcc.Download(id="beleidsdoelen-download"),
        html.Div(className="pagina-kop", children=html.Div(className="pagina-kop__tekst", children=[
            html.H1(f"Halen we in {naam} onze beleidsdoelen?"),
            html.P("Elk beleidsdoel van de gemeente met zijn status (op koers, risico, niet gehaald of nog niet "
                   "meetbaar) en de reden, het verloop per periode, de streefwaarde en de letterlijke brontekst. "
                   f"Peildatum {fg.fmt_datum(state.peildatum)}.", className="pagina-kop__intro"),
        ])),
        controls.filter_bar(state.filters, state.gemeenten, state.periodes, show=("gemeente", "periode"),
                            hints={"periode": "De status geldt voor de laatste meetbare periode tot en met deze "
                                              "periode."}),
    ]
    if not state.doelen:
        return html.Div(className="beleidsdoelen", children=[*head, html.Div(
            [f"Voor {naam} zijn (nog) geen beleidsdoelen vastgelegd. Een gemeente legt haar doelen vast in een "
             "YAML-bestand (zie docs/policy-goals.md, 'Adding a goal for a gemeente')."],
            className="alert alert-info", role="status")])
    legend = html.P(["Status: ", *[html.Span([status_badge(s), " "]) for s in STATUSES],
                     "— 'Voorlopig' of 'Nog niet definitief' in de toelichting betekent: de periode is nog niet "
                     "beslissend (loopt nog, of ligt voor de deadline)."], className="small")
    return html.Div(className="beleidsdoelen", children=[
        *head,
        html.Section(className="kerncijfers", **{"aria-labelledby": "doelen-samenvatting-titel"}, children=[
            html.H2(f"{len(state.doelen)} beleidsdoelen", id="doelen-samenvatting-titel"),
            samenvatting_blok(state.doelen), legend,
        ]),
        *[doel_sectie(d, naam) for d in state.doelen],
    ])


def bestandsnaam(key: str, state: BeleidPagina) -> str:
    """beleidsdoel_GM0034_meer_duale_trajecten_peildatum_2026-09-30 (without extension)."""
    peil = state.peildatum.isoformat() if state.peildatum else "onbekend"
    return f"beleidsdoel_{state.filters.gemeente}_{key.removeprefix('doel-')}_peildatum_{peil}"
