"""Periods as mart_indicatoren writes them: a year 'YYYY' or a quarter 'YYYY-Qn'."""
from __future__ import annotations

import datetime as dt
import re

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse(periode: str) -> tuple[int, int | None]:
    """'2024' -> (2024, None); '2024-Q3' -> (2024, 3). ValueError otherwise."""
    text = str(periode).strip()
    if m := _YEAR.match(text):
        return int(m.group(1)), None
    if m := _QUARTER.match(text):
        return int(m.group(1)), int(m.group(2))
    raise ValueError(f"geen periode (JJJJ of JJJJ-Qn): {periode!r}")


def soort(periode: str) -> str:
    """'jaar' or 'kwartaal'."""
    return "jaar" if parse(periode)[1] is None else "kwartaal"


def start(periode: str) -> dt.date:
    year, q = parse(periode)
    return dt.date(year, 1 if q is None else 3 * q - 2, 1)


def end(periode: str) -> dt.date:
    """Last day of the period (inclusive)."""
    year, q = parse(periode)
    if q is None or q == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)


def year_earlier(periode: str) -> str:
    """The same period one year earlier: '2024' -> '2023', '2024-Q2' -> '2023-Q2'."""
    year, q = parse(periode)
    return f"{year - 1}" if q is None else f"{year - 1}-Q{q}"


def key(periode: str) -> tuple[int, int]:
    year, q = parse(periode)
    return year, q or 0


def series(first: str, last: str) -> list[str]:
    """Every period of first's kind from first up to and including last (same kind); [] when first > last."""
    (y, q), (ly, lq) = parse(first), parse(last)
    if (q is None) != (lq is None):
        raise ValueError(f"perioden van verschillende soort: {first!r} en {last!r}")
    out = []
    if q is None:
        return [str(year) for year in range(y, ly + 1)]
    while (y, q) <= (ly, lq):
        out.append(f"{y}-Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def containing(day: dt.date, kind: str) -> str:
    """The period of the given kind ('jaar' / 'kwartaal') that holds the day."""
    return f"{day.year}" if kind == "jaar" else f"{day.year}-Q{(day.month - 1) // 3 + 1}"
