"""The quarterly report as an Excel workbook: the same figures as the PDF, one sheet per part.

Numbers are real numbers with Dutch-friendly formats (percentages as 0,0 " %" on a 0-100 scale, counts
with a thousands separator); a suppressed cell is the text '<5' or '–', a missing one '.'.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from pipelines.report.data import VERGELIJKING, Rapportgegevens, groep_cijfer
from pipelines.report.pdf import (DOELGROEP_TEKST, HERKOMST, SOORT_BESTAND, TITEL, context, periode_tekst,
                                  streefwaarde_tekst)
from pipelines.report.text import Cijfer, ONDERDRUKT_UITLEG, kwartaal_kort, kwartaal_titel

SHEETS = ("Voorblad", "Kerncijfers", "Beleidsdoelen", "Vergelijking", "Landelijk", "Instroom", "Leerroutes",
          "Definities", "Datakwaliteit")


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.titel = wb.add_format({**base, "bold": True, "font_size": 14, "font_color": "#154273"})
        self.kop = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": "#154273",
                                  "text_wrap": True, "border": 1, "border_color": "#154273"})
        self.tekst = wb.add_format({**base, "text_wrap": True})
        self.tekst_vet = wb.add_format({**base, "bold": True, "text_wrap": True})
        self.aantal = wb.add_format({**base, "num_format": "#,##0"})
        self.pct = wb.add_format({**base, "num_format": '0.0" %"'})
        self.dagen = wb.add_format({**base, "num_format": '0.0" dagen"'})
        self.rate = wb.add_format({**base, "num_format": "0.00"})
        self.marker = wb.add_format({**base, "align": "right"})
        self.noot = wb.add_format({**base, "italic": True, "font_color": "#4A4A4A", "text_wrap": True})
        self.datum = wb.add_format({**base, "num_format": "d-m-yyyy", "align": "left"})

    def getal(self, soort: str):
        return {"aandeel": self.pct, "mediaan": self.dagen, "per_1000": self.rate}.get(soort, self.aantal)


def _cel(ws, row: int, col: int, c: Cijfer, soort: str, f: _Formats) -> None:
    if c.onderdrukt:
        ws.write_string(row, col, "<5" if soort == "aantal" else "–", f.marker)
    elif not c.bekend:
        ws.write_string(row, col, ".", f.marker)
    else:
        ws.write_number(row, col, float(c.waarde), f.getal(soort))


def _kop(ws, row: int, koppen: list[str], f: _Formats) -> None:
    for i, k in enumerate(koppen):
        ws.write_string(row, i, k, f.kop)


def write_workbook(r: Rapportgegevens, out_path: Path) -> Path:
    ctx = context(r)
    wb = xlsxwriter.Workbook(str(out_path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                             "strings_to_urls": False})
    wb.set_properties({"title": f"{TITEL} – {r.gemeente_naam} – {kwartaal_titel(r.kwartaal)}",
                       "subject": "Wet inburgering 2021", "author": "Monitor Wet inburgering 2021",
                       "comments": "Kleine aantallen zijn afgeschermd; geen persoonsgegevens."})
    f = _Formats(wb)

    # Voorblad
    ws = wb.add_worksheet("Voorblad")
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, TITEL, f.titel)
    rows = [("Gemeente", f"{r.gemeente_naam} ({r.gemeente_code})"), ("Kwartaal", kwartaal_titel(r.kwartaal)),
            ("Verslagperiode", periode_tekst(r.kwartaal)), ("Peildatum van de gegevens", ctx["peildatum"]),
            ("Bron", f"Zaakregistratie inburgering van de gemeente {r.gemeente_naam}, verwerkt in de Monitor Wet "
                     "inburgering 2021. Landelijke cijfers: CBS (Statistiek Wet inburgering) en ministerie van SZW."),
            ("Gemaakt op", ctx["gemaakt_op"]), ("Kleine aantallen", ONDERDRUKT_UITLEG)]
    for i, (k, v) in enumerate(rows, start=2):
        ws.write_string(i, 0, k, f.tekst_vet)
        ws.write_string(i, 1, v, f.tekst)
    ws.write_string(len(rows) + 3, 0, "Samenvatting", f.tekst_vet)
    for i, s in enumerate(ctx["samenvatting"], start=len(rows) + 4):
        ws.write_string(i, 1, s, f.tekst)

    # Kerncijfers
    ws = wb.add_worksheet("Kerncijfers")
    ws.set_column(0, 0, 48)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 5, 18)
    ws.set_column(6, 6, 110)
    _kop(ws, 0, ["Onderwerp", kwartaal_kort(r.kwartaal), kwartaal_kort(r.vorig), kwartaal_kort(r.jaar_eerder),
                 "Verschil met vorig kwartaal", "Verschil met een jaar eerder", "Toelichting"], f)
    for i, (k, kd) in enumerate(zip(r.kerncijfers, ctx["kerncijfers"]), start=1):
        ws.write_string(i, 0, kd["titel"], f.tekst)
        for col, c in ((1, k.nu), (2, k.vorig), (3, k.jaar_eerder)):
            _cel(ws, i, col, c, k.soort, f)
        ws.write_string(i, 4, kd["verschil_vorig"], f.marker)
        ws.write_string(i, 5, kd["verschil_jaar"], f.marker)
        ws.write_string(i, 6, k.zin, f.tekst)
    ws.write_string(len(r.kerncijfers) + 2, 0, "<5 = aantal van 1 tot en met 4; – = te weinig gevallen of afgeschermd; "
                    ". = geen gegevens. Alle doelgroepen samen.", f.noot)
    ws.freeze_panes(1, 1)

    # Beleidsdoelen
    ws = wb.add_worksheet("Beleidsdoelen")
    koppen = ["Doel", "Indicator", "Doelgroep", "Periode", "Streefwaarde", "Cijfer", "Status", "Vorige periode",
              "Toelichting", "Herkomst streefwaarde", "Bron"]
    _kop(ws, 0, koppen, f)
    for col, w in enumerate((44, 34, 20, 10, 26, 12, 18, 24, 70, 50, 50)):
        ws.set_column(col, col, w)
    for i, (d, dv) in enumerate(zip(r.doelen.to_dict("records"), ctx["doelen"]), start=1):
        ws.write_string(i, 0, d["titel"], f.tekst)
        ws.write_string(i, 1, str(d["indicator_titel"]), f.tekst)
        ws.write_string(i, 2, dv["doelgroep"], f.tekst)
        ws.write_string(i, 3, d["periode"], f.tekst)
        ws.write_string(i, 4, streefwaarde_tekst(d), f.tekst)
        if d["waarde"] is not None and not pd.isna(d["waarde"]):
            ws.write_number(i, 5, float(d["waarde"]), f.getal(d["soort"]))
        else:
            ws.write_string(i, 5, dv["waarde"], f.marker)
        ws.write_string(i, 6, d["status_label"], f.tekst)
        ws.write_string(i, 7, dv["vorige"], f.tekst)
        ws.write_string(i, 8, d["toelichting"], f.tekst)
        ws.write_string(i, 9, HERKOMST.get(d["streefwaarde_herkomst"], ""), f.tekst)
        ws.write_string(i, 10, str(d["bron"] or ""), f.tekst)
    if r.doelen.empty:
        ws.write_string(1, 0, "Voor deze gemeente zijn geen beleidsdoelen vastgelegd.", f.noot)
    ws.freeze_panes(1, 1)

    # Vergelijking
    ws = wb.add_worksheet("Vergelijking")
    defs = {x["id"]: x for x in r.definities.to_dict("records")}
    _kop(ws, 0, ["Onderwerp", r.gemeente_naam, *ctx["groep_koppen"]], f)
    ws.set_column(0, 0, 48)
    ws.set_column(1, len(r.groepen) + 1, 22)
    for i, ind in enumerate(VERGELIJKING, start=1):
        d = defs.get(ind, {})
        soort = d.get("soort", "aandeel")
        cat = "alle" if ind == "examen_geslaagd_pct" else None
        ws.write_string(i, 0, str(d.get("titel", ind)), f.tekst)
        _cel(ws, i, 1, r.cijfer(ind, r.kwartaal, "alle", cat), soort, f)
        for j, g in enumerate(r.groepen, start=2):
            _cel(ws, i, j, groep_cijfer(r.groepcijfers, ind, g.code, r.kwartaal), soort, f)
    n = len(VERGELIJKING) + 2
    ws.write_string(n, 0, f"{kwartaal_titel(r.kwartaal)}. Tussen haakjes: aantal gemeenten met gegevens. Groepscijfers "
                    f"over alle personen in de groep samen, inclusief {r.gemeente_naam}.", f.noot)
    for i, s in enumerate(r.vergelijking_zinnen, start=n + 1):
        ws.write_string(i, 0, s, f.tekst)
    # Trend of the headline indicator per quarter
    t0 = n + len(r.vergelijking_zinnen) + 3
    ws.write_string(t0, 0, "PIP binnen 10 weken, per kwartaal", f.tekst_vet)
    _kop(ws, t0 + 1, ["Kwartaal", r.gemeente_naam, *ctx["groep_koppen"]], f)
    for i, k in enumerate(r.kwartalen, start=t0 + 2):
        ws.write_string(i, 0, kwartaal_kort(k), f.tekst)
        _cel(ws, i, 1, r.cijfer("pip_binnen_10_weken_pct", k), "aandeel", f)
        for j, g in enumerate(r.groepen, start=2):
            _cel(ws, i, j, groep_cijfer(r.groepcijfers, "pip_binnen_10_weken_pct", g.code, k), "aandeel", f)

    # Landelijk
    ws = wb.add_worksheet("Landelijk")
    _kop(ws, 0, ["Landelijk cijfer", "Landelijk", f"{r.gemeente_naam}, periode", r.gemeente_naam, "Bron landelijk"], f)
    for col, w in enumerate((60, 12, 30, 14, 50)):
        ws.set_column(col, col, w)
    for i, x in enumerate(r.landelijk, start=1):
        ws.write_string(i, 0, x["omschrijving"], f.tekst)
        ws.write_number(i, 1, x["landelijk"], f.pct)
        ws.write_string(i, 2, x["gemeente_periode"], f.tekst)
        _cel(ws, i, 3, x["gemeente"], "aandeel", f)
        ws.write_string(i, 4, x["bron"], f.tekst)

    # Instroom per doelgroep
    ws = wb.add_worksheet("Instroom")
    _kop(ws, 0, ["Kwartaal", *(DOELGROEP_TEKST[d].capitalize() for d in ("asiel", "gezin", "overig", "alle"))], f)
    ws.set_column(0, 4, 20)
    for i, k in enumerate(r.kwartalen, start=1):
        ws.write_string(i, 0, kwartaal_kort(k), f.tekst)
        for j, d in enumerate(("asiel", "gezin", "overig", "alle"), start=1):
            _cel(ws, i, j, r.cijfer("instroom", k, d), "aantal", f)

    # Leerroutes
    ws = wb.add_worksheet("Leerroutes")
    _kop(ws, 0, ["Kwartaal", "B1-route", "Onderwijsroute", "Z-route"], f)
    ws.set_column(0, 3, 18)
    for i, k in enumerate(r.kwartalen, start=1):
        ws.write_string(i, 0, kwartaal_kort(k), f.tekst)
        for j, c in enumerate(("B1", "ONDERWIJS", "Z"), start=1):
            _cel(ws, i, j, r.cijfer("leerroute_aandeel_pct", k, "alle", c), "aandeel", f)

    # Definities
    ws = wb.add_worksheet("Definities")
    _kop(ws, 0, ["Indicator", "Titel", "Definitie", "Eenheid", "Bron of norm"], f)
    for col, w in enumerate((32, 40, 100, 16, 50)):
        ws.set_column(col, col, w)
    for i, d in enumerate(r.definities.to_dict("records"), start=1):
        ws.write_string(i, 0, str(d["id"]), f.tekst)
        ws.write_string(i, 1, str(d["titel"]), f.tekst)
        ws.write_string(i, 2, str(d["definitie"]), f.tekst)
        ws.write_string(i, 3, str(d["eenheid"] or ""), f.tekst)
        ws.write_string(i, 4, "" if d["conventie"] is None or pd.isna(d["conventie"]) else str(d["conventie"]), f.tekst)

    # Datakwaliteit
    ws = wb.add_worksheet("Datakwaliteit")
    _kop(ws, 0, ["Soort", "Bestand", "Peildatum", "Geladen op", "Rijen gelezen", "Geladen", "Quarantaine"], f)
    for col, w in enumerate((16, 70, 14, 14, 14, 12, 12)):
        ws.set_column(col, col, w)
    for i, b in enumerate(r.bestanden.to_dict("records"), start=1):
        ws.write_string(i, 0, SOORT_BESTAND.get(b["bestandssoort"], b["bestandssoort"]), f.tekst)
        ws.write_string(i, 1, b["bestand"], f.tekst)
        ws.write_datetime(i, 2, pd.Timestamp(b["peildatum"]).to_pydatetime(), f.datum)
        ws.write_datetime(i, 3, pd.Timestamp(b["geladen_op"]).to_pydatetime(), f.datum)
        for j, k in enumerate(("rijen_gelezen", "rijen_geladen", "rijen_quarantaine"), start=4):
            v = b[k]
            if v is None or pd.isna(v):
                ws.write_string(i, j, ".", f.marker)
            else:
                ws.write_number(i, j, int(v), f.aantal)
    q0 = len(r.bestanden) + 2
    ws.write_string(q0, 0, "Rijen in quarantaine, naar reden", f.tekst_vet)
    _kop(ws, q0 + 1, ["Soort", "Reden", "Rijen"], f)
    if r.quarantaine.empty:
        ws.write_string(q0 + 2, 0, "Geen rijen in quarantaine.", f.noot)
    for i, q in enumerate(r.quarantaine.to_dict("records"), start=q0 + 2):
        ws.write_string(i, 0, SOORT_BESTAND.get(q["bestandssoort"], q["bestandssoort"]), f.tekst)
        ws.write_string(i, 1, q["reden"], f.tekst)
        ws.write_number(i, 2, int(q["rijen"]), f.aantal)
    wb.close()
    return out_path
