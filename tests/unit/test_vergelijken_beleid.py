"""Builders of the Vergelijken, Beleidsdoelen, Datakwaliteit and Definities pages, without a browser.

A tiny warehouse is written by hand (the lead's table layouts), with the real publication step
(`publish`) for the small-number protection of gemeente rows.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from dashboards import beleid, definities, kwaliteit, layouts
from dashboards import figures as fg
from dashboards import vergelijken as vg
from pipelines.indicators.engine import publish, registry

COLUMNS = ["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]
GROEP_COLUMNS = ["indicator", "groep_code", "groep_soort", "groep_naam", "periode", "doelgroep", "categorie", "teller",
                 "noemer", "waarde", "ci_onder", "ci_boven", "aantal_gemeenten", "inwoners"]
GEMEENTEN = [("GM0034", "Almere", 226500), ("GM0384", "Diemen", 32000), ("GM0141", "Almelo", 73000),
             ("GM0363", "Amsterdam", 930000), ("GM0050", "Zeewolde", 23000)]


def share(gemeente, periode, teller, noemer, indicator="pip_binnen_10_weken_pct", doelgroep="alle"):
    return (indicator, gemeente, periode, doelgroep, None, teller, noemer, 100.0 * teller / noemer)


def count(gemeente, periode, n, indicator="vrijwilligerswerk_plaatsingen", doelgroep="alle"):
    return (indicator, gemeente, periode, doelgroep, None, n, None, float(n))


RECORDS = [
    share("GM0034", "2025", 60, 200), share("GM0384", "2025", 4, 8),      # Diemen: noemer 8 -> hidden
    share("GM0141", "2025", 50, 100), share("GM0363", "2025", 300, 1000),
    share("GM0050", "2025", 2, 5), count("GM0050", "2025", 4),             # Zeewolde: both hidden
    share("GM0034", "2025-Q2", 10, 40), share("GM0034", "2025-Q3", 20, 40),
    count("GM0034", "2025", 50), count("GM0384", "2025", 3), count("GM0141", "2025", 0), count("GM0363", "2025", 90),
    ("instroom", "GM0034", "2025-Q2", "alle", None, 116, None, 116.0),
    ("instroom", "GM0034", "2025-Q3", "alle", None, 110, None, 110.0),
    ("brede_intake_gestart_pct", "GM0034", "2022", "asiel", None, 40, 100, 40.0),
]


def group(groep_code, soort, naam, indicator, periode, teller, noemer, n_gemeenten, inwoners, waarde=None):
    w = waarde if waarde is not None else (100.0 * teller / noemer if noemer else float(teller))
    return (indicator, groep_code, soort, naam, periode, "alle", None, teller, noemer, w, None, None, n_gemeenten,
            inwoners)


GROEP_RECORDS = [
    group("GELADEN", "alle_geladen", "Alle geladen gemeenten", "pip_binnen_10_weken_pct", "2025", 414, 1308, 4,
          1261500),
    group("AM18", "arbeidsmarktregio", "Groot Amsterdam", "pip_binnen_10_weken_pct", "2025", 304, 1008, 2, 962000),
    group("GELADEN", "alle_geladen", "Alle geladen gemeenten", "vrijwilligerswerk_plaatsingen", "2025", 143, None, 4,
          1261500),
    group("KLEIN", "regio", "Kleine regio", "pip_binnen_10_weken_pct", "2025", 4, 8, 1, 32000),
]


def build(path: Path, *, groepen: bool = True) -> Path:
    """A tiny warehouse with every table these pages read."""
    con = duckdb.connect(str(path))
    frame = pd.DataFrame(RECORDS, columns=COLUMNS)
    con.execute("CREATE TABLE mart_indicatoren(indicator VARCHAR, gemeente_code VARCHAR, periode VARCHAR, "
                "doelgroep VARCHAR, categorie VARCHAR, teller BIGINT, noemer BIGINT, waarde DOUBLE)")
    con.execute("INSERT INTO mart_indicatoren SELECT * FROM frame")
    ref = pd.DataFrame(GEMEENTEN, columns=["gemeente_code", "gemeente_naam", "inwoners"])
    con.execute("CREATE TABLE ref_gemeenten AS SELECT * FROM ref")
    if groepen:
        con.execute("CREATE TABLE ref_groepen AS SELECT * FROM (VALUES "
                    "('AM18', 'arbeidsmarktregio', 'Groot Amsterdam', 'GM0384'), "
                    "('AM18', 'arbeidsmarktregio', 'Groot Amsterdam', 'GM0363'), "
                    "('AM11', 'arbeidsmarktregio', 'Flevoland', 'GM0034'), "
                    "('KLEIN', 'regio', 'Kleine regio', 'GM0384')) t(groep_code, groep_soort, groep_naam, gemeente_code)")
    g = pd.DataFrame(GROEP_RECORDS, columns=GROEP_COLUMNS)
    con.execute("CREATE TABLE mart_indicatoren_groepen AS SELECT * FROM g")
    con.execute("CREATE TABLE snapshot_current(gemeente_code VARCHAR, target_table VARCHAR, peildatum DATE)")
    for code, *_ in GEMEENTEN:
        con.execute("INSERT INTO snapshot_current VALUES (?, 'personen', DATE '2026-09-30')", [code])
    meta = pd.DataFrame([{k: (", ".join(v) if isinstance(v, list) else v) for k, v in e.items() if k != "sql"}
                         for e in registry()])
    con.execute("CREATE TABLE mart_indicator_definities AS SELECT * FROM meta")
    publish(con)
    doelen = pd.DataFrame([
        ("GM0034", "pip_doel", "Iedereen een PIP binnen 10 weken", "pip_binnen_10_weken_pct", "alle", None, p, 100.0,
         "minimaal", None, w, t, n, lo, hi, s, uitleg, "Testbron", "wet")
        for p, w, t, n, lo, hi, s, uitleg in [
            ("2025-Q2", 25.0, 10, 40, 14.2, 40.2, "niet_gehaald", "Waarde 25,0 % < streefwaarde 100 %."),
            ("2025-Q3", 50.0, 20, 40, 35.2, 64.8, "niet_gehaald", "Waarde 50,0 % < streefwaarde 100 %."),
            ("2026-Q3", 60.0, 30, 50, 46.2, 72.3, "risico", "Voorlopig: de periode loopt nog."),
            ("2026-Q4", None, None, None, None, None, "nog_niet_meetbaar", "Geen gegevens."),
        ]], columns=["gemeente_code", "doel_id", "titel", "indicator", "doelgroep", "categorie", "periode",
                     "streefwaarde", "richting", "marge", "waarde", "teller", "noemer", "ci_onder", "ci_boven",
                     "status", "toelichting", "bron", "streefwaarde_herkomst"])
    con.execute("CREATE TABLE mart_beleidsdoelen AS SELECT * FROM doelen")
    con.execute("CREATE TABLE load_log(load_id VARCHAR, file_name VARCHAR, file_sha256 VARCHAR, gemeente_codes VARCHAR[], "
                "peildatum DATE, target_table VARCHAR, profile VARCHAR, rows_read BIGINT, rows_loaded BIGINT, "
                "rows_quarantined BIGINT, status VARCHAR, message VARCHAR, loaded_at TIMESTAMP)")
    con.execute("INSERT INTO load_log VALUES ('L1', 'a/personen.csv', 'x', ['GM0034'], DATE '2026-09-30', 'personen', "
                "'canoniek', 12, 10, 2, 'geladen', '2 rij(en) in quarantaine', TIMESTAMP '2026-10-02 09:15:00'), "
                "('L1', 'a/examens.csv', 'y', ['GM0034'], DATE '2026-09-30', 'examens', 'canoniek', 5, 5, 0, "
                "'geladen', 'geladen', TIMESTAMP '2026-10-02 09:15:01')")
    con.execute("CREATE TABLE dq_results(load_id VARCHAR, file_name VARCHAR, target_table VARCHAR, expectation VARCHAR, "
                "kolom VARCHAR, niveau VARCHAR, regel VARCHAR, reden VARCHAR, success BOOLEAN, element_count BIGINT, "
                "unexpected_count BIGINT, validated_at TIMESTAMP)")
    con.execute("INSERT INTO dq_results VALUES ('L1', 'a/personen.csv', 'personen', 'e1', 'doelgroep', 'rij', 'code', "
                "'doelgroep: waarde niet in de codelijst (asiel, gezin, overig)', false, 12, 2, now()), "
                "('L1', 'a/personen.csv', 'personen', 'e2', 'peildatum', 'bestand', 'leeg', 'leeg bestand', true, 1, 0, "
                "now())")
    con.execute("CREATE TABLE quarantine(load_id VARCHAR, file_name VARCHAR, target_table VARCHAR, row_number BIGINT, "
                "reasons VARCHAR[], record JSON)")
    con.execute("""INSERT INTO quarantine VALUES
        ('L1', 'a/personen.csv', 'personen', 2, ['doelgroep: waarde niet in de codelijst (asiel, gezin, overig)'],
         '{"client_id": "K-GEHEIM-1", "herkomstland": "Geheimland"}'),
        ('L1', 'a/personen.csv', 'personen', 3, ['doelgroep: waarde niet in de codelijst (asiel, gezin, overig)',
         'geslacht: waarde niet in de codelijst (M, V, X)'], '{"client_id": "K-GEHEIM-2"}')""")
    con.close()
    return path


@pytest.fixture
def wh(tmp_path) -> Path:
    return build(tmp_path / "warehouse.duckdb")


def as_json(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def defs(wh):
    return vg.definities(wh)


def data_for(wh, indicator="pip_binnen_10_weken_pct", gemeente="GM0034", groep_code="GELADEN", periode="2025",
             doelgroep="alle"):
    groepen = vg.groepen_van(gemeente, wh)
    groep = groepen[groepen["groep_code"] == groep_code].iloc[0].to_dict()
    naam = dict((c, n) for c, n, _ in GEMEENTEN)[gemeente]
    return vg.vergelijk_data(indicator, None, gemeente, naam, periode, doelgroep, groep, defs(wh), wh)


# --- Funnel limits ----------------------------------------------------------------------------

def test_funnel_limits_are_binomial_normal_limits_around_the_group_value():
    lo, hi = vg.funnel_limits(50.0, [100], vg.Z95)
    assert lo[0] == pytest.approx(50 - 1.959963984540054 * 5, abs=1e-9)
    assert hi[0] == pytest.approx(50 + 1.959963984540054 * 5, abs=1e-9)
    lo998, hi998 = vg.funnel_limits(50.0, [100], vg.Z998)
    assert lo998[0] < lo[0] and hi998[0] > hi[0]
    # Narrower with more cases; never outside 0-100 %.
    lo_big, hi_big = vg.funnel_limits(50.0, [10000], vg.Z95)
    assert hi_big[0] - lo_big[0] < hi[0] - lo[0]
    lo_small, hi_small = vg.funnel_limits(5.0, [10], vg.Z998)
    assert lo_small[0] == 0.0 and 0 < hi_small[0] <= 100
    assert np.all(vg.funnel_limits(100.0, [10, 50], vg.Z95)[1] == 100.0)


def test_ligging_in_words():
    assert vg.ligging(50, 40, 60, 35, 65) == "binnen de grenzen"
    assert vg.ligging(62, 40, 60, 35, 65) == "boven de grens (95 %)"
    assert vg.ligging(70, 40, 60, 35, 65) == "ver boven de grens (99,8 %)"
    assert vg.ligging(30, 40, 60, 35, 65) == "ver onder de grens (99,8 %)"


# --- Peer-group rows are protected before they are shown --------------------------------------

def test_group_rows_are_suppressed_like_gemeente_rows():
    rows = pd.DataFrame([
        group("A", "regio", "A", "pip_binnen_10_weken_pct", "2025", 4, 8, 1, 1000),      # share over < 10
        group("B", "regio", "B", "pip_binnen_10_weken_pct", "2025", 40, 80, 3, 1000),    # fine
        group("C", "regio", "C", "vrijwilligerswerk_plaatsingen", "2025", 3, None, 2, 1000),  # count 1-4
        group("D", "regio", "D", "vrijwilligerswerk_plaatsingen", "2025", 0, None, 2, 1000),  # zero: shown
    ], columns=GROEP_COLUMNS)
    out = vg.beschermde_groep_rows(rows).set_index("groep_code")
    assert out.loc["A", "onderdrukt"] and pd.isna(out.loc["A", "waarde"]) and pd.isna(out.loc["A", "noemer"])
    assert not out.loc["B", "onderdrukt"] and out.loc["B", "waarde"] == 50.0
    assert out.loc["C", "onderdrukt"] and pd.isna(out.loc["C", "teller"])
    assert not out.loc["D", "onderdrukt"] and out.loc["D", "teller"] == 0


def test_group_value_hidden_when_exactly_one_member_is_hidden():
    row = pd.DataFrame([group("B", "regio", "B", "pip_binnen_10_weken_pct", "2025", 44, 88, 2, 1000)],
                       columns=GROEP_COLUMNS)
    one_hidden = pd.DataFrame({"onderdrukt": [True, False]})
    two_hidden = pd.DataFrame({"onderdrukt": [True, True, False]})
    g1 = vg.groep_figuur(row, one_hidden, "aandeel")
    assert g1["onderdrukt"] and g1["waarde"] is None and g1["teller"] is None and "verraden" in g1["reden"]
    g2 = vg.groep_figuur(row, two_hidden, "aandeel")
    assert not g2["onderdrukt"] and g2["waarde"] == 50.0


def test_small_group_from_the_warehouse_is_not_shown(wh):
    data = data_for(wh, gemeente="GM0384", groep_code="KLEIN")
    assert data.groep["onderdrukt"] and data.groep["waarde"] is None
    view = vg.rang_table(data)
    label, cells = [r for r in view.rows if r[0].startswith("Groep:")][0]
    assert cells[0].display() == "–"
    assert "4" not in view.to_csv().split("Groep:")[1].split("\r\n")[0].replace("95%", "")


# --- Vergelijken data, tables and figures -----------------------------------------------------

def test_members_ranked_with_suppressed_member_never_zero(wh):
    data = data_for(wh)
    assert data.groep_label == "Alle geladen gemeenten"
    assert data.groep["waarde"] == pytest.approx(100 * 414 / 1308)
    view = vg.rang_table(data)
    labels = [r[0] for r in view.rows]
    # highest share first; the hidden gemeente (Diemen, noemer 8) after the shown ones
    assert labels[:3] == ["Almelo", "Almere (gekozen)", "Amsterdam"]   # a tie is ordered by name
    assert labels[3:5] == ["Diemen", "Zeewolde"]
    diemen = dict(view.rows)["Diemen"]
    assert [c.display() for c in diemen] == ["–", "–", "–", "–", "<10"]
    almere = dict(view.rows)["Almere (gekozen)"]
    assert almere[0].display() == "30,0 %" and almere[-1].display() == "200"
    assert labels[-1] == "Groep: Alle geladen gemeenten"
    assert "onderdrukt: te klein aantal" in " ".join(view.footnotes())
    csv = view.to_csv()
    assert csv.startswith("\ufeffGemeente;Waarde (procent);95%-interval ondergrens")
    assert "Almere (gekozen);30,0;" in csv


def test_peer_group_choice_limits_members(wh):
    groepen = vg.groepen_van("GM0384", wh)
    assert groepen["groep_code"].tolist() == ["GELADEN", "AM18", "KLEIN"]
    assert vg.groep_label(groepen.iloc[1]) == "Arbeidsmarktregio Groot Amsterdam"
    data = data_for(wh, gemeente="GM0384", groep_code="AM18")
    assert sorted(data.leden["gemeente_code"]) == ["GM0363", "GM0384"]
    # one of the two members is hidden: the group value would reveal it
    assert data.groep["onderdrukt"]


def test_without_ref_groepen_only_all_loaded(tmp_path):
    wh = build(tmp_path / "w.duckdb", groepen=False)
    assert vg.groepen_van("GM0034", wh)["groep_code"].tolist() == ["GELADEN"]
    assert len(vg.groep_leden("AM18", wh)) == 5


def test_counts_shown_per_1000_inhabitants_and_small_counts_hidden(wh):
    data = data_for(wh, indicator="vrijwilligerswerk_plaatsingen")
    leden = data.leden.set_index("gemeente_code")
    assert leden.loc["GM0034", "toon"] == pytest.approx(1000 * 50 / 226500)
    assert leden.loc["GM0141", "toon"] == 0.0
    assert leden.loc["GM0384", "onderdrukt"] and pd.isna(leden.loc["GM0384", "toon"])
    assert data.eenheid_weergave == "plaatsingen per 1.000 inwoners"
    # the group figure is per 1,000 inhabitants of the group
    assert data.groep["waarde"] == pytest.approx(1000 * 143 / 1261500)
    view = vg.rang_table(data)
    assert dict(view.rows)["Diemen"][1].display() == "<5"
    assert any("1.000 inwoners" in n for n in view.notes)


def test_national_reference_only_where_domain_has_one(wh):
    assert vg.landelijk("brede_intake_gestart_pct", None, "2022", "asiel")[0] == 35.0
    assert "CBS" in vg.landelijk("brede_intake_gestart_pct", None, "2022", "asiel")[2]
    assert vg.landelijk("pip_binnen_10_weken_pct", None, "2023-Q1", "alle")[0] == 37.0
    assert vg.landelijk("pip_binnen_10_weken_pct", None, "2025", "alle") is None
    data = data_for(wh, indicator="brede_intake_gestart_pct", periode="2022", doelgroep="asiel")
    view = vg.rang_table(data)
    assert view.rows[-1][0].startswith("Landelijk") and view.rows[-1][1][0].display() == "35,0 %"
    assert any("CBS" in n for n in view.notes)
    fig = go.Figure(vg.rang_figure(data))
    assert any("Landelijk" in (a.text or "") for a in fig.layout.annotations)


def test_rank_figure_highlights_the_chosen_gemeente_and_marks_hidden(wh):
    raw = vg.rang_figure(data_for(wh))
    fig = go.Figure(raw)   # a plain dict (figuur_json): valid for Plotly, no unknown attribute
    assert raw["layout"]["template"] is fg.HOUSE_TEMPLATE_JSON
    chosen = [t for t in fig.data if t.name == "Almere"][0]
    assert chosen.marker.color == vg.KLEUR_GEKOZEN and list(chosen.y) == ["Almere (gekozen)"]
    assert list(chosen.x) == [30.0]
    assert chosen.error_x.array[0] > 0   # 95 % interval drawn
    text = [t for t in fig.data if t.mode == "text"][0]
    assert list(text.text) == ["onderdrukt", "onderdrukt"] and sorted(text.y) == ["Diemen", "Zeewolde"]
    assert fig.to_plotly_json()["layout"]["template"]["layout"]["separators"] == ",."  # house template, sent along
    assert any("Groep" in (a.text or "") for a in fig.layout.annotations)


def test_funnel_figure_and_table(wh):
    data = data_for(wh)
    fig = go.Figure(vg.trechter_figure(data))
    names = [t.name for t in fig.data]
    assert "95%-grens" in names and "99,8%-grens" in names
    points = [t for t in fig.data if t.mode and "markers" in t.mode]
    assert sum(len(t.x) for t in points) == 3   # Diemen and Zeewolde are hidden, not drawn
    view = vg.trechter_table(data)
    amsterdam = dict(view.rows)["Amsterdam"]
    lo, hi = vg.funnel_limits(100 * 414 / 1308, [1000])
    assert amsterdam[2].value == pytest.approx(lo[0]) and amsterdam[3].value == pytest.approx(hi[0])
    assert dict(view.rows)["Diemen"][-1].display() == "onderdrukt"
    # no funnel for a count
    assert go.Figure(vg.trechter_figure(data_for(wh, indicator="vrijwilligerswerk_plaatsingen"))).layout.annotations


def test_page_state_from_query(wh):
    state = vg.lees_pagina({"gemeente": "GM0034", "indicator": "pip_binnen_10_weken_pct", "groep": "nope"}, wh)
    assert state.filters.periode == "2025" and state.data.groep_code == "GELADEN"
    assert set(vg.table_views(state)) == {"rang", "trechter"}
    assert vg.table_view(state, "trechter") == vg.table_views(state)["trechter"]
    count = vg.lees_pagina({"gemeente": "GM0034", "indicator": "vrijwilligerswerk_plaatsingen"}, wh)
    assert vg.table_view(count, "trechter") is None and vg.table_view(count, "onbekend") is None
    assert set(vg.table_views(count)) == {"rang"}
    page = as_json(vg.pagina(state))
    for needle in ("Hoe doet Almere het vergeleken met andere gemeenten?", "filter-gemeente", "vergelijken-indicator",
                   "vergelijken-groep", "/definities#pip_binnen_10_weken_pct", "Download tabel (Excel)"):
        assert needle in page


def test_indicator_choice_parsing(wh):
    d = defs(wh)
    values = [o["value"] for o in vg.indicator_keuzes(d)]
    assert "instroom" not in values and "instroom_per_1000_inwoners" in values
    assert "leerroute_aandeel_pct:B1" in values
    assert vg.parse_indicator("leerroute_aandeel_pct:Z", vg.indicator_keuzes(d)) == ("leerroute_aandeel_pct", "Z")
    assert vg.parse_indicator("bestaat_niet", vg.indicator_keuzes(d)) == ("pip_binnen_10_weken_pct", None)


# --- Excel and CSV ----------------------------------------------------------------------------

def test_excel_holds_numbers_markers_and_notes(wh):
    view = vg.rang_table(data_for(wh))
    data = fg.table_to_xlsx(view, "Bron: test")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "Almere (gekozen)" in strings and "Bron: test" in strings and "onderdrukt: te klein aantal" in strings
    assert "<v>30</v>" in sheet   # Almere's share is a number, not text
    assert "–" in strings          # Diemen's hidden share is the marker
    sent = layouts.send_table(view, "xlsx", "x")
    assert sent["filename"] == "x.xlsx" and sent["base64"]
    assert layouts.send_table(view, "csv", "x")["filename"] == "x.csv"


# --- Beleidsdoelen ----------------------------------------------------------------------------

def test_goal_status_is_the_latest_ended_measurable_period(wh):
    lijst = beleid.doelen("GM0034", path=wh)
    assert len(lijst) == 1
    doel = lijst[0]
    # 2026-Q3 ended on the peildatum 2026-09-30: it is the latest ended, measurable period
    assert doel.stand["periode"] == "2026-Q3" and doel.stand["status"] == "risico"
    assert beleid.stand_rij(doel.rows, "2025")["periode"] == "2025-Q3"
    assert beleid.stand_rij(doel.rows, "2025-Q2")["status"] == "niet_gehaald"
    rows = doel.rows.copy()
    assert beleid.stand_rij(rows, None, dt.date(2026, 9, 29))["periode"] == "2025-Q3"
    assert beleid.samenvatting(lijst) == {"op_koers": 0, "risico": 1, "niet_gehaald": 0, "nog_niet_meetbaar": 0}


def test_goal_table_and_figure(wh):
    doel = beleid.doelen("GM0034", path=wh)[0]
    view = beleid.doel_table(doel, "Almere")
    assert [r[0] for r in view.rows] == ["2025 K2", "2025 K3", "2026 K3", "2026 K4"]
    first = dict(view.rows)["2025 K2"]
    assert first[0].display() == "25,0 %" and first[5].display() == "Niet gehaald"
    assert dict(view.rows)["2026 K4"][0].display() == "."
    assert "Streefwaarde" in view.columns
    fig = beleid.doel_figure(doel)
    names = [t.name for t in fig.data]
    assert any(n.startswith("Streefwaarde") for n in names)
    assert any("Niet gehaald" in n for n in names) and any("Risico" in n for n in names)
    assert beleid.streef_tekst(doel.stand) == "minimaal 100,0 %"


def test_status_badge_says_it_in_words_and_shape():
    text = as_json(beleid.status_badge("niet_gehaald"))
    assert "Niet gehaald" in text and "✗" in text and "aria-hidden" in text


def test_goal_figure_hidden_where_publication_hides_it(tmp_path):
    wh = build(tmp_path / "w.duckdb")
    con = duckdb.connect(str(wh))
    con.execute("UPDATE mart_beleidsdoelen SET indicator = 'vrijwilligerswerk_plaatsingen', periode = '2025', "
                "waarde = 3, teller = 3, noemer = NULL WHERE periode = '2025-Q2'")
    # as if the publication step had hidden this count (e.g. secondary suppression)
    con.execute("UPDATE mart_indicatoren_publicatie SET onderdrukt = true, teller = NULL, waarde = NULL "
                "WHERE indicator = 'vrijwilligerswerk_plaatsingen' AND gemeente_code = 'GM0034' AND periode = '2025'")
    con.close()
    doel = beleid.doelen("GM0034", path=wh)[0]
    row = doel.rows[doel.rows["periode"] == "2025"].iloc[0]
    assert row["onderdrukt"] and pd.isna(row["waarde"])


def test_page_lists_goals_with_source_text(wh):
    state = beleid.lees_pagina({"gemeente": "GM0034"}, wh)
    page = as_json(beleid.pagina(state))
    assert "Halen we in Almere onze beleidsdoelen?" in page
    assert "Iedereen een PIP binnen 10 weken" in page and "Waarde 50,0 %" not in page.split("Stand")[1][:10]
    assert "Brontekst" in page and "/definities#pip_binnen_10_weken_pct" in page
    empty = beleid.pagina(beleid.lees_pagina({"gemeente": "GM0141"}, wh))
    assert "geen beleidsdoelen" in as_json(empty)


def test_change_since_previous_quarter(wh):
    rows = beleid.verandering_rows("GM0034", "2025-Q3", wh)
    view = beleid.verandering_table(rows, "2025-Q3", "Almere")
    table = dict(view.rows)
    assert [c.display() for c in table["Instroom"]] == ["116", "110", "−6 personen"]
    assert table["PIP binnen 10 weken na inschrijving BRP"][2].display() == "+25,0 procentpunt"
    assert view.columns == ("Indicator", "2025 K2", "2025 K3", "Verandering")
    assert beleid.vorig_kwartaal("2026-Q1") == "2025-Q4"


def test_overzicht_additions(wh):
    extra = as_json(beleid.overzicht_extra("GM0034", "Almere", "2025-Q3", wh))
    assert "Wat veranderde sinds het vorige kwartaal?" in extra and "Halen we onze beleidsdoelen?" in extra
    assert "/beleidsdoelen?gemeente=GM0034" in extra


# --- Datakwaliteit: counts only, never records ------------------------------------------------

def test_quarantine_counts_by_reason_and_type_without_records(wh):
    counts = kwaliteit.quarantaine_telling("GM0034", wh)
    got = {(r.target_table, r.reden): r.rijen for r in counts.itertuples()}
    assert got == {("personen", "doelgroep: waarde niet in de codelijst"): 2,
                   ("personen", "geslacht: waarde niet in de codelijst"): 1}
    state = kwaliteit.lees_pagina({"gemeente": "GM0034"}, wh)
    page = as_json(kwaliteit.pagina(state))
    for view in kwaliteit.table_views(state).values():
        page += view.to_csv()
    assert "GEHEIM" not in page and "Geheimland" not in page
    assert "Hoe betrouwbaar zijn de gegevens van Almere?" in page


def test_load_history_and_contract_results(wh):
    files = kwaliteit.bestanden("GM0034", wh)
    assert len(files) == 2
    personen = files[files["target_table"] == "personen"].iloc[0]
    assert personen["regels"] == 2 and personen["regels_fout"] == 1
    assert personen["fouten"] == "doelgroep: waarde niet in de codelijst (2x)"
    loads = kwaliteit.laadmomenten(files)
    assert loads.iloc[0]["rows_read"] == 17 and loads.iloc[0]["rows_quarantined"] == 2
    view = kwaliteit.laadmomenten_table(loads)
    assert view.rows[0][0] == "2 oktober 2026 09:15"
    assert kwaliteit.bestanden("GM0384", wh).empty
    assert kwaliteit.quarantaine_figure(kwaliteit.quarantaine_telling("GM0384", wh)).layout.annotations


# --- Definities -------------------------------------------------------------------------------

def test_every_indicator_has_an_anchor_and_its_metadata(wh):
    d = definities.definities(wh)
    page = definities.pagina(d)
    ids = set()

    def walk(c):
        if getattr(c, "id", None) and isinstance(c.id, str):
            ids.add(c.id)
        kids = getattr(c, "children", None)
        for k in kids if isinstance(kids, (list, tuple)) else [kids]:
            if hasattr(k, "to_plotly_json"):
                walk(k)

    walk(page)
    assert {e["id"] for e in registry()} <= ids
    text = as_json(page)
    assert "Hoger is beter" in text and "Conventie of bron" in text and "Eenheid" in text
    view = definities.definities_table(d)
    assert len(view.rows) == len(registry())
    assert dict(view.rows)["pip_binnen_10_weken_pct"][5].display() == "Ja: hoger is beter"


def test_default_group_is_all_loaded_for_a_small_set_else_the_provincie():
    groepen = pd.DataFrame([
        {"groep_code": "GELADEN", "groep_soort": "alle_geladen", "groep_naam": "Alle geladen gemeenten"},
        {"groep_code": "PV23", "groep_soort": "provincie", "groep_naam": "Overijssel"},
        {"groep_code": "AM05", "groep_soort": "arbeidsmarktregio", "groep_naam": "Twente"},
    ])
    assert vg.standaard_groep(groepen, 10)["groep_code"] == "GELADEN"
    assert vg.standaard_groep(groepen, vg.STANDAARD_ALLE_MAX)["groep_code"] == "GELADEN"
    assert vg.standaard_groep(groepen, vg.STANDAARD_ALLE_MAX + 1)["groep_code"] == "PV23"
    # without a provincie (no reference groups loaded): all loaded gemeenten
    assert vg.standaard_groep(groepen.iloc[[0, 2]], 342)["groep_code"] == "GELADEN"
    assert vg.standaard_uitleg(10) == ""
    assert "342 gemeenten geladen" in vg.standaard_uitleg(342) and "provincie" in vg.standaard_uitleg(342)
