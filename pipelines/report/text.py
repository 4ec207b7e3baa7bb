"""Dutch sentences for the quarterly report, generated from the published figures.

Pure functions, no database. Every sentence is built from `Cijfer` objects: a value that is known,
suppressed (small numbers) or missing. A suppressed value is never written, not even indirectly: no
difference or direction is computed against it.

Number formats follow the dashboard (`dashboards.figures`): 1.234 for counts, 12,5 % for shares.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from dashboards.figures import MAANDEN, fmt_aantal  # noqa: F401  (MAANDEN re-exported for the report)

Soort = Literal["aantal", "aandeel", "mediaan", "per_1000"]

RANGTELWOORDEN = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde"}
ONDERDRUKT_UITLEG = (
    "Cijfers over minder dan 10 personen (aandelen en medianen) en aantallen van 1 tot en met 4 worden niet "
    "getoond, zodat niemand herkenbaar is. Soms wordt ook een ander cijfer verborgen, omdat het verborgen "
    "cijfer anders uit een totaal terug te rekenen is. In tabellen staat dan '<5' (aantal) of '–' (aandeel "
    "of mediaan); '.' betekent: geen gegevens."
)


# --- Numbers -----------------------------------------------------------------------------------

def _missing(x) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or bool(x != x)
    except (TypeError, ValueError):  # pd.NA
        return True


def getal(x: float, decimalen: int = 1) -> str:
    """A number in Dutch notation, at most `decimalen` decimals, trailing ',0' dropped: 12.5 -> '12,5'."""
    r = round(float(x), decimalen)
    if r == int(r):
        return fmt_aantal(r)
    whole, frac = f"{abs(r):.{decimalen}f}".split(".")
    frac = frac.rstrip("0")
    sign = "-" if r < 0 else ""
    return f"{sign}{fmt_aantal(int(whole))},{frac}"


def pct(x: float) -> str:
    """A share in Dutch notation: 12.5 -> '12,5 %', 64.0 -> '64 %', 1234.5 -> '1.234,5 %'."""
    return f"{getal(x, 1)} %"


def dagen(x: float) -> str:
    """'1 dag', '94,5 dagen'."""
    return f"{getal(x, 1)} {'dag' if round(float(x), 1) == 1 else 'dagen'}"


def waarde_tekst(x: float, soort: Soort) -> str:
    """A value in its unit, as written in a sentence."""
    if soort == "aandeel":
        return pct(x)
    if soort == "mediaan":
        return dagen(x)
    if soort == "per_1000":
        return f"{getal(x, 2)} per 1.000 inwoners"
    return fmt_aantal(x)


def meervoud(n: float, enkelvoud: str, meervoud_: str) -> str:
    """The singular form for exactly 1, else the plural (also for 0)."""
    return enkelvoud if round(float(n), 6) == 1 else meervoud_


# --- Periods -----------------------------------------------------------------------------------

def parse_kwartaal(kwartaal: str) -> tuple[int, int]:
    """'2025-Q3' -> (2025, 3); ValueError with a Dutch message otherwise."""
    text = str(kwartaal).strip().upper()
    if len(text) == 7 and text[4:6] == "-Q" and text[:4].isdigit() and text[6] in "1234":
        return int(text[:4]), int(text[6])
    raise ValueError(f"geen kwartaal (JJJJ-Qn, bijvoorbeeld 2025-Q3): {kwartaal!r}")


def vorig_kwartaal(kwartaal: str) -> str:
    y, q = parse_kwartaal(kwartaal)
    return f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}"


def kwartaal_jaar_eerder(kwartaal: str) -> str:
    y, q = parse_kwartaal(kwartaal)
    return f"{y - 1}-Q{q}"


def kwartaal_titel(kwartaal: str) -> str:
    """'2025-Q3' -> 'Derde kwartaal 2025' (for titles)."""
    y, q = parse_kwartaal(kwartaal)
    return f"{RANGTELWOORDEN[q].capitalize()} kwartaal {y}"


def kwartaal_woorden(kwartaal: str) -> str:
    """'2025-Q3' -> 'het derde kwartaal van 2025' (in a sentence)."""
    y, q = parse_kwartaal(kwartaal)
    return f"het {RANGTELWOORDEN[q]} kwartaal van {y}"


def kwartaal_kort(kwartaal: str) -> str:
    """'2025-Q3' -> '3e kw. 2025' (table headers)."""
    y, q = parse_kwartaal(kwartaal)
    return f"{q}e kw. {y}"


# --- Figures -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cijfer:
    """One published figure: waarde with teller/noemer, or suppressed, or missing (no row)."""

    waarde: float | None = None
    teller: float | None = None
    noemer: float | None = None
    onderdrukt: bool = False

    @property
    def bekend(self) -> bool:
        return not self.onderdrukt and not _missing(self.waarde)

    @classmethod
    def van_rij(cls, row) -> "Cijfer":
        """From a row (mapping) of mart_indicatoren_publicatie; None gives a missing figure."""
        if row is None:
            return cls()
        if bool(row.get("onderdrukt")):
            return cls(onderdrukt=True)
        def num(k):
            v = row.get(k)
            return None if _missing(v) else float(v)
        return cls(num("waarde"), num("teller"), num("noemer"), False)


def _afgerond(x: float, soort: Soort) -> float:
    return round(float(x), 0 if soort == "aantal" else (2 if soort == "per_1000" else 1))


def richting(nu: Cijfer, toen: Cijfer, soort: Soort) -> Literal["hoger", "lager", "gelijk"] | None:
    """'hoger'/'lager'/'gelijk' as the reader sees the rounded figures; None when either is not known."""
    if not (nu.bekend and toen.bekend):
        return None
    a, b = _afgerond(nu.waarde, soort), _afgerond(toen.waarde, soort)
    return "gelijk" if a == b else ("hoger" if a > b else "lager")


def verschil_tekst(nu: Cijfer, toen: Cijfer, soort: Soort) -> str:
    """The difference for a table cell: '+4,0 procentpunt', '−12 dagen', '+3', 'gelijk', '' when unknown."""
    r = richting(nu, toen, soort)
    if r is None:
        return ""
    if r == "gelijk":
        return "gelijk"
    d = _afgerond(nu.waarde, soort) - _afgerond(toen.waarde, soort)
    teken = "+" if d > 0 else "−"
    if soort == "aandeel":
        eenheid = " procentpunt"
    elif soort == "mediaan":
        eenheid = " dag" if abs(round(d, 1)) == 1 else " dagen"
    else:
        eenheid = ""
    return f"{teken}{getal(abs(d), 2 if soort == 'per_1000' else 1)}{eenheid}"


# --- Sentence specifications -------------------------------------------------------------------

@dataclass(frozen=True)
class ZinSpec:
    """How one indicator is put into words.

    aantal:  `zin` = (singular, plural) main clause with {n} and {p}, `geen` = clause for zero.
    aandeel: `populatie` = (singular, plural) noun phrase after 'Van de {N}', `uitkomst` = (singular,
             plural) clause with {t} (teller and share); {p} / {p_eind} = the period in words.
    mediaan: `zin` = clause with {N} (cases) and {v} (the median), {p}.
    """

    soort: Soort
    onderwerp: str                     # 'het aandeel', 'het aantal', 'de doorlooptijd' (trend subject)
    naam: str                          # what the figure is about, for 'geen cijfer over ...'
    zin: tuple[str, str] | None = None
    geen: str | None = None
    populatie: tuple[str, str] | None = None
    uitkomst: tuple[str, str] | None = None
    wie: str = "inburgeraars"          # who the suppression note talks about


ZINNEN: dict[str, ZinSpec] = {
    "instroom": ZinSpec(
        "aantal", "het aantal", "de instroom",
        zin=("{P} stroomde {n} nieuwe inburgeraar in", "{P} stroomden {n} nieuwe inburgeraars in"),
        geen="{P} stroomden geen nieuwe inburgeraars in"),
    "vrijwilligerswerk_plaatsingen": ZinSpec(
        "aantal", "het aantal", "plaatsingen in vrijwilligerswerk",
        zin=("{P} begon {n} plaatsing in vrijwilligerswerk", "{P} begonnen {n} plaatsingen in vrijwilligerswerk"),
        geen="{P} begonnen geen plaatsingen in vrijwilligerswerk"),
    "pip_binnen_10_weken_pct": ZinSpec(
        "aandeel", "het aandeel", "het aandeel met een PIP binnen tien weken",
        populatie=("inburgeraar die {p} in de BRP werd ingeschreven",
                   "inburgeraars die {p} in de BRP werden ingeschreven"),
        uitkomst=("kreeg er {t} binnen tien weken een PIP", "kregen er {t} binnen tien weken een PIP")),
    "doorlooptijd_pip_mediaan": ZinSpec(
        "mediaan", "de doorlooptijd", "de doorlooptijd tot het PIP",
        zin=("Voor de {N} inburgeraars die {p} een PIP kregen, lag de mediane doorlooptijd vanaf inschrijving "
             "in de BRP op {v}", "")),
    "wachttijd_huisvesting_mediaan": ZinSpec(
        "mediaan", "de wachttijd", "de wachttijd op huisvesting",
        zin=("Voor de {N} asielstatushouders die {p} een woning kregen, lag de mediane wachttijd vanaf koppeling "
             "aan de gemeente op {v}", ""), wie="asielstatushouders"),
    "welkomgesprek_binnen_6_weken_pct": ZinSpec(
        "aandeel", "het aandeel", "het welkomstgesprek binnen zes weken",
        populatie=("asielstatushouder van wie de termijn van zes weken na koppeling {p} afliep",
                   "asielstatushouders van wie de termijn van zes weken na koppeling {p} afliep"),
        uitkomst=("had er {t} binnen zes weken een welkomstgesprek", "hadden er {t} binnen zes weken een welkomstgesprek"),
        wie="asielstatushouders"),
    "voortgangsgesprekken_norm_pct": ZinSpec(
        "aandeel", "het aandeel", "de voortgangsgesprekken",
        populatie=("inburgeraar van wie het eerste jaar na het PIP {p} afliep",
                   "inburgeraars van wie het eerste jaar na het PIP {p} afliep"),
        uitkomst=("had er {t} in dat jaar ten minste twee voortgangsgesprekken",
                  "hadden er {t} in dat jaar ten minste twee voortgangsgesprekken")),
    "activiteit_deelname_pct": ZinSpec(
        "aandeel", "het aandeel", "de deelname aan activiteiten",
        populatie=("inburgeraar die {p_eind} nog in het traject zat",
                   "inburgeraars die {p_eind} nog in het traject zaten"),
        uitkomst=("deed er {t} mee aan een activiteit (werk, vrijwilligerswerk, stage of opleiding)",
                  "deden er {t} mee aan een activiteit (werk, vrijwilligerswerk, stage of opleiding)")),
    "duaal_pct": ZinSpec(
        "aandeel", "het aandeel", "het aandeel dat werkt en leert tegelijk (duaal)",
        populatie=("inburgeraar in de B1- of onderwijsroute die {p_eind} nog in het traject zat",
                   "inburgeraars in de B1- of onderwijsroute die {p_eind} nog in het traject zaten"),
        uitkomst=("had er {t} betaald werk naast de inburgering", "hadden er {t} betaald werk naast de inburgering")),
    "examen_geslaagd_pct": ZinSpec(
        "aandeel", "het aandeel", "de examenresultaten",
        populatie=("examenonderdeel dat {p} werd afgelegd", "examenonderdelen die {p} werden afgelegd"),
        uitkomst=("werd er {t} gehaald", "werden er {t} gehaald"), wie="examens"),
    "voldaan_binnen_termijn_pct": ZinSpec(
        "aandeel", "het aandeel", "het aandeel dat binnen de termijn aan de plicht voldeed",
        populatie=("inburgeraar van wie de inburgeringstermijn {p} afliep",
                   "inburgeraars van wie de inburgeringstermijn {p} afliep"),
        uitkomst=("had er {t} binnen de termijn aan de inburgeringsplicht voldaan",
                  "hadden er {t} binnen de termijn aan de inburgeringsplicht voldaan")),
    "termijn_verstreken_pct": ZinSpec(
        "aandeel", "het aandeel", "verstreken termijnen",
        populatie=("inburgeraar van wie de termijn {p_eind} verstreken was",
                   "inburgeraars van wie de termijn {p_eind} verstreken was"),
        uitkomst=("had er {t} nog niet voldaan en geen ontheffing",
                  "hadden er {t} nog niet voldaan en geen ontheffing")),
    "z_route_vrijwilligerswerk_3mnd_pct": ZinSpec(
        "aandeel", "het aandeel", "vrijwilligerswerk in de Z-route",
        populatie=("inburgeraar in de Z-route van wie de eerste drie maanden na het PIP {p} afliepen",
                   "inburgeraars in de Z-route van wie de eerste drie maanden na het PIP {p} afliepen"),
        uitkomst=("was er {t} binnen drie maanden met vrijwilligerswerk begonnen",
                  "waren er {t} binnen drie maanden met vrijwilligerswerk begonnen")),
}


def _hoofdletter(s: str) -> str:
    return s[:1].upper() + s[1:]


def _periode_zin(kwartaal: str) -> tuple[str, str]:
    w = kwartaal_woorden(kwartaal)
    return f"in {w}", f"aan het eind van {w}"


def niet_publiceerbaar(spec: ZinSpec, kwartaal: str) -> str:
    """The sentence for a suppressed figure: says why, states no number."""
    te_klein = "het aantal is te klein" if spec.soort == "aantal" else f"het gaat om te weinig {spec.wie}"
    return (f"Over {kwartaal_woorden(kwartaal)} is geen cijfer te publiceren over {spec.naam}: {te_klein} "
            "om het te tonen zonder dat personen herkenbaar kunnen worden.")


def geen_cijfer(spec: ZinSpec, kwartaal: str) -> str:
    """The sentence for a figure that does not exist (nobody in the population)."""
    return f"Over {kwartaal_woorden(kwartaal)} is er geen cijfer over {spec.naam}: er waren (nog) geen gevallen om te meten."


def hoofdzin(spec: ZinSpec, kwartaal: str, nu: Cijfer) -> str:
    """The main clause for a known figure, without the closing full stop."""
    p, p_eind = _periode_zin(kwartaal)
    if spec.soort == "aantal":
        n = nu.waarde
        if round(n) == 0:
            return spec.geen.format(P=_hoofdletter(p), p=p)
        return spec.zin[0 if round(n) == 1 else 1].format(P=_hoofdletter(p), p=p, n=fmt_aantal(n))
    if spec.soort == "mediaan":
        return spec.zin[0].format(p=p, N=fmt_aantal(nu.noemer), v=dagen(nu.waarde))
    # aandeel
    noemer, teller = nu.noemer, nu.teller
    populatie = spec.populatie[0 if round(noemer) == 1 else 1].format(p=p, p_eind=p_eind)
    if teller is None:
        t = pct(nu.waarde)
        uitkomst = spec.uitkomst[1].format(t=t)
    elif round(teller) == 0:
        uitkomst = spec.uitkomst[1].format(t="geen")
    else:
        t = f"{fmt_aantal(teller)} ({pct(nu.waarde)})"
        uitkomst = spec.uitkomst[0 if round(teller) == 1 else 1].format(t=t)
    return f"Van de {fmt_aantal(noemer)} {populatie}, {uitkomst}"


def _beweging(r: str, ref: str) -> str:
    return {"hoger": f"steeg ten opzichte van {ref}", "lager": f"daalde ten opzichte van {ref}",
            "gelijk": f"bleef gelijk aan {ref}"}[r]


def zin(indicator: str, kwartaal: str, nu: Cijfer, vorig: Cijfer | None = None,
        jaar_eerder: Cijfer | None = None) -> str:
    """One or two sentences about an indicator in a quarter, compared with the quarter before and the
    same quarter a year earlier. Never states a suppressed number or a difference with one."""
    spec = ZINNEN[indicator]
    vorig = vorig or Cijfer()
    jaar_eerder = jaar_eerder or Cijfer()
    if nu.onderdrukt:
        return niet_publiceerbaar(spec, kwartaal)
    if not nu.bekend:
        return geen_cijfer(spec, kwartaal)
    s1 = hoofdzin(spec, kwartaal, nu)
    r1 = richting(nu, vorig, spec.soort)
    if r1 == "gelijk":
        s1 += ", evenveel als een kwartaal eerder" if spec.soort == "aantal" else ", net als een kwartaal eerder"
    elif r1 is not None:
        s1 += f", tegen {waarde_tekst(vorig.waarde, spec.soort)} een kwartaal eerder"
    s1 += "."
    subject = _hoofdletter(spec.onderwerp)
    r2 = richting(nu, jaar_eerder, spec.soort)
    jaar_ref = f"hetzelfde kwartaal een jaar eerder" + (
        f" ({waarde_tekst(jaar_eerder.waarde, spec.soort)})" if jaar_eerder.bekend else "")
    delen = []
    if r1 is not None and r2 is not None:
        if r1 == r2 and r1 != "gelijk":
            werkwoord = "steeg" if r1 == "hoger" else "daalde"
            delen.append(f"{subject} {werkwoord} zowel ten opzichte van het vorige kwartaal als ten opzichte van "
                         f"{jaar_ref}.")
        elif r1 == r2:
            delen.append(f"{subject} bleef gelijk aan het vorige kwartaal en aan {jaar_ref}.")
        else:
            delen.append(f"{subject} {_beweging(r1, 'het vorige kwartaal')} en {_beweging(r2, jaar_ref)}.")
    elif r1 is not None:
        delen.append(f"{subject} {_beweging(r1, 'het vorige kwartaal')}.")
        delen.append(_ontbrekend(jaar_eerder, "hetzelfde kwartaal een jaar eerder"))
    elif r2 is not None:
        delen.append(_ontbrekend(vorig, "het vorige kwartaal"))
        delen.append(f"{subject} {_beweging(r2, jaar_ref)}.")
    else:
        delen.append(_ontbrekend(vorig, "het vorige kwartaal", jaar_eerder, "hetzelfde kwartaal een jaar eerder"))
    return " ".join([s1, *[d for d in delen if d]])


def _ontbrekend(c1: Cijfer, label1: str, c2: Cijfer | None = None, label2: str | None = None) -> str:
    """A short note on comparison figures that cannot be shown."""
    labels = [label1] + ([label2] if label2 else [])
    cijfers = [c1] + ([c2] if c2 is not None else [])
    onderdrukt = [lab for lab, c in zip(labels, cijfers) if c.onderdrukt]
    ontbreekt = [lab for lab, c in zip(labels, cijfers) if not c.onderdrukt and not c.bekend]
    out = []
    if onderdrukt:
        out.append(f"Voor {' en '.join(onderdrukt)} is het cijfer niet te publiceren (te weinig gevallen).")
    if ontbreekt:
        out.append(f"Voor {' en '.join(ontbreekt)} is geen cijfer beschikbaar.")
    return " ".join(out)


# --- Peers, goals --------------------------------------------------------------------------------

def vergelijk_groepen(gemeente_naam: str, indicator_titel: str, nu: Cijfer, soort: Soort,
                      groepen: list[tuple[str, Cijfer]]) -> str:
    """'Almelo ligt met 39,4 % onder alle geladen gemeenten samen (45,2 %) en boven Overijssel (30,1 %).'"""
    if not nu.bekend:
        return ""
    delen = []
    for label, c in groepen:
        r = richting(nu, c, soort)
        if r is None:
            continue
        woord = {"hoger": "boven", "lager": "onder", "gelijk": "gelijk aan"}[r]
        delen.append(f"{woord} {label} ({waarde_tekst(c.waarde, soort)})")
    if not delen:
        return ""
    opsomming = delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]
    return f"{indicator_titel}: {gemeente_naam} ligt met {waarde_tekst(nu.waarde, soort)} {opsomming}."


def doelen_samenvatting(statussen: list[str]) -> str:
    """'Van de 4 beleidsdoelen is 1 op koers, lopen er 2 risico en is 1 niet gehaald.'"""
    if not statussen:
        return "Voor deze gemeente zijn geen beleidsdoelen vastgelegd in de monitor."
    n = len(statussen)
    if n == 1:
        from pipelines.goals import STATUS_LABELS
        return f"Het enige beleidsdoel heeft de status '{STATUS_LABELS[statussen[0]].lower()}'."
    tel = {s: statussen.count(s) for s in ("op_koers", "risico", "niet_gehaald", "nog_niet_meetbaar")}
    delen = []
    if tel["op_koers"]:
        delen.append(f"{'is' if tel['op_koers'] == 1 else 'zijn er'} {tel['op_koers']} op koers")
    if tel["risico"]:
        delen.append(f"{'loopt er' if tel['risico'] == 1 else 'lopen er'} {tel['risico']} risico")
    if tel["niet_gehaald"]:
        delen.append(f"{'is' if tel['niet_gehaald'] == 1 else 'zijn er'} {tel['niet_gehaald']} niet gehaald")
    if tel["nog_niet_meetbaar"]:
        delen.append(f"{'is' if tel['nog_niet_meetbaar'] == 1 else 'zijn er'} {tel['nog_niet_meetbaar']} "
                     "nog niet meetbaar")
    opsomming = delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]
    return f"Van de {n} {meervoud(n, 'beleidsdoel', 'beleidsdoelen')} {opsomming}."
