"""The status rule of a policy goal for one period (docs/policy-goals.md, "Status rule").

Pure functions, no database: the engine uses them for mart_beleidsdoelen, pages and reports can use them
for any row (a peer group, a what-if value).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

STATUSES = ("op_koers", "risico", "niet_gehaald", "nog_niet_meetbaar")
STATUS_LABELS = {"op_koers": "Op koers", "risico": "Risico", "niet_gehaald": "Niet gehaald",
                 "nog_niet_meetbaar": "Nog niet meetbaar"}
MIN_NOEMER = 10          # the publication rule's small-number limit (pipelines/indicators/suppression.py)
Z_95 = 1.959963984540054   # 95 % two-sided: the 97.5 % normal quantile, as pipelines/indicators/engine.py
DECIMALS = 6             # comparisons use values rounded to 6 decimals (absorbs floating-point noise)
SMALL_KINDS = ("aandeel", "mediaan")   # kinds with a noemer of cases: the small-number rule applies
_UNITS = {"aandeel": " %", "mediaan": " dagen", "aantal": "", "per_1000": " per 1.000 inwoners"}


@dataclass(frozen=True)
class GoalStatus:
    status: str                      # one of STATUSES
    toelichting: str                 # Dutch, one or two sentences
    ci_onder: float | None = None    # 95 % Wilson interval in percent (shares only)
    ci_boven: float | None = None
    streefwaarde: float | None = None   # the value compared with (for stijgend / dalend: a year earlier)
    klein_aantal: bool = False       # True when the figures must not be shown (noemer < MIN_NOEMER)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def wilson_interval(teller: int, noemer: int, z: float = Z_95) -> tuple[float, float]:
    """95 % Wilson score interval of teller / noemer, in percent (0-100)."""
    if noemer is None or noemer <= 0 or teller is None:
        raise ValueError("Wilson-interval vraagt teller en een noemer > 0")
    n, p = float(noemer), teller / noemer
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if teller == 0 else 100 * max(0.0, centre - half)        # exact bounds at 0 % and 100 %
    hi = 100.0 if teller == noemer else 100 * min(1.0, centre + half)
    return lo, hi


def classify(richting: str, waarde: float, onder: float, boven: float, streefwaarde: float,
             marge: float | None = None) -> str:
    """op_koers / risico / niet_gehaald before the deadline cap (step 3 of the rule).

    `onder`/`boven` is the interval (equal to waarde when there is none); for stijgend / dalend
    `streefwaarde` is the value of the same period a year earlier.
    """
    w, lo, hi, s = (round(float(x), DECIMALS) for x in (waarde, onder, boven, streefwaarde))
    if richting == "minimaal":
        return "op_koers" if w >= s else "risico" if hi >= s else "niet_gehaald"
    if richting == "maximaal":
        return "op_koers" if w <= s else "risico" if lo <= s else "niet_gehaald"
    if richting == "ongeveer":
        m = round(float(marge or 0.0), DECIMALS)
        a, b = round(s - m, DECIMALS), round(s + m, DECIMALS)
        return "op_koers" if a <= w <= b else "risico" if lo <= b and hi >= a else "niet_gehaald"
    if richting == "stijgend":
        return "op_koers" if w > s else "risico" if hi >= s else "niet_gehaald"
    if richting == "dalend":
        return "op_koers" if w < s else "risico" if lo <= s else "niet_gehaald"
    raise ValueError(f"ongeldige richting {richting!r}")


def fmt(value: float, decimals: int = 1) -> str:
    """Dutch number: decimal comma, no decimals for whole numbers."""
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{decimals}f}".replace(".", ",")


def _fmt_near(value: float, other: float) -> str:
    """Value formatted so that it does not look equal to `other` when it is not."""
    text = fmt(value)
    if round(value, DECIMALS) != round(other, DECIMALS) and text == fmt(other):
        text = fmt(value, 3)
    return text


def goal_status(richting: str, waarde: float | None, *, streefwaarde: float | None = None,
                marge: float | None = None, teller: int | None = None, noemer: int | None = None,
                soort: str = "aandeel", referentie: float | None = None, referentie_noemer: int | None = None,
                referentie_periode: str | None = None, beslissend: bool = True, reden: str | None = None,
                min_noemer: int = MIN_NOEMER) -> GoalStatus:
    """The status of one goal for one period's figures.

    richting: minimaal | maximaal | ongeveer | stijgend | dalend. soort: the indicator's kind (aandeel,
    aantal, mediaan, per_1000). For stijgend / dalend pass the same period a year earlier as `referentie`
    (its waarde) and `referentie_noemer`. `beslissend` is False when the period is still running or ends
    before the goal's deadline; then niet_gehaald becomes risico and `reden` says why.
    Steps 2-4 of the rule in docs/policy-goals.md (step 1, a running period before the deadline, needs
    dates and is applied by the engine).
    """
    unit = _UNITS.get(soort, "")
    small_kind = soort in SMALL_KINDS
    if waarde is None or (isinstance(waarde, float) and math.isnan(waarde)):
        return GoalStatus("nog_niet_meetbaar", "Geen cijfer voor deze periode.")
    if small_kind and (noemer is None or noemer < min_noemer):
        return GoalStatus("nog_niet_meetbaar", f"Te weinig gevallen (minder dan {min_noemer}) om te beoordelen.",
                          klein_aantal=True)
    ci = None
    if soort == "aandeel" and teller is not None and noemer:
        ci = wilson_interval(int(teller), int(noemer))
    lo, hi = ci if ci else (waarde, waarde)
    ci_text = f"het 95%-interval ({fmt(lo)}–{fmt(hi)}{unit})" if ci else None

    if richting in ("stijgend", "dalend"):
        earlier = f"een jaar eerder ({referentie_periode})" if referentie_periode else "een jaar eerder"
        if referentie is None:
            return GoalStatus("nog_niet_meetbaar", f"Geen cijfer voor dezelfde periode {earlier} om mee te "
                              "vergelijken.", *(ci or (None, None)))
        if small_kind and (referentie_noemer is None or referentie_noemer < min_noemer):
            return GoalStatus("nog_niet_meetbaar", f"Te weinig gevallen (minder dan {min_noemer}) in dezelfde "
                              f"periode {earlier} om mee te vergelijken.", *(ci or (None, None)))
        target = float(referentie)
        status = classify(richting, waarde, lo, hi, target)
        w, r = _fmt_near(waarde, target), fmt(target)
        better = "hoger" if richting == "stijgend" else "lager"
        if status == "op_koers":
            text = f"Waarde {w}{unit} is {better} dan {r}{unit} {earlier}."
        elif status == "risico":
            equal = round(waarde, DECIMALS) == round(target, DECIMALS)
            text = f"Waarde {w}{unit} is niet {better} dan {r}{unit} {earlier}" + (
                "; gelijk gebleven." if equal else f", maar {ci_text} reikt nog tot die waarde.")
        else:
            text = f"Waarde {w}{unit} is niet {better} dan {r}{unit} {earlier}" + (
                f"; ook {ci_text} blijft daarbij achter." if ci else ".")
    else:
        if streefwaarde is None:
            raise ValueError(f"richting {richting!r} vraagt een streefwaarde")
        target = float(streefwaarde)
        status = classify(richting, waarde, lo, hi, target, marge)
        w, s = _fmt_near(waarde, target), fmt(target)
        if richting == "ongeveer":
            band = f"{s} ± {fmt(marge or 0)}{unit}"
            if status == "op_koers":
                text = f"Waarde {w}{unit} ligt binnen {band}."
            elif status == "risico":
                text = f"Waarde {w}{unit} ligt buiten {band}, maar {ci_text} overlapt die band."
            else:
                text = f"Waarde {w}{unit} ligt buiten {band}" + (f"; ook {ci_text} valt erbuiten." if ci else ".")
        else:
            ok, not_ok = ("≥", "<") if richting == "minimaal" else ("≤", ">")
            if status == "op_koers":
                text = f"Waarde {w}{unit} {ok} streefwaarde {s}{unit}."
            elif status == "risico":
                text = f"Waarde {w}{unit} {not_ok} streefwaarde {s}{unit}, maar {ci_text} reikt tot de streefwaarde."
            else:
                text = f"Waarde {w}{unit} {not_ok} streefwaarde {s}{unit}" + (
                    f"; ook {ci_text} reikt er niet aan." if ci else ".")

    if not beslissend:
        why = reden or "de periode telt nog niet als eindmeting"
        if status == "niet_gehaald":
            status = "risico"
            text += f" Nog niet definitief: {why}."
        else:
            text += f" Voorlopig: {why}."
    return GoalStatus(status, text, *(ci or (None, None)), streefwaarde=target)
