"""The contract JSON, the reader and the privacy helpers, without a warehouse."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from pipelines.privacy.bsn import decrypt, elfproef, encrypt, protect_frame
from pipelines.settings import FILE_TYPES, SUITES_DIR
from pipelines.validate.contract import column_types, required_columns, typed_twin
from pipelines.validate.contract_builder import build_suite


@pytest.mark.parametrize("file_type", FILE_TYPES)
def test_committed_suites_match_the_builder(file_type):
    committed = json.loads((SUITES_DIR / f"{file_type}.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(build_suite(file_type))), \
        "run `python -m pipelines.validate.contract_builder` after changing the layout"


def test_suites_cover_the_canonical_layout():
    assert required_columns("personen") == {"peildatum", "gemeente_code", "client_id", "doelgroep", "datum_plicht"}
    assert required_columns("examens") == {"peildatum", "gemeente_code", "client_id", "onderdeel", "datum_examen",
                                           "resultaat"}
    types = column_types("personen")
    assert len(types) == 36 and types["nareiziger"] == "bool" and types["datum_einde_termijn"] == "date"
    rules = {e["meta"]["regel"] for e in json.loads((SUITES_DIR / "personen.json").read_text())["expectations"]}
    assert {"leeg_bestand", "kolom_ontbreekt", "meerdere_peildata", "peildatum_in_toekomst", "verplicht", "code",
            "formaat", "elfproef", "bereik", "na_peildatum", "volgorde", "dubbele_sleutel"} <= rules


def test_future_dates_allowed_only_for_planned_ends():
    for file_type, allowed in [("personen", {"datum_einde_termijn", "datum_einde_ontzorgen"}),
                               ("activiteiten", {"datum_einde"})]:
        suite = json.loads((SUITES_DIR / f"{file_type}.json").read_text())
        checked = {e["meta"]["kolom"] for e in suite["expectations"] if e["meta"]["regel"] == "na_peildatum"}
        dates = {c for c, t in column_types(file_type).items() if t == "date"} - {"peildatum"}
        assert checked == dates - allowed


def test_typed_twins_reject_malformed_values():
    dates = typed_twin(pd.Series(["2024-02-29", "2023-02-29", "31-12-2024", "2024-1-5", None], dtype=object), "date")
    assert dates.notna().tolist() == [True, False, False, False, False]
    numbers = typed_twin(pd.Series(["6", "6,5", "6.5", "zes", "-1"], dtype=object), "decimal")
    assert numbers[0] == 6.0 and pd.isna(numbers[1]) and numbers[2] == 6.5 and pd.isna(numbers[3])
    assert numbers[4] == -1   # parsed: the range rule (>= 0) rejects it, with its own reason
    months = typed_twin(pd.Series(["2024-13", "2024-12"], dtype=object), "month")
    assert months.isna().tolist() == [True, False]


def test_elfproef():
    assert elfproef("111222333") and elfproef("123456782")
    assert not elfproef("123456789") and not elfproef("12345678") and not elfproef("000000000")
    assert not elfproef(None) and not elfproef(float("nan"))


def test_protect_frame_leaves_no_clear_bsn():
    frame = pd.DataFrame({"client_id": ["K1", "111222333", "K3"], "bsn": ["123456782", "", "12345678"]},
                         dtype=object).replace("", None)
    out = protect_frame(frame, "personen")
    assert "bsn" not in out
    assert out["bsn__geldig"].tolist() == [True, None, False]
    assert out["client_id"][1].startswith("P-") and "111222333" not in out.to_string()
    assert "123456782" not in out.to_string()
    token = out["bsn_versleuteld"][0]
    from pipelines.privacy.keys import BSN_KEY, get_key
    assert decrypt(token, get_key(BSN_KEY, create=False)) == "123456782"


def test_decrypt_refuses_a_wrong_key():
    token = encrypt("123456782", b"k" * 32)
    with pytest.raises(Exception):
        decrypt(token, b"x" * 32)
