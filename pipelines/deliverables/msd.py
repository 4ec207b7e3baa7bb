"""Monthly figures for the gemeente's Monitor Sociaal Domein (Almelo publishes these every month).

`export_msd(warehouse, gemeente_code, out_path, van='YYYY-MM', tot='YYYY-MM')` writes one row per month:
inburgeraars with a running plicht at the end of the month (in total, by doelgroep and by route followed)
and the placements started in the month (vrijwilligerswerk, betaald werk, werkervaringsplek, stage).
Every column is defined in docs/deliverables.md. The figures are computed in SQL over the marts; what is
written to the file has small numbers suppressed with the rules of `pipelines.indicators.suppression`
(counts 1-4 hidden, plus secondary cells so that a hidden count cannot be recovered from a total).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pipelines.indicators.suppression import MIN_COUNT, hide_lone_cells

HIDDEN = "x"   # CBS sign for "geheim": the cell is suppressed
MAAND_RE = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")

# column -> (Dutch header, Dutch definition for the Toelichting sheet; docs/deliverables.md has the English); the order is the order in the file
COLUMNS = {
    "maand": ("Maand", "kalendermaand, JJJJ-MM"),
    "gemeente_code": ("Gemeente", "CBS-code van de gemeente"),
    "standdatum": ("Standdatum", "datum waarop de standen gelden: de laatste dag van de maand, of de peildatum van "
                                 "de export als die in de maand valt"),
    "totaal": ("Inburgeraars", "inburgeraars (Wi2021) met een lopende inburgeringsplicht op de standdatum"),
    "asiel": ("Inburgeraars asiel", "van wie doelgroep asiel (statushouders)"),
    "gezin": ("Inburgeraars gezin", "van wie doelgroep gezin (gezinsmigranten)"),
    "overig": ("Inburgeraars overig", "van wie doelgroep overig"),
    "route_b1": ("Leerroute B1", "van wie de B1-route volgt op de standdatum (actuele leerroute, anders de eerste)"),
    "route_onderwijs": ("Leerroute onderwijs", "van wie de onderwijsroute volgt"),
    "route_z": ("Leerroute Z", "van wie de zelfredzaamheidsroute (Z) volgt"),
    "route_geen": ("Nog geen leerroute", "van wie nog geen PIP (en dus geen leerroute) heeft op de standdatum"),
    "vrijwilligerswerk": ("Gestart vrijwilligerswerk", "plaatsingen in vrijwilligerswerk met een startdatum in de maand"),
    "betaald_werk": ("Gestart betaald werk", "plaatsingen in betaald werk met een startdatum in de maand"),
    "werkervaringsplek": ("Gestart werkervaringsplek", "werkervaringsplekken met een startdatum in de maand"),
    "stage": ("Gestart stage", "stages met een startdatum in de maand"),
}
COUNT_COLUMNS = [c for c in COLUMNS if c not in ("maand", "gemeente_code", "standdatum")]
# additive groups within one month: (total, parts)
GROUPS = [("totaal", ["asiel", "gezin", "overig"]),
          ("totaal", ["route_b1", "route_onderwijs", "route_z", "route_geen"])]


class MsdError(RuntimeError):
    """The export cannot be made (Dutch message)."""


@dataclass
class MsdResult:
    out_path: Path
    figures: pd.DataFrame      # unsuppressed, for the analyst (never written)
    published: pd.DataFrame    # what was written: Dutch headers, hidden cells as "x"
    hidden_cells: int


MSD_SQL = """
WITH maanden AS (
    SELECT CAST(m AS DATE) AS maand_begin,
           least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), $peildatum) AS standdatum
    FROM generate_series(CAST($van AS TIMESTAMP), CAST($tot AS TIMESTAMP), INTERVAL 1 MONTH) AS t(m)
),
lopend AS (      -- a running plicht at the standdatum
    SELECT s.maand_begin, p.doelgroep,
           CASE WHEN p.datum_pip_initieel IS NULL OR p.datum_pip_initieel > s.standdatum
                     OR p.leerroute_initieel IS NULL THEN 'geen'
                WHEN p.leerroute_actueel IS NOT NULL
                     AND (p.datum_wijziging_leerroute IS NULL OR p.datum_wijziging_leerroute <= s.standdatum)
                     THEN p.leerroute_actueel
                ELSE p.leerroute_initieel END AS route
    FROM maanden s
    JOIN mart_personen p
      ON p.gemeente_code = $g AND NOT p.wi2013
     AND p.instroomdatum <= s.standdatum AND p.datum_plicht <= s.standdatum
     AND NOT coalesce(p.datum_voldaan <= s.standdatum, false)
     AND NOT coalesce(p.datum_ontheffing <= s.standdatum, false)
     AND NOT coalesce(p.datum_uitstroom <= s.standdatum, false)
),
personen AS (
    SELECT s.maand_begin,
           count(l.doelgroep) AS totaal,
           count(*) FILTER (WHERE l.doelgroep = 'asiel') AS asiel,
           count(*) FILTER (WHERE l.doelgroep = 'gezin') AS gezin,
           count(*) FILTER (WHERE l.doelgroep = 'overig') AS overig,
           count(*) FILTER (WHERE l.route = 'B1') AS route_b1,
           count(*) FILTER (WHERE l.route = 'ONDERWIJS') AS route_onderwijs,
           count(*) FILTER (WHERE l.route = 'Z') AS route_z,
           count(*) FILTER (WHERE l.route = 'geen') AS route_geen
    FROM maanden s LEFT JOIN lopend l USING (maand_begin)
    GROUP BY s.maand_begin
),
plaatsingen AS (   -- activities of Wi2021 persons of the gemeente started in the month (up to the standdatum)
    SELECT s.maand_begin,
           count(*) FILTER (WHERE a.soort = 'vrijwilligerswerk') AS vrijwilligerswerk,
           count(*) FILTER (WHERE a.soort = 'betaald_werk') AS betaald_werk,
           count(*) FILTER (WHERE a.soort = 'werkervaringsplek') AS werkervaringsplek,
           count(*) FILTER (WHERE a.soort = 'stage') AS stage
    FROM maanden s
    LEFT JOIN mart_activiteiten a
      ON a.gemeente_code = $g AND NOT a.wi2013 AND a.datum_start BETWEEN s.maand_begin AND s.standdatum
    GROUP BY s.maand_begin
)
SELECT strftime(s.maand_begin, '%Y-%m') AS maand, $g AS gemeente_code, s.standdatum,
       p.totaal, p.asiel, p.gezin, p.overig, p.route_b1, p.route_onderwijs, p.route_z, p.route_geen,
       q.vrijwilligerswerk, q.betaald_werk, q.werkervaringsplek, q.stage
FROM maanden s JOIN personen p USING (maand_begin) JOIN plaatsingen q USING (maand_begin)
ORDER BY s.maand_begin
"""


def _month(text: str, what: str) -> date:
    m = MAAND_RE.match(text or "")
    if not m:
        raise MsdError(f"ongeldige maand voor --{what} '{text}': gebruik JJJJ-MM, bijvoorbeeld 2025-07")
    return date(int(m.group(1)), int(m.group(2)), 1)


def compute_msd(warehouse: Path | str, gemeente_code: str, van: str, tot: str) -> pd.DataFrame:
    """The unsuppressed monthly figures (one row per month) — for the analyst, not for publication."""
    start, end = _month(van, "van"), _month(tot, "tot")
    if end < start:
        raise MsdError(f"--tot ({tot}) ligt vóór --van ({van})")
    if start < date(2022, 1, 1):
        raise MsdError("de Wet inburgering 2021 geldt vanaf 2022-01; kies --van vanaf 2022-01")
    if not Path(warehouse).exists():
        raise MsdError(f"geen warehouse gevonden op {warehouse}; laad eerst exports met `inburgering load`")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        snap = con.execute("SELECT peildatum FROM snapshot_current WHERE gemeente_code = ? AND target_table = 'personen'",
                           [gemeente_code]).fetchone()
        if not snap:
            raise MsdError(f"geen personen van gemeente {gemeente_code} in het warehouse")
        peildatum = snap[0]
        if end > peildatum.replace(day=1):
            raise MsdError(f"--tot ({tot}) ligt na de maand van de peildatum van {gemeente_code} ({peildatum})")
        frame = con.execute(MSD_SQL, {"g": gemeente_code, "van": start, "tot": end, "peildatum": peildatum}).df()
    finally:
        con.close()
    for col in COUNT_COLUMNS:
        frame[col] = frame[col].astype("int64")
    frame["standdatum"] = pd.to_datetime(frame["standdatum"]).dt.date
    return frame


def suppress_months(frame: pd.DataFrame) -> pd.DataFrame:
    """Boolean mask (same shape as the count columns) of the cells to hide.

    Primary: a count of 1..MIN_COUNT-1 (1-4). Secondary, per month: within an additive group (Inburgeraars =
    asiel + gezin + overig; Inburgeraars = B1 + onderwijs + Z + geen route), when exactly one cell is hidden,
    the smallest visible part is hidden too (the total only when no part is left), repeated until stable —
    the rule of `pipelines.indicators.suppression` (hide_lone_cells). Zeros are shown. Months are not added
    up in the export, so there is no secondary rule across months.
    """
    values = frame[COUNT_COLUMNS].to_numpy(dtype=float)
    months, columns = values.shape
    groups = []
    for total, parts in GROUPS:
        key = np.full((months, columns), -1)
        key[:, [COUNT_COLUMNS.index(c) for c in (total, *parts)]] = np.arange(months)[:, None]
        is_total = np.zeros((months, columns), dtype=bool)
        is_total[:, COUNT_COLUMNS.index(total)] = True
        groups.append((key.ravel(), is_total.ravel()))
    primary = (values >= 1) & (values <= MIN_COUNT - 1)
    # on a tie, the column that comes first in the file
    rank = np.tile(np.arange(columns), months)
    hidden = hide_lone_cells(values.ravel(), primary.ravel(), groups, rank).reshape(months, columns)
    return pd.DataFrame(hidden, index=frame.index, columns=COUNT_COLUMNS)


def export_msd(warehouse: Path | str, gemeente_code: str, out_path: Path | str, van: str, tot: str) -> MsdResult:
    """Write the Monitor Sociaal Domein figures (suppressed) to a .csv or .xlsx file."""
    out_path = Path(out_path)
    if out_path.suffix.lower() not in (".csv", ".xlsx"):
        raise MsdError(f"onbekend bestandstype '{out_path.suffix}': kies .csv of .xlsx")
    figures = compute_msd(warehouse, gemeente_code, van, tot)
    hidden = suppress_months(figures)
    published = figures.copy().astype({c: object for c in COUNT_COLUMNS})
    for col in COUNT_COLUMNS:
        published.loc[hidden[col], col] = HIDDEN
    published["standdatum"] = published["standdatum"].map(lambda d: d.isoformat())
    published = published.rename(columns={c: h for c, (h, _) in COLUMNS.items()})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if out_path.suffix.lower() == ".csv":
        published.to_csv(out_path, index=False, encoding="utf-8-sig")
    else:
        _write_xlsx(published, out_path, gemeente_code)
    return MsdResult(out_path, figures, published, int(hidden.to_numpy().sum()))


def _write_xlsx(published: pd.DataFrame, out_path: Path, gemeente_code: str) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out_path))
    try:
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        right = book.add_format({"align": "right"})
        sheet = book.add_worksheet("Monitor Sociaal Domein")
        for j, name in enumerate(published.columns):
            sheet.write(0, j, name, bold)
            sheet.set_column(j, j, 14 if j > 2 else 11)
        for i, row in enumerate(published.itertuples(index=False), start=1):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    sheet.write_string(i, j, value, right if value == HIDDEN else None)
                else:
                    sheet.write_number(i, j, int(value))
        sheet.freeze_panes(1, 3)
        notes = book.add_worksheet("Toelichting")
        notes.set_column(0, 0, 28)
        notes.set_column(1, 1, 100)
        notes.write(0, 0, "Kolom", bold)
        notes.write(0, 1, "Definitie (zie docs/deliverables.md)", bold)
        for i, (header, definition) in enumerate(COLUMNS.values(), start=1):
            notes.write(i, 0, header)
            notes.write(i, 1, definition)
        n = len(COLUMNS) + 2
        notes.write(n, 0, "x", bold)
        notes.write(n, 1, "onderdrukt: een aantal van 1 tot en met 4, of een cel die verborgen is zodat een "
                          "onderdrukt aantal niet uit een totaal terug te rekenen is")
        notes.write(n + 1, 0, "Gemeente", bold)
        notes.write(n + 1, 1, gemeente_code)
    finally:
        book.close()


__all__ = ["COLUMNS", "HIDDEN", "MsdError", "MsdResult", "compute_msd", "export_msd", "suppress_months"]
