"""Every kind of defect in sample_exports/defect is rejected or quarantined as its README says."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from pipelines.load import load_paths
from pipelines.settings import SAMPLE_EXPORTS_DIR
from tests.conftest import query

DEFECTS = SAMPLE_EXPORTS_DIR / "defect"
TODAY = date(2026, 11, 23)

# file -> (status, rows read, rows quarantined, text in the message or in every quarantine reason)
EXPECTED = {
    "kapotte_zip.zip": ("afgewezen", None, None, "geen geldig zip-bestand"),
    "leeg_bestand/personen.csv": ("afgewezen", None, None, "het bestand is leeg"),
    "alleen_kopregel/personen.csv": ("afgewezen", None, None, "geen gegevensrijen"),
    "geen_kopregel/personen.csv": ("afgewezen", None, None, "geen kopregel"),
    "onleesbaar/personen.csv": ("afgewezen", None, None, "geen UTF-8"),
    "kolom_ontbreekt/personen.csv": ("afgewezen", None, None, "verplichte kolom 'doelgroep' ontbreekt"),
    "kolom_ontbreekt_examens/examens.csv": ("afgewezen", None, None, "verplichte kolom 'resultaat' ontbreekt"),
    "kolom_ontbreekt_examens/personen.csv": ("geladen", 12, 0, None),
    "meerdere_peildatums/personen.csv": ("afgewezen", None, None, "meer dan één peildatum (2026-03-31, 2026-06-30)"),
    "peildatum_toekomst/personen.csv": ("afgewezen", None, None, "de peildatum ligt in de toekomst (2099-01-01)"),
    "peildatum_toekomst/uren.csv": ("afgewezen", None, None, "de peildatum ligt in de toekomst"),
    "verplichte_waarde_leeg/personen.csv": ("geladen", 12, 2, "verplichte waarde ontbreekt"),
    "verplichte_waarde_leeg/examens.csv": ("geladen", None, 1, "resultaat: verplichte waarde ontbreekt"),
    "code_buiten_lijst/personen.csv": ("geladen", 12, 3, "niet in de codelijst"),
    "code_buiten_lijst/examens.csv": ("geladen", 59, 1, "onderdeel: waarde niet in de codelijst"),
    "code_buiten_lijst/activiteiten.csv": ("geladen", 11, 1, "soort: waarde niet in de codelijst"),
    "code_buiten_lijst/gesprekken.csv": ("geladen", None, 1, "soort: waarde niet in de codelijst"),
    "datum_ongeldig/personen.csv": ("geladen", 12, 2, "geen geldige datum"),
    "datum_ongeldig/activiteiten.csv": ("geladen", 10, 1, "datum_start: geen geldige datum"),
    "getal_ongeldig/personen.csv": ("geladen", 12, 1, "geboortejaar: geen geheel getal"),
    "getal_ongeldig/activiteiten.csv": ("geladen", 6, 1, "uren_per_week: geen geldig getal"),
    "getal_ongeldig/uren.csv": ("geladen", 51, 1, "uren_taal: geen geldig getal"),
    "getal_ongeldig/examens.csv": ("geladen", 61, 1, "poging: geen geheel getal"),
    "getal_buiten_bereik/uren.csv": ("geladen", 12, 1, "uren_participatie: kleiner dan 0"),
    "getal_buiten_bereik/activiteiten.csv": ("geladen", 9, 1, "uren_per_week: kleiner dan 0"),
    "getal_buiten_bereik/examens.csv": ("geladen", 57, 1, "poging: kleiner dan 1"),
    "bsn_elfproef/personen.csv": ("geladen", 12, 2, "bsn: geen geldig BSN"),
    "geboortejaar_buiten_bereik/personen.csv": ("geladen", 12, 2, "geboortejaar: buiten het toegestane bereik"),
    "datum_na_peildatum/personen.csv": ("geladen", 12, 1, "datum_welkomgesprek: ligt na de peildatum"),
    "datum_na_peildatum/examens.csv": ("geladen", 35, 1, "datum_examen: ligt na de peildatum"),
    "datum_na_peildatum/gesprekken.csv": ("geladen", None, 1, "datum_gesprek: ligt na de peildatum"),
    "maand_na_peildatum/uren.csv": ("geladen", 37, 1, "maand: ligt na de peildatum"),
    "volgorde_huisvesting_voor_koppeling/personen.csv": ("geladen", 12, 1, "datum_huisvesting ligt vóór datum_koppeling"),
    "volgorde_pip_actueel_voor_initieel/personen.csv": ("geladen", 12, 1, "datum_pip_actueel ligt vóór datum_pip_initieel"),
    "volgorde_pip_voor_plicht/personen.csv": ("geladen", 12, 1, "PIP vóór de plicht"),
    "volgorde_einde_voor_start/personen.csv": ("geladen", 12, 1, "datum_einde_ontzorgen ligt vóór datum_start_ontzorgen"),
    "volgorde_einde_voor_start/activiteiten.csv": ("geladen", 12, 1, "datum_einde ligt vóór datum_start"),
    "dubbele_sleutel/personen.csv": ("geladen", 14, 4, "dubbele sleutel"),
    "wees_kindrijen/examens.csv": ("geladen", 96, 2, "persoon komt niet voor in personen"),
    "wees_kindrijen/activiteiten.csv": ("geladen", 18, 1, "persoon komt niet voor in personen"),
    "wees_kindrijen/gesprekken.csv": ("geladen", None, 1, "persoon komt niet voor in personen"),
    "wees_kindrijen/uren.csv": ("geladen", 29, 1, "persoon komt niet voor in personen"),
    "leerroute_ontbreekt/personen.csv": ("geladen", 12, 1, "leerroute_initieel: verplicht als datum_pip_initieel"),
    "toekomstige_einddatums/personen.csv": ("geladen", 14, 0, None),
    "toekomstige_einddatums/activiteiten.csv": ("geladen", 8, 0, None),
    "ondertussengroep/personen.csv": ("geladen", 12, 0, None),
    "regiesysteem_foute_rijen/Inburgering_klanten_20260630.csv": ("geladen", 12, 3, None),
    "regiesysteem_foute_rijen/Inburgering_examens_20260630.csv": ("geladen", 46, 1, "resultaat: waarde niet in de codelijst"),
    "zip_geldig.zip/GM0437_ouder-amstel/personen.csv": ("geladen", 12, 0, None),
}


@pytest.fixture(scope="module")
def defect_load(tmp_path_factory):
    """Every defect delivery but the older snapshot (which needs the demo) in one load."""
    folder = tmp_path_factory.mktemp("defect") / "defect"
    shutil.copytree(DEFECTS, folder, ignore=shutil.ignore_patterns("oudere_snapshot"))
    wh = folder.parent / "wh.duckdb"
    report = load_paths([folder], wh, today=TODAY)
    return {f.file_name.split("defect/", 1)[1]: f for f in report.files}, wh


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_defect_outcome(defect_load, name):
    results, wh = defect_load
    status, read, quarantined, text = EXPECTED[name]
    f = results[name]
    assert f.status == status, f.message
    if status == "afgewezen":
        assert text in f.message and name.split("/")[-1] in f.message
        return
    if read is not None:
        assert f.rows_read == read
    assert f.rows_quarantined == quarantined
    assert f.rows_read == f.rows_loaded + f.rows_quarantined
    reasons = query(wh, "SELECT row_number, reasons FROM quarantine WHERE file_name LIKE ?", [f"%{name}"])
    assert len(reasons) == quarantined
    if text:
        assert all(any(text in r for r in rs) for _, rs in reasons), reasons
    assert all(n >= 2 for n, _ in reasons)   # spreadsheet row numbers: the header is row 1


def test_nothing_goes_missing(defect_load):
    results, wh = defect_load
    assert query(wh, "SELECT count(*) FROM load_log WHERE rows_read <> rows_loaded + rows_quarantined") == [(0,)]
    loaded = {f.file_name for f in results.values() if f.status == "geladen"}
    assert {r[0] for r in query(wh, "SELECT file_name FROM load_log")} == loaded
    for table in ("personen", "examens", "activiteiten", "gesprekken", "uren"):
        per_file = query(wh, f"SELECT file_name, count(*) FROM raw_{table} GROUP BY ALL")
        for file_name, n in per_file:
            assert n == next(f.rows_loaded for f in results.values() if f.file_name == file_name)


def test_wi2013_rows_are_loaded_but_kept_out_of_indicators(defect_load):
    _, wh = defect_load
    wi2013 = query(wh, "SELECT count(*) FROM mart_personen WHERE wi2013 AND gemeente_code = 'GM0335'")[0][0]
    assert wi2013 == 2
    total = query(wh, "SELECT count(*) FROM mart_personen WHERE gemeente_code = 'GM0335'")[0][0]
    counted = query(wh, "SELECT sum(teller) FROM mart_indicatoren WHERE indicator = 'instroom' "
                        "AND gemeente_code = 'GM0335' AND doelgroep = 'alle' AND length(periode) = 4")[0][0]
    assert counted == total - wi2013


def test_older_snapshot_after_the_demo_is_refused_unless_forced(demo_warehouse, tmp_path):
    wh = tmp_path / "wh.duckdb"
    shutil.copyfile(demo_warehouse, wh)
    before = wh.read_bytes()
    report = load_paths([DEFECTS / "oudere_snapshot"], wh, today=TODAY)
    assert len(report.rejected) == 1
    assert "ouder dan de geladen snapshot voor GM0034 (geladen: 30-09-2026)" in report.rejected[0].message
    assert wh.read_bytes() == before
    report = load_paths([DEFECTS / "oudere_snapshot"], wh, force=True, today=TODAY)
    assert report.files[0].status == "geladen"
    assert query(wh, "SELECT peildatum FROM snapshot_current WHERE gemeente_code = 'GM0034' "
                     "AND target_table = 'personen'") == [(date(2025, 6, 30),)]
