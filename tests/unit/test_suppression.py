"""Small-number protection for published views."""
from __future__ import annotations

import pandas as pd

from pipelines.indicators.suppression import suppress


def test_small_counts_and_small_noemers_are_hidden_not_zeroed():
    rows = pd.DataFrame({"teller": [3, 0, 7, 2, 4], "noemer": [None, None, None, 8, 20],
                         "waarde": [3.0, 0.0, 7.0, 25.0, 20.0]})
    out = suppress(rows)
    assert out["onderdrukt"].tolist() == [True, False, False, True, False]
    assert out["waarde"].isna().tolist() == [True, False, False, True, False]
    assert out.loc[1, "waarde"] == 0 and out.loc[4, "waarde"] == 20
    assert rows["waarde"].tolist() == [3.0, 0.0, 7.0, 25.0, 20.0]   # the input is untouched
