"""The print page (Jinja2 HTML with print CSS) and its PDF, printed by Chromium through Playwright.

Charts are Plotly figures drawn in the page by the plotly.js bundle of the installed plotly package
(loaded from its file, no CDN); Chromium prints them as vector SVG. Every request that is not a local
file is aborted, so rendering never touches the network.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import jinja2
import pandas as pd
import plotly
from markupsafe import Markup

from dashboards.figures import fmt_aantal, fmt_datum, fmt_pct
from pipelines.report import charts
from pipelines.report.data import Rapportgegevens
from pipelines.report.text import (Cijfer, ONDERDRUKT_UITLEG, doelen_samenvatting, getal, kwartaal_kort,
                                   kwartaal_titel, kwartaal_woorden, verschil_tekst, waarde_tekst)

TEMPLATES = Path(__file__).resolve().parent / "templates"
TITEL = "Kwartaalrapportage Wet inburgering 2021"
CHROMIUM = os.environ.get("INBURGERING_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run"]
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
RENDER_TIMEOUT_MS = 60_000
DOELGROEP_TEKST = {"alle": "alle doelgroepen", "asiel": "asielstatushouders", "gezin": "gezinsmigranten",
                   "overig": "overige migranten"}
SOORT_BESTAND = {"personen": "Inburgeraars", "examens": "Examens", "activiteiten": "Activiteiten",
                 "gesprekken": "Gesprekken", "uren": "Uren"}
HERKOMST = {
    "gemeente": "De streefwaarde is het eigen cijfer van de gemeente.",
    "wet": "De streefwaarde is een wettelijke norm.",
    "afgeleid": "De gemeente noemt geen percentage; de regel geldt voor iedere inburgeraar, dus de monitor leest 100 %.",
    "standaard": "De gemeente noemt geen streefcijfer; de monitor toetst of het cijfer hoger (of lager) is dan een jaar "
                 "eerder. Dit is geen streefcijfer van de gemeente.",
}


class RenderError(RuntimeError):
    """Chromium could not print the report; message in Dutch."""


# --- Display --------------------------------------------------------------------------------------

def cel(c: Cijfer, soort: str) -> str:
    """A table cell: '1.234', '39,4 %', '94,5 dagen', '<5', '–' or '.'."""
    if c.onderdrukt:
        return "<5" if soort == "aantal" else "–"
    if not c.bekend:
        return "."
    if soort == "aandeel":
        return fmt_pct(c.waarde)
    if soort == "mediaan":
        return f"{getal(c.waarde, 1)} dagen"
    if soort == "per_1000":
        return getal(c.waarde, 2)
    return fmt_aantal(c.waarde)


def _waarde(x, soort: str) -> str:
    """A goal's target or figure: '100 %', '72,5 %', '30 dagen', '12'."""
    if x is None or pd.isna(x):
        return "."
    return waarde_tekst(float(x), soort)


def doel_waarde(d: dict) -> str:
    """The goal's figure; '–' when it is hidden for small numbers, '.' when there is none."""
    if d["waarde"] is not None and not pd.isna(d["waarde"]):
        return _waarde(d["waarde"], d["soort"])
    te_klein = "te weinig" in str(d["toelichting"]).lower() or "te klein" in str(d["toelichting"]).lower()
    return ("<5" if d["soort"] == "aantal" else "–") if te_klein else "."


def streefwaarde_tekst(d: dict) -> str:
    soort, s, m = d["soort"], d["streefwaarde"], d["marge"]
    richting = d["richting"]
    if richting == "stijgend":
        return "hoger dan een jaar eerder" + ("" if s is None or pd.isna(s) else f" ({_waarde(s, soort)})")
    if richting == "dalend":
        return "lager dan een jaar eerder" + ("" if s is None or pd.isna(s) else f" ({_waarde(s, soort)})")
    if s is None or pd.isna(s):
        return "."
    if richting == "minimaal":
        return f"ten minste {_waarde(s, soort)}"
    if richting == "maximaal":
        return f"hoogstens {_waarde(s, soort)}"
    marge = "" if m is None or pd.isna(m) else f" ± {getal(m)}"
    return f"ongeveer {_waarde(s, soort)}{marge}"


def periode_tekst(kwartaal: str) -> str:
    from pipelines.goals import periods
    return f"{kwartaal_woorden(kwartaal)} ({fmt_datum(periods.start(kwartaal))} tot en met {fmt_datum(periods.end(kwartaal))})"


def context(r: Rapportgegevens) -> dict:
    """Everything the template shows, as display strings."""
    kern = []
    for k in r.kerncijfers:
        kern.append({"titel": k.titel + (" (alle onderdelen)" if k.categorie == "alle" else ""),
                     "nu": cel(k.nu, k.soort), "vorig": cel(k.vorig, k.soort), "jaar": cel(k.jaar_eerder, k.soort),
                     "verschil_vorig": verschil_tekst(k.nu, k.vorig, k.soort) or "",
                     "verschil_jaar": verschil_tekst(k.nu, k.jaar_eerder, k.soort) or "", "zin": k.zin})
    doelen = []
    for d in r.doelen.to_dict("records"):
        doelen.append({**d, "doelgroep": DOELGROEP_TEKST.get(d["doelgroep"], d["doelgroep"])
                       + (f", {d['categorie']}" if d["categorie"] else ""),
                       "periode": kwartaal_kort(d["periode"]) if "-Q" in d["periode"] else d["periode"],
                       "streefwaarde": streefwaarde_tekst(d), "waarde": doel_waarde(d),
                       "vorige": f"{d['vorige_status']} ({kwartaal_kort(d['vorige_periode']) if '-Q' in d['vorige_periode'] else d['vorige_periode']})"
                       if isinstance(d["vorige_status"], str) else ".",
                       "herkomst": HERKOMST.get(d["streefwaarde_herkomst"], "")})
    groep_koppen, vergelijking = [], []
    from pipelines.report.data import VERGELIJKING, groep_cijfer
    defs = {x["id"]: x for x in r.definities.to_dict("records")}
    for g in r.groepen:
        rows = r.groepcijfers[(r.groepcijfers["groep_code"] == g.code) & (r.groepcijfers["periode"] == r.kwartaal)]
        n = int(rows["aantal_gemeenten"].max()) if len(rows) and rows["aantal_gemeenten"].notna().any() else 0
        naam = g.naam if g.soort != "provincie" else f"Provincie {g.naam}"
        groep_koppen.append(f"{naam} ({n})")
    for ind in VERGELIJKING:
        d = defs.get(ind, {})
        soort = d.get("soort", "aandeel")
        cat = "alle" if ind == "examen_geslaagd_pct" else None
        vergelijking.append({
            "titel": d.get("titel", ind),
            "gemeente": cel(r.cijfer(ind, r.kwartaal, "alle", cat), soort),
            "groepen": [cel(groep_cijfer(r.groepcijfers, ind, g.code, r.kwartaal), soort) for g in r.groepen]})
    landelijk = [{**x, "landelijk": fmt_pct(x["landelijk"], 0), "gemeente": cel(x["gemeente"], "aandeel")}
                 for x in r.landelijk]
    gebruikte = {k.indicator for k in r.kerncijfers} | set(VERGELIJKING) | set(r.doelen.get("indicator", []))
    gebruikte |= {"leerroute_aandeel_pct", "brede_intake_gestart_pct"}
    definities = sorted((x for x in r.definities.to_dict("records") if x["id"] in gebruikte), key=lambda x: x["titel"])
    bestanden = [{"soort": SOORT_BESTAND.get(b["bestandssoort"], b["bestandssoort"]), "bestand": b["bestand"],
                  "peildatum": fmt_datum(b["peildatum"]), "geladen_op": fmt_datum(b["geladen_op"]),
                  "gelezen": fmt_aantal(b["rijen_gelezen"]), "geladen": fmt_aantal(b["rijen_geladen"]),
                  "quarantaine": fmt_aantal(b["rijen_quarantaine"])} for b in r.bestanden.to_dict("records")]
    quarantaine = [{"soort": SOORT_BESTAND.get(q["bestandssoort"], q["bestandssoort"]), "reden": q["reden"],
                    "rijen": fmt_aantal(q["rijen"])} for q in r.quarantaine.to_dict("records")]
    dq = [{"soort": SOORT_BESTAND.get(q["bestandssoort"], q["bestandssoort"]), "niveau": q["niveau"],
           "reden": q["reden"], "afwijkingen": fmt_aantal(q["afwijkingen"])} for q in r.dq_afwijkingen.to_dict("records")]

    kern_by = {k.indicator: k for k in r.kerncijfers}
    samenvatting = [kern_by["instroom"].zin, kern_by["pip_binnen_10_weken_pct"].zin,
                    kern_by["activiteit_deelname_pct"].zin]
    if len(r.doelen):
        samenvatting.append(doelen_samenvatting(list(r.doelen["status"])))
    pip_peer = [s for s in r.vergelijking_zinnen if s.startswith(defs.get("pip_binnen_10_weken_pct", {}).get("titel", "§"))]
    samenvatting.extend(pip_peer[:1])

    groepen_tekst = "; ".join(
        ("alle geladen gemeenten" if g.soort == "alle_geladen" else g.label)
        + (f" (dezelfde geladen gemeenten als {' en '.join(g.ook)}, daarom niet apart getoond)" if g.ook else "")
        for g in r.groepen)
    verborgen_instroom = r.reeks[(r.reeks["indicator"] == "instroom") & r.reeks["periode"].isin(r.kwartalen)
                                 & r.reeks["doelgroep"].isin(["asiel", "gezin", "overig"]) & r.reeks["onderdrukt"]]
    noot_instroom = ("<5 = een doelgroep met 1 tot en met 4 personen (of afgeschermd): dat deel van de staaf "
                     "ontbreekt. " if len(verborgen_instroom) else "") + \
        f"Instroom: voor asielstatushouders de koppeling aan de gemeente, anders de inschrijving in de BRP. Bron: zaakregistratie gemeente {r.gemeente_naam}."
    return {
        "titel": TITEL, "r": r, "kwartaal_titel": kwartaal_titel(r.kwartaal),
        "kwartaal_woorden": kwartaal_woorden(r.kwartaal), "periode_tekst": periode_tekst(r.kwartaal),
        "peildatum": fmt_datum(r.peildatum) if r.peildatum else "onbekend",
        "gemaakt_op": fmt_datum(r.gemaakt_op), "onderdrukt_uitleg": ONDERDRUKT_UITLEG,
        "kop_nu": kwartaal_kort(r.kwartaal), "kop_vorig": kwartaal_kort(r.vorig), "kop_jaar": kwartaal_kort(r.jaar_eerder),
        "kerncijfers": kern, "doelen": doelen,
        "doelen_samenvatting": doelen_samenvatting(list(r.doelen["status"])) if len(r.doelen) else "",
        "groep_koppen": groep_koppen, "vergelijking": vergelijking, "vergelijking_zinnen": r.vergelijking_zinnen,
        "groepen_tekst": groepen_tekst, "landelijk": landelijk, "definities": definities,
        "bestanden": bestanden, "quarantaine": quarantaine, "dq": dq, "samenvatting": samenvatting,
        "noot_instroom": noot_instroom,
    }


def figuren(r: Rapportgegevens) -> dict:
    return {
        "instroom": charts.instroom(r.reeks, r.kwartalen),
        "leerroutes": charts.leerroutes(r.reeks, r.kwartalen[-4:]),
        "pip": charts.trend("pip_binnen_10_weken_pct", "Aandeel met PIP binnen 10 weken", r.reeks, r.groepcijfers,
                            r.groepen, r.kwartalen, r.gemeente_naam),
    }


def render_html(r: Rapportgegevens, plotly_src: str | None = None) -> str:
    """The print page as HTML. plotly_src: URL of plotly.min.js (default: the installed package's file)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, finalize=_nbsp)
    ctx = context(r)
    ctx["css"] = (TEMPLATES / "rapport.css").read_text(encoding="utf-8")
    ctx["plotly_src"] = plotly_src or PLOTLY_JS.as_uri()
    ctx["figuren_json"] = charts.figuren_json(figuren(r))
    return env.get_template("rapport.html.j2").render(**ctx)


def _nbsp(value):
    """Keep a number and its unit on one line in print: '39,4 %' and '94,5 dagen' never wrap."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return value.replace(" %", "\u00a0%").replace(" dagen", "\u00a0dagen").replace(" dag ", "\u00a0dag ")
    return value


FOOTER = """<div style="font-family: 'Liberation Sans', Arial, sans-serif; font-size: 7.5pt; color: #4a4a4a;
 width: 100%; padding: 0 20mm; display: flex; justify-content: space-between;">
 <span>{titel} · {gemeente} · {kwartaal}</span>
 <span>pagina <span class="pageNumber"></span> van <span class="totalPages"></span></span></div>"""


def html_naar_pdf(html: str, out_path: Path, footer_tekst: tuple[str, str, str]) -> float:
    """Print the HTML to a PDF with Chromium; returns the seconds it took."""
    from playwright.sync_api import Error as PlaywrightError, sync_playwright

    if not Path(CHROMIUM).exists():
        raise RenderError(f"Chromium niet gevonden op {CHROMIUM}: installeer het Debian-pakket 'chromium' "
                          "of zet INBURGERING_CHROMIUM op het pad van een Chromium-browser.")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rapport-") as tmp:
        page_file = Path(tmp) / "rapport.html"
        page_file.write_text(html, encoding="utf-8")
        titel, gemeente, kwartaal = footer_tekst
        footer = FOOTER.format(titel=jinja2.filters.escape(titel), gemeente=jinja2.filters.escape(gemeente),
                               kwartaal=jinja2.filters.escape(kwartaal))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                try:
                    page = browser.new_page()
                    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                               else route.abort())
                    page.goto(page_file.as_uri(), wait_until="load", timeout=RENDER_TIMEOUT_MS)
                    page.wait_for_function("window.rapportKlaar === true", timeout=RENDER_TIMEOUT_MS)
                    fout = page.evaluate("window.rapportFout || null")
                    if fout:
                        raise RenderError(f"grafiek kon niet worden getekend: {fout}")
                    page.emulate_media(media="print")
                    page.pdf(path=str(out_path), format="A4", print_background=True, prefer_css_page_size=True,
                             display_header_footer=True, header_template="<span></span>", footer_template=footer)
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise RenderError(f"Chromium kon het rapport niet afdrukken: {exc}") from exc
    return time.perf_counter() - t0
