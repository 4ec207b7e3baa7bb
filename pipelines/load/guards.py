"""Guards against loading the wrong snapshot: a file named after another gemeente, a snapshot that shrinks.

A folder or file name that names a gemeente (a CBS code such as GM0448, or a name such as `texel` or
`GM0164_hengelo-o`) must name the gemeenten of the file's rows; codes and names of merged gemeenten count
for their successor (data_contracts/reference/, read through pipelines.reference). A snapshot that would
remove more than MAX_SHRINK of a gemeente's current rows of a table is refused unless forced.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipelines.reference.gemeenten import current_code, read_gemeenten, read_herindelingen

MAX_SHRINK = 0.30                     # a snapshot may remove at most this share of a table's current rows
_CODE = re.compile(r"(?<![a-z0-9])(gm\d{4})(?!\d)")


def _tokens(text: str) -> tuple[str, ...]:
    """Lower-case ASCII words: "'s-Hertogenbosch" -> ('s', 'hertogenbosch'), 'Hengelo (O.)' -> ('hengelo', 'o')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("'", "")
    return tuple(re.findall(r"[a-z0-9]+", plain))


@lru_cache(maxsize=1)
def _names() -> dict[tuple[str, ...], tuple[frozenset[str], str]]:
    """Words of every gemeente name (also without its '(…)' part, and names before a merger) -> codes, label."""
    found: dict[tuple[str, ...], tuple[set[str], str]] = {}

    def add(name: str, code: str) -> None:
        for variant in {name, re.sub(r"\s*\(.*?\)", "", name)}:
            words = _tokens(variant)
            if words:
                codes, label = found.setdefault(words, (set(), variant.strip()))
                codes.add(code)

    for row in read_gemeenten():
        add(row["gemeente_naam"], row["gemeente_code"])
    for row in read_herindelingen():
        add(row["oude_gemeente_naam"], current_code(row["oude_gemeente_code"]) or row["oude_gemeente_code"])
    return {words: (frozenset(codes), label) for words, (codes, label) in found.items()}


def _current(code: str) -> str:
    return current_code(code) or code.upper()


def named_gemeenten(file_name: str) -> dict[str, frozenset[str]]:
    """What the folder and file names in `file_name` name: shown text ('GM0448', 'texel') -> current codes."""
    named: dict[str, frozenset[str]] = {}
    names = _names()
    longest = max((len(w) for w in names), default=0)
    for part in re.sub(r"\[[^\]]*\]$", "", file_name).replace("\\", "/").split("/"):
        stem = re.sub(r"\.(csv|txt|xlsx|xlsm|zip)$", "", part, flags=re.IGNORECASE)
        for code in _CODE.findall(stem.lower()):
            named[code.upper()] = frozenset({_current(code)})
        words = _tokens(stem)
        for start in range(len(words)):
            for end in range(min(len(words), start + longest), start, -1):
                hit = names.get(words[start:end])
                if hit:
                    named[hit[1]] = hit[0]
                    break
    return named


def name_conflict(file_name: str, gemeenten: list[str]) -> str | None:
    """A Dutch reason when the names in `file_name` name other gemeenten than the rows hold, else None."""
    named = named_gemeenten(file_name)
    if not named or not gemeenten:
        return None
    allowed = frozenset().union(*named.values())
    strangers = sorted(g for g in gemeenten if _current(g) not in allowed)
    if not strangers:
        return None
    return (f"de map- of bestandsnaam noemt {', '.join(named)}, maar het bestand bevat rijen van "
            f"{', '.join(strangers)}; het bestand is niet geladen. Controleer of dit de juiste export is "
            "en zet het in een map met de juiste gemeentenaam of -code")


def shrink_problem(table: str, old: dict[str, int], new: dict[str, int]) -> str | None:
    """A Dutch reason when the new rows would remove more than MAX_SHRINK of a gemeente's current rows."""
    shrinking = [(g, n, new.get(g, 0)) for g, n in sorted(old.items()) if n and new.get(g, 0) < n * (1 - MAX_SHRINK)]
    if not shrinking:
        return None
    what = "personen" if table == "personen" else f"rijen in {table}"
    shown = "; ".join(f"{g} van {n} naar {m} {what} (-{round(100 * (n - m) / n)} %)" for g, n, m in shrinking)
    return (f"deze snapshot zou meer dan {round(100 * MAX_SHRINK)} % van de huidige {what} verwijderen: {shown}. "
            "Controleer of dit de juiste export is; gebruik --force om hem toch te laden")
