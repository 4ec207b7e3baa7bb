"""Sentence generation of the quarterly report: Dutch number formats, rising/falling/equal wording,
singular/plural, and never a suppressed number."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from pipelines.report.data import onderdruk_groepen
from pipelines.report.text import (Cijfer, dagen, doelen_samenvatting, getal, kwartaal_jaar_eerder, kwartaal_titel,
                                   kwartaal_woorden, pct, richting, verschil_tekst, vergelijk_groepen, vorig_kwartaal,
                                   waarde_tekst, zin)
from dashboards.figures import fmt_aantal

Q = "2025-Q3"


def aandeel(teller: int, noemer: int) -> Cijfer:
    return Cijfer(100.0 * teller / noemer, teller, noemer)


def aantal(n: int) -> Cijfer:
    return Cijfer(float(n), float(n))


ONDERDRUKT = Cijfer(onderdrukt=True)


# --- numbers and periods -------------------------------------------------------------------------

def test_dutch_number_formats():
    assert pct(12.5) == "12,5 %"
    assert pct(64.0) == "64 %"
    assert pct(38.46153) == "38,5 %"
    assert pct(0) == "0 %"
    assert fmt_aantal(1234) == "1.234"
    assert getal(1234.5) == "1.234,5"
    assert getal(1234567) == "1.234.567"
    assert dagen(1) == "1 dag"
    assert dagen(94.5) == "94,5 dagen"
    assert waarde_tekst(0.5432, "per_1000") == "0,54 per 1.000 inwoners"


def test_quarters_in_words():
    assert kwartaal_woorden(Q) == "het derde kwartaal van 2025"
    assert kwartaal_titel("2026-Q1") == "Eerste kwartaal 2026"
    assert vorig_kwartaal("2025-Q1") == "2024-Q4"
    assert kwartaal_jaar_eerder(Q) == "2024-Q3"
    with pytest.raises(ValueError, match="geen kwartaal"):
        kwartaal_woorden("2025-3")


# --- the example sentence, rising / falling / equal --------------------------------------------------

def test_rising_share_with_tegen_and_steeg():
    s = zin("pip_binnen_10_weken_pct", Q, aandeel(27, 42), aandeel(20, 39), aandeel(14, 40))
    assert s.startswith("Van de 42 inburgeraars die in het derde kwartaal van 2025 in de BRP werden ingeschreven, "
                        "kregen er 27 (64,3 %) binnen tien weken een PIP, tegen 51,3 % een kwartaal eerder.")
    assert "steeg zowel ten opzichte van het vorige kwartaal als ten opzichte van hetzelfde kwartaal een jaar eerder (35 %)" in s


def test_falling_and_mixed():
    s = zin("pip_binnen_10_weken_pct", Q, aandeel(10, 40), aandeel(20, 40), aandeel(5, 40))
    assert "tegen 50 % een kwartaal eerder" in s
    assert "Het aandeel daalde ten opzichte van het vorige kwartaal en steeg ten opzichte van hetzelfde kwartaal" in s


def test_equal_values_are_called_equal():
    s = zin("pip_binnen_10_weken_pct", Q, aandeel(20, 40), aandeel(10, 20), aandeel(20, 40))
    assert "net als een kwartaal eerder" in s
    assert "bleef gelijk aan het vorige kwartaal en aan hetzelfde kwartaal een jaar eerder (50 %)" in s
    s = zin("instroom", Q, aantal(12), aantal(12))
    assert "evenveel als een kwartaal eerder" in s


def test_equal_after_rounding():
    # 50,01 % and 49,99 % both read as 50 %: the sentence must not say it rose
    assert richting(Cijfer(50.01, 1, 10), Cijfer(49.99, 1, 10), "aandeel") == "gelijk"
    assert verschil_tekst(Cijfer(50.01, 1, 10), Cijfer(49.99, 1, 10), "aandeel") == "gelijk"


def test_median_sentence_and_falling_duration():
    s = zin("doorlooptijd_pip_mediaan", Q, Cijfer(63.0, None, 42), Cijfer(70.5, None, 38), Cijfer(63.0, None, 30))
    assert "Voor de 42 inburgeraars die in het derde kwartaal van 2025 een PIP kregen" in s
    assert "op 63 dagen, tegen 70,5 dagen een kwartaal eerder" in s
    assert "De doorlooptijd daalde ten opzichte van het vorige kwartaal en bleef gelijk aan hetzelfde kwartaal" in s


def test_differences_for_tables():
    assert verschil_tekst(aandeel(27, 42), aandeel(20, 39), "aandeel") == "+13,0 procentpunt".replace("13,0", "13")
    assert verschil_tekst(aantal(40), aantal(27), "aantal") == "+13"
    assert verschil_tekst(aantal(27), aantal(40), "aantal") == "−13"
    assert verschil_tekst(Cijfer(63.0), Cijfer(64.0), "mediaan") == "−1 dag"
    assert verschil_tekst(aantal(27), ONDERDRUKT, "aantal") == ""


# --- singular / plural ---------------------------------------------------------------------------

def test_singular_and_plural_counts():
    assert zin("instroom", Q, aantal(1)).startswith("In het derde kwartaal van 2025 stroomde 1 nieuwe inburgeraar in.")
    assert zin("instroom", Q, aantal(42)).startswith("In het derde kwartaal van 2025 stroomden 42 nieuwe inburgeraars in.")
    assert zin("instroom", Q, aantal(0)).startswith("In het derde kwartaal van 2025 stroomden geen nieuwe inburgeraars in.")
    assert "begon 1 plaatsing in vrijwilligerswerk" in zin("vrijwilligerswerk_plaatsingen", Q, aantal(1))
    assert "1.234 nieuwe inburgeraars" in zin("instroom", Q, aantal(1234))


def test_singular_and_plural_shares():
    assert "kreeg er 1 (8,3 %) binnen tien weken een PIP" in zin("pip_binnen_10_weken_pct", Q, aandeel(1, 12))
    assert "kregen er 2 (16,7 %)" in zin("pip_binnen_10_weken_pct", Q, aandeel(2, 12))
    assert "kregen er geen binnen tien weken een PIP" in zin("pip_binnen_10_weken_pct", Q, aandeel(0, 12))
    assert "werd er 1 (10 %) gehaald" in zin("examen_geslaagd_pct", Q, aandeel(1, 10))


def test_goal_summary_singular_plural():
    assert doelen_samenvatting(["op_koers", "risico", "risico", "niet_gehaald"]) == (
        "Van de 4 beleidsdoelen is 1 op koers, lopen er 2 risico en is 1 niet gehaald.")
    assert doelen_samenvatting(["op_koers", "op_koers"]) == "Van de 2 beleidsdoelen zijn er 2 op koers."
    assert doelen_samenvatting(["risico"]) == "Het enige beleidsdoel heeft de status 'risico'."
    assert "geen beleidsdoelen" in doelen_samenvatting([])


# --- suppressed and missing --------------------------------------------------------------------------

def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)?", text))


def test_suppressed_current_value_states_no_number():
    s = zin("pip_binnen_10_weken_pct", Q, ONDERDRUKT, aandeel(20, 40), aandeel(5, 40))
    assert "geen cijfer te publiceren" in s and "te weinig inburgeraars" in s
    assert _numbers(s) == {"2025"}  # only the year: no value, no comparison with the visible quarters
    s = zin("instroom", Q, ONDERDRUKT, aantal(12))
    assert "het aantal is te klein" in s and _numbers(s) == {"2025"}


def test_suppressed_comparison_is_not_compared():
    s = zin("instroom", Q, aantal(42), ONDERDRUKT, aantal(30))
    assert "tegen" not in s.split(".")[0]
    assert "Voor het vorige kwartaal is het cijfer niet te publiceren (te weinig gevallen)." in s
    assert "steeg ten opzichte van hetzelfde kwartaal een jaar eerder (30)" in s
    s = zin("pip_binnen_10_weken_pct", Q, aandeel(20, 40), ONDERDRUKT, ONDERDRUKT)
    assert "Voor het vorige kwartaal en hetzelfde kwartaal een jaar eerder is het cijfer niet te publiceren" in s
    assert not ({"steeg", "daalde", "gelijk"} & set(s.split()))


def test_missing_values():
    s = zin("voldaan_binnen_termijn_pct", Q, Cijfer())
    assert "geen cijfer" in s and "geen gevallen" in s
    s = zin("pip_binnen_10_weken_pct", Q, aandeel(20, 40), Cijfer(), aandeel(10, 40))
    assert "Voor het vorige kwartaal is geen cijfer beschikbaar." in s
    assert "steeg ten opzichte van hetzelfde kwartaal een jaar eerder (25 %)" in s


def test_peer_sentence_skips_hidden_groups():
    s = vergelijk_groepen("Almelo", "PIP binnen 10 weken", aandeel(13, 33), "aandeel",
                          [("alle geladen gemeenten samen", Cijfer(31.8, 1, 100)), ("de regio X", ONDERDRUKT),
                           ("de provincie Y", Cijfer(39.4, 1, 100))])
    assert s == ("PIP binnen 10 weken: Almelo ligt met 39,4 % boven alle geladen gemeenten samen (31,8 %) "
                 "en gelijk aan de provincie Y (39,4 %).")
    assert vergelijk_groepen("Almelo", "x", ONDERDRUKT, "aandeel", [("a", Cijfer(3.0, 1, 100))]) == ""


def test_group_rows_hidden_when_the_rest_of_the_group_is_small():
    raw = pd.DataFrame([
        # the rest of the group after the gemeente: 45 - 40 = 5 persons -> hidden
        ("pip_binnen_10_weken_pct", "G1", Q, "alle", None, 20, 45, 44.4, 3),
        # rest 60 persons -> shown
        ("pip_binnen_10_weken_pct", "G2", Q, "alle", None, 30, 100, 30.0, 3),
        # one member with data -> hidden
        ("pip_binnen_10_weken_pct", "G3", Q, "alle", None, 18, 40, 45.0, 1),
        # noemer under 10 -> hidden (primary rule)
        ("welkomgesprek_binnen_6_weken_pct", "G2", Q, "alle", None, 5, 9, 55.6, 3),
    ], columns=["indicator", "groep_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde",
                "aantal_gemeenten"])
    eigen = pd.DataFrame([("pip_binnen_10_weken_pct", "GM1", Q, "alle", None, 16.0, 40.0, 40.0, False)],
                         columns=["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer",
                                  "waarde", "onderdrukt"])
    out = onderdruk_groepen(raw, eigen).set_index(["indicator", "groep_code"])
    assert bool(out.loc[("pip_binnen_10_weken_pct", "G1"), "onderdrukt"])
    assert not bool(out.loc[("pip_binnen_10_weken_pct", "G2"), "onderdrukt"])
    assert bool(out.loc[("pip_binnen_10_weken_pct", "G3"), "onderdrukt"])
    assert bool(out.loc[("welkomgesprek_binnen_6_weken_pct", "G2"), "onderdrukt"])
    assert pd.isna(out.loc[("pip_binnen_10_weken_pct", "G1"), "waarde"])
