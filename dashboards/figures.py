"""Plain Plotly figure builders and the table views that show exactly what each chart shows.

Input is always tidy indicator rows that already went through `suppress()` (columns `indicator,
gemeente_code, periode, doelgroep, categorie, teller, noemer, waarde, onderdrukt`). A suppressed value
is never drawn as zero: its bar is left out and a marker says "<5" (counts) or "–" (shares).
"""
from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Literal, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from pipelines.indicators.suppression import MIN_NOEMER

# Okabe-Ito, limited to the colours with at least 3:1 contrast against white (WCAG 1.4.11).
OKABE_ITO = {
    "blauw": "#0072B2",
    "vermiljoen": "#D55E00",
    "blauwgroen": "#009E73",
    "roodpaars": "#CC79A7",
    "zwart": "#000000",
}
TEXT_COLOUR = "#1b1b1b"
MUTED_COLOUR = "#4a4a4a"
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

DOELGROEPEN = ("asiel", "gezin", "overig")
DOELGROEP_LABELS = {
    "alle": "Alle doelgroepen",
    "asiel": "Asielstatushouders",
    "gezin": "Gezinsmigranten",
    "overig": "Overige migranten",
}
DOELGROEP_KLEUREN = {"asiel": OKABE_ITO["blauw"], "gezin": OKABE_ITO["vermiljoen"], "overig": OKABE_ITO["blauwgroen"]}

LEERROUTES = ("B1", "ONDERWIJS", "Z")
LEERROUTE_LABELS = {"B1": "B1-route", "ONDERWIJS": "Onderwijsroute", "Z": "Zelfredzaamheidsroute (Z-route)"}
LEERROUTE_KLEUREN = {"B1": OKABE_ITO["blauw"], "ONDERWIJS": OKABE_ITO["vermiljoen"], "Z": OKABE_ITO["blauwgroen"]}

ONDERDRUKT_AANTAL = "<5"
ONDERDRUKT_AANDEEL = "–"
ONTBREEKT = "."
ONDERDRUKT_NOOT = "onderdrukt: te klein aantal"
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")

Kind = Literal["aantal", "pct"]


# --- Dutch formatting -------------------------------------------------------------------------

def is_missing(x) -> bool:
    """None, pd.NA or NaN: a value that is not there (shown as ONTBREEKT)."""
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def fmt_aantal(x) -> str:
    """1234 -> '1.234' (Dutch thousands separator)."""
    if is_missing(x):
        return ONTBREEKT
    return f"{int(round(float(x))):,}".replace(",", ".")


def fmt_pct(x, decimals: int = 1) -> str:
    """12.5 -> '12,5 %' (Dutch decimal comma)."""
    if is_missing(x):
        return ONTBREEKT
    return f"{float(x):.{decimals}f}".replace(".", ",") + " %"


def fmt_datum(d) -> str:
    """A date as '30 september 2025'."""
    if is_missing(d):
        return ONTBREEKT
    d = pd.Timestamp(d)
    return f"{d.day} {MAANDEN[d.month - 1]} {d.year}"


def fmt_periode(periode: str, lang: bool = False) -> str:
    """'2025-Q3' -> '2025 K3' (or '3e kwartaal 2025' with lang=True); a year stays as it is."""
    if len(periode) == 7 and periode[4:6] == "-Q":
        return f"{periode[6]}e kwartaal {periode[:4]}" if lang else f"{periode[:4]} K{periode[6]}"
    return periode


# --- Table views ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One table cell: a value of a kind, or suppressed, or missing (value None, not suppressed)."""

    value: float | None
    kind: Kind
    onderdrukt: bool = False
    marker: str | None = None  # what a suppressed cell shows, when not the default for its kind

    @property
    def suppressed_marker(self) -> str:
        """'<5' for a count, '–' for a share, or the cell's own marker (e.g. '<10' for a noemer)."""
        if self.marker:
            return self.marker
        return ONDERDRUKT_AANTAL if self.kind == "aantal" else ONDERDRUKT_AANDEEL

    def display(self) -> str:
        """The cell as shown on screen: '1.234', '12,5 %', '<5', '–' or '.'."""
        if self.onderdrukt:
            return self.suppressed_marker
        return fmt_aantal(self.value) if self.kind == "aantal" else fmt_pct(self.value)

    def csv(self) -> str:
        """The cell for a Dutch CSV: no thousands separator, decimal comma, same markers."""
        if self.onderdrukt:
            return self.suppressed_marker
        if self.value is None:
            return ONTBREEKT
        if self.kind == "aantal":
            return str(int(round(self.value)))
        return f"{self.value:.1f}".replace(".", ",")

    def excel(self) -> float | str:
        """The cell for Excel: the number (shown with `excel_format`), or the marker or text as shown."""
        if self.onderdrukt or self.value is None or is_missing(self.value):
            return self.display()
        return float(self.value)

    def excel_format(self) -> str:
        """Excel number format of the value of `excel()`."""
        return "#,##0" if self.kind == "aantal" else '0.0" %"'


@dataclass(frozen=True)
class TableView:
    """What a chart shows, as rows and columns (first column is the row label)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_suppressed(self) -> bool:
        """True when at least one cell is suppressed."""
        return any(c.onderdrukt for _, cells in self.rows for c in cells)

    @property
    def has_missing(self) -> bool:
        """True when at least one cell has no data at all."""
        return any(c.value is None and not c.onderdrukt for _, cells in self.rows for c in cells)

    def footnotes(self) -> list[str]:
        """The footnotes this table needs."""
        out = list(self.notes)
        markers = list(dict.fromkeys(c.suppressed_marker for _, cells in self.rows for c in cells if c.onderdrukt))
        if markers:
            shown = markers[0] if len(markers) == 1 else ", ".join(markers[:-1]) + " of " + markers[-1]
            out.append(f"{shown} = {ONDERDRUKT_NOOT}.")
        if self.has_missing:
            out.append(f"{ONTBREEKT} = geen gegevens.")
        return out

    def to_csv(self) -> str:
        """The table as CSV for Dutch spreadsheets (semicolon, decimal comma, UTF-8 BOM)."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.columns)
        for label, cells in self.rows:
            writer.writerow([label, *(c.csv() for c in cells)])
        return "\ufeff" + buf.getvalue()


def cell_from_row(row: Mapping | None, kind: Kind) -> Cell:
    """A Cell from one suppressed indicator row (None when there is no row)."""
    if row is None:
        return Cell(None, kind)
    if bool(row["onderdrukt"]):
        return Cell(None, kind, True)
    value = row["waarde"]
    return Cell(None if is_missing(value) else float(value), kind)


def _index(rows: pd.DataFrame, key: Sequence[str]) -> dict[tuple, dict]:
    return {tuple(r[k] for k in key): r for r in rows.to_dict("records")}


def _periodes(rows: pd.DataFrame) -> list[str]:
    return sorted(rows["periode"].dropna().unique().tolist()) if len(rows) else []


def instroom_table(rows: pd.DataFrame, gemeente_naam: str = "") -> TableView:
    """Table view of the instroom chart: a row per kwartaal, a column per doelgroep."""
    idx = _index(rows, ("periode", "doelgroep"))
    body = tuple(
        (fmt_periode(p), tuple(cell_from_row(idx.get((p, d)), "aantal") for d in DOELGROEPEN)) for p in _periodes(rows)
    )
    caption = "Instroom per kwartaal naar doelgroep (aantal personen)"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    return TableView(caption, ("Kwartaal", *(DOELGROEP_LABELS[d] for d in DOELGROEPEN)), body)


def leerroute_table(rows: pd.DataFrame, gemeente_naam: str = "", lopend_jaar: str | None = None) -> TableView:
    """Table view of the leerroute chart: a row per jaar, the share per leerroute and the noemer."""
    idx = _index(rows, ("periode", "categorie"))
    body = []
    for p in _periodes(rows):
        cells = [cell_from_row(idx.get((p, c)), "pct") for c in LEERROUTES]
        # The noemer is the same for every categorie of a periode; it is shown only where the
        # shares are (suppress() blanks it together with them).
        first = next((idx[(p, c)] for c in LEERROUTES if (p, c) in idx), None)
        if first is None:
            noemer = Cell(None, "aantal")
        elif bool(first["onderdrukt"]):
            # A share is hidden when fewer than MIN_NOEMER persons are behind it.
            noemer = Cell(None, "aantal", True, f"<{MIN_NOEMER}")
        else:
            noemer = Cell(float(first["noemer"]), "aantal")
        body.append((_jaar_label(p, lopend_jaar), (*cells, noemer)))
    caption = "Leerroute in het eerste PIP, per jaar (aandeel van de personen met een PIP)"
    if gemeente_naam:
        caption += f", {gemeente_naam}"
    notes = (f"{lopend_jaar} (lopend) = tot en met de peildatum.",) if lopend_jaar in _periodes(rows) else ()
    return TableView(
        caption,
        ("Jaar", *(LEERROUTE_LABELS[c] for c in LEERROUTES), "Personen met PIP"),
        tuple(body),
        notes,
    )


def _jaar_label(periode: str, lopend_jaar: str | None) -> str:
    return f"{periode} (lopend)" if periode == lopend_jaar else periode


# --- Figures ----------------------------------------------------------------------------------

def _house_template() -> go.layout.Template:
    """The house style as a Plotly template: simple_white's axes and trace defaults for the trace types
    the pages draw, Dutch separators, system fonts, the Okabe-Ito colourway, legend on top.

    Registered once as the default template: naming "simple_white" on every figure made Plotly
    deep-copy and validate its whole template (all trace types) per figure, which was most of a page's
    server time."""
    base = pio.templates["simple_white"]
    layout = base.layout.to_plotly_json()
    keep = ("autotypenumbers", "hovermode", "xaxis", "yaxis", "shapedefaults", "annotationdefaults")
    layout = {k: v for k, v in layout.items() if k in keep}
    # Fixed margins (huisstijl) instead of automargin: automargin redraws every chart until the labels
    # fit, which doubled the time to draw a page's charts in Chromium. Charts with long category
    # labels (gemeente names, quarantine reasons) switch it on for that axis.
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {**layout[axis], "automargin": False}
    layout.update(
        separators=",.",
        colorway=list(OKABE_ITO.values()),
        font=dict(family=FONT_FAMILY, size=14, color=TEXT_COLOUR),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=dict(text=""),
                    font=dict(size=13), traceorder="normal", itemwidth=30),
        hoverlabel=dict(font=dict(family=FONT_FAMILY), align="left"),
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
    )
    data = {k: v for k, v in base.data.to_plotly_json().items() if k in ("bar", "scatter")}
    return go.layout.Template(layout=layout, data=data)


HOUSE_TEMPLATE = "inburgering"
pio.templates[HOUSE_TEMPLATE] = _house_template()
pio.templates.default = HOUSE_TEMPLATE


def deep_merge(*layouts: dict) -> dict:
    """Merge layout dicts left to right: nested dicts are merged, shapes and annotations added up,
    other values replaced."""
    out: dict = {}
    for layout in layouts:
        for key, value in layout.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = deep_merge(out[key], value)
            elif key in ("shapes", "annotations") and isinstance(out.get(key), list):
                out[key] = [*out[key], *value]
            else:
                out[key] = value
    return out


def figuur(traces: Sequence[dict | None], *layouts: dict) -> go.Figure:
    """One figure from trace dicts (None entries skipped) and layout dicts, validated once.

    Building the layout first and constructing the figure once is about five times faster than
    update_layout/update_xaxes calls on a built figure (Plotly re-walks the figure for each)."""
    return go.Figure(data=[t for t in traces if t], layout=deep_merge(*layouts))


# The house template as the plain dict Plotly.js reads (for figuur_json), built once.
HOUSE_TEMPLATE_JSON = pio.templates[HOUSE_TEMPLATE].to_plotly_json()


def figuur_json(traces: Sequence[dict | None], *layouts: dict) -> dict:
    """A figure as the plain dict Plotly.js reads, with the house template, WITHOUT Plotly's Python
    validation: for charts of hundreds of points (Vergelijken), where go.Figure's per-value validation and
    template copy took ~15 ms per chart. Numeric arrays go best as numpy float arrays (the JSON encoder
    hands them to orjson whole instead of walking every value). Write attributes nested
    (`title=dict(text=..)`), not with Plotly's magic underscores, and leave unset attributes out rather
    than None; the unit tests check these figures by building a go.Figure from them (which rejects
    unknown attributes)."""
    layout = deep_merge(*layouts)
    layout.setdefault("template", HOUSE_TEMPLATE_JSON)
    return {"data": [t for t in traces if t], "layout": layout}


def huisstijl(y_title: str, height: int = 380) -> dict:
    """Per-chart layout on top of the house template: height, margins, quiet grid, category x axis."""
    return dict(
        height=height,
        margin=dict(l=76, r=16, t=48, b=60),
        yaxis=dict(title=dict(text=y_title), showgrid=True, gridcolor="#e3e3e3", zeroline=True,
                   zerolinecolor="#6f6f6f", rangemode="tozero"),
        xaxis=dict(type="category", title=dict(text="")),
    )


def base_layout(fig: go.Figure, y_title: str, height: int = 380) -> go.Figure:
    """Apply `huisstijl` to a figure that is already built (print charts)."""
    fig.update_layout(huisstijl(y_title, height))
    return fig


def empty_figure(message: str) -> go.Figure:
    """A figure that says there is nothing to show (instead of empty axes)."""
    return figuur([], dict(
        height=200, margin=dict(l=16, r=16, t=16, b=16), xaxis=dict(visible=False), yaxis=dict(visible=False),
        annotations=[dict(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                          font=dict(size=16, color=MUTED_COLOUR))],
    ))


def referentielijn(waarde: float, label: str) -> dict:
    """Layout parts for a dashed horizontal reference line with its label (merge into the layout)."""
    return dict(
        shapes=[dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=waarde, y1=waarde,
                     line=dict(dash="dash", color=MUTED_COLOUR, width=1.5))],
        annotations=[dict(text=label, showarrow=False, xref="x domain", x=0, xanchor="left", yref="y", y=waarde,
                          yanchor="bottom", font=dict(size=12, color=TEXT_COLOUR))],
    )


def instroom_figure(rows: pd.DataFrame) -> go.Figure:
    """Stacked bars: instroom per kwartaal, one trace per doelgroep (asiel, gezin, overig)."""
    periodes = _periodes(rows)
    if not periodes:
        return empty_figure("Geen gegevens over instroom voor deze gemeente.")
    idx = _index(rows, ("periode", "doelgroep"))
    # Two-level axis: quarter under its year, so fifteen quarters stay readable without rotation.
    x = [[p[:4] for p in periodes], [f"K{p[6]}" if len(p) == 7 else p for p in periodes]]
    labels = [fmt_periode(p) for p in periodes]
    traces: list[dict | None] = []
    stack = [0.0] * len(periodes)
    hidden: list[list[str]] = [[] for _ in periodes]
    for d in DOELGROEPEN:
        ys: list[float | None] = []
        for i, p in enumerate(periodes):
            cell = cell_from_row(idx.get((p, d)), "aantal")
            if cell.onderdrukt:
                hidden[i].append(DOELGROEP_LABELS[d])
            ys.append(cell.value)
            stack[i] += cell.value or 0.0
        traces.append(dict(
            type="bar", name=DOELGROEP_LABELS[d], x=x, y=ys, marker=dict(color=DOELGROEP_KLEUREN[d],
                                                                       line=dict(color="#ffffff", width=1)),
            customdata=labels, hovertemplate=f"{DOELGROEP_LABELS[d]}<br>%{{customdata}}: %{{y:,.0f}}<extra></extra>",
        ))
    traces.append(suppressed_markers(x, stack, hidden, ONDERDRUKT_AANTAL, labels))
    return figuur(traces, huisstijl("Aantal personen"), dict(
        barmode="stack", bargap=0.25,
        xaxis=dict(type="multicategory", dividercolor="#6f6f6f", tickangle=0, tickfont=dict(size=12)),
    ))


def leerroute_figure(rows: pd.DataFrame, lopend_jaar: str | None = None) -> go.Figure:
    """Grouped bars: share per leerroute in the initial PIP, per jaar (0–100 %)."""
    periodes = _periodes(rows)
    if not periodes:
        return empty_figure("Geen gegevens over leerroutes voor deze gemeente.")
    idx = _index(rows, ("periode", "categorie"))
    labels = [_jaar_label(p, lopend_jaar) for p in periodes]
    traces: list[dict | None] = []
    hidden: list[list[str]] = [[] for _ in periodes]
    for c in LEERROUTES:
        ys: list[float | None] = []
        noemers: list[str] = []
        for i, p in enumerate(periodes):
            row = idx.get((p, c))
            cell = cell_from_row(row, "pct")
            if cell.onderdrukt:
                hidden[i].append(LEERROUTE_LABELS[c])
            ys.append(cell.value)
            noemers.append(fmt_aantal(row["noemer"]) if row is not None and not cell.onderdrukt else "")
        traces.append(dict(
            type="bar", name=LEERROUTE_LABELS[c], x=labels, y=ys, marker=dict(color=LEERROUTE_KLEUREN[c]),
            customdata=noemers,
            hovertemplate=(f"{LEERROUTE_LABELS[c]}<br>%{{x}}: %{{y:.1f}} %"
                           "<br>van %{customdata} personen met een PIP<extra></extra>"),
        ))
    # A hidden share gets a word at the baseline: a lone dash there is too easy to miss.
    traces.append(suppressed_markers(labels, [0.0] * len(periodes), hidden, f"{ONDERDRUKT_AANDEEL} onderdrukt", labels))
    return figuur(traces, huisstijl("Aandeel personen met een PIP"), dict(
        barmode="group", bargap=0.2, bargroupgap=0.05, yaxis=dict(range=[0, 100], ticksuffix=" %", dtick=20),
    ))


def suppressed_markers(x, ys: list[float], hidden: list[list[str]], marker: str, labels: list[str]) -> dict | None:
    """A text trace marking every periode with a suppressed value, so a missing bar never reads as
    zero (None when nothing is suppressed)."""
    keep = [i for i, h in enumerate(hidden) if h]
    if not keep:
        return None
    if x and isinstance(x[0], list):  # multicategory axis
        xs = [[level[i] for i in keep] for level in x]
    else:
        xs = [x[i] for i in keep]
    return dict(
        type="scatter",
        name=ONDERDRUKT_NOOT,
        x=xs,
        y=[ys[i] for i in keep],
        mode="text",
        text=[marker] * len(keep),
        textposition="top center",
        textfont=dict(size=14, color=TEXT_COLOUR),
        hovertext=[f"{labels[i]}: {', '.join(hidden[i])} {ONDERDRUKT_NOOT}" for i in keep],
        hoverinfo="text",
        cliponaxis=False,
        showlegend=False,  # explained in the note under the chart
    )


GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
                               "autoScale2d", "resetScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


# --- Additions for the Vergelijken, Beleidsdoelen, Datakwaliteit and Definities pages ----------

def fmt_getal(x, decimals: int = 1, suffix: str = "") -> str:
    """12345.67 -> '12.345,7' (Dutch separators), with an optional unit suffix (' dagen')."""
    if is_missing(x):
        return ONTBREEKT
    text = f"{float(x):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text + suffix


@dataclass(frozen=True)
class GetalCell(Cell):
    """A Cell with its own number format (decimals, unit suffix), or a text value (`text`)."""

    decimals: int = 1
    suffix: str = ""
    text: str | None = None

    def display(self) -> str:
        """The cell as shown on screen, in Dutch notation."""
        if self.onderdrukt:
            return self.suppressed_marker
        if self.text is not None:
            return self.text
        return fmt_getal(self.value, self.decimals, self.suffix)

    def csv(self) -> str:
        """The cell for a Dutch CSV: no thousands separator, decimal comma, same markers."""
        if self.onderdrukt:
            return self.suppressed_marker
        if self.text is not None:
            return self.text
        if self.value is None:
            return ONTBREEKT
        return f"{self.value:.{self.decimals}f}".replace(".", ",")

    def excel(self) -> float | str:
        return self.display() if self.text is not None else super().excel()

    def excel_format(self) -> str:
        return ("#,##0" + ("." + "0" * self.decimals if self.decimals else "")
                + (f'"{self.suffix}"' if self.suffix else ""))


def tekst_cell(text: str | None) -> GetalCell:
    """A table cell holding text (a name, a status); '.' when there is none."""
    return GetalCell(math.nan, "aantal", text=ONTBREEKT if text is None else str(text))


def table_to_xlsx(view: TableView, bron: str | None = None) -> bytes:
    """The table as an Excel workbook: caption, header, numbers as numbers (each cell's `excel()` and
    `excel_format()`), markers and texts as text, notes and the source."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Tabel")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    right = book.add_format({"align": "right"})
    formats: dict[str, object] = {}

    sheet.write(0, 0, view.caption, bold)
    for j, name in enumerate(view.columns):
        sheet.write(2, j, name, head)
    for i, (label, cells) in enumerate(view.rows, start=3):
        sheet.write_string(i, 0, str(label))
        for j, cell in enumerate(cells, start=1):
            value = cell.excel()
            if isinstance(value, str):
                sheet.write_string(i, j, value, right)
                continue
            code = cell.excel_format()
            if code not in formats:
                formats[code] = book.add_format({"num_format": code})
            sheet.write_number(i, j, value, formats[code])
    row = len(view.rows) + 4
    for note in [*view.footnotes(), *([bron] if bron else [])]:
        sheet.write_string(row, 0, note)
        row += 1
    sheet.set_column(0, 0, max(12, min(48, max([len(str(r[0])) for r in view.rows] + [10]) + 2)))
    sheet.set_column(1, max(1, len(view.columns) - 1), 16)
    book.close()
    return buf.getvalue()
