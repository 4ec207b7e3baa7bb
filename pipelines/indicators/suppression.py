"""Small-number protection for published views (pages, reports, exports that leave the analyst).

Rule (CBS spirit, first version): a count of 1 to 4 is hidden; a share whose noemer is under 10 is
hidden; a median over fewer than 10 cases is hidden. Zero counts are shown: they reveal no person.
The unsuppressed figures stay in the warehouse for analysts.
"""
from __future__ import annotations

import pandas as pd

MIN_COUNT = 5
MIN_NOEMER = 10


def suppress(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of tidy indicator rows with `onderdrukt` set and hidden values blanked."""
    out = df.copy()
    teller = pd.to_numeric(out["teller"], errors="coerce")
    noemer = pd.to_numeric(out["noemer"], errors="coerce")
    is_count = noemer.isna()
    hidden_count = is_count & teller.between(1, MIN_COUNT - 1)
    hidden_ratio = ~is_count & (noemer < MIN_NOEMER)
    out["onderdrukt"] = (hidden_count | hidden_ratio).astype(bool)
    for col in ("teller", "noemer", "waarde"):
        out[col] = out[col].astype("Float64")
        out.loc[out["onderdrukt"], col] = pd.NA
    return out
