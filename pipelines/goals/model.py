"""Policy goals (beleidsdoelen): the YAML format, loading and validation.

One file per gemeente (or more, split by theme) in data_contracts/beleidsdoelen/<GMxxxx>_<slug>.yaml;
the format is documented in docs/policy-goals.md. Every problem found is reported at once, each line
naming the file and, where it concerns one goal, the goal id.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipelines.goals import periods
from pipelines.goals.catalog import known_indicators

GOALS_DIR = Path(__file__).resolve().parents[2] / "data_contracts" / "beleidsdoelen"
ENV_DIR = "INBURGERING_DOELEN_DIR"

RICHTINGEN = ("minimaal", "maximaal", "ongeveer", "stijgend", "dalend")
RICHTINGEN_MET_STREEFWAARDE = ("minimaal", "maximaal", "ongeveer")
DOELGROEPEN = ("alle", "asiel", "gezin", "overig")
PERIODE_SOORTEN = ("jaar", "kwartaal")
HERKOMSTEN = ("gemeente", "wet", "afgeleid", "standaard")
FIRST_YEAR = 2022

_FILE_KEYS = {"gemeente_code", "gemeente_naam", "bron", "doelen", "toelichting"}
_REQUIRED_FILE_KEYS = ("gemeente_code", "gemeente_naam", "bron", "doelen")
_GOAL_KEYS = {"id", "titel", "indicator", "categorie", "doelgroep", "streefwaarde", "richting", "marge", "periode",
              "vanaf", "deadline", "bron", "bron_tekst", "streefwaarde_herkomst", "toelichting"}
_REQUIRED_GOAL_KEYS = ("id", "titel", "indicator", "richting", "bron_tekst", "streefwaarde_herkomst")
_GM = re.compile(r"^GM\d{4}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_QUARTER_DEADLINE = re.compile(r"^\d{4}-Q[1-4]$")


class GoalValidationError(ValueError):
    """One or more goal files are invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("Ongeldige beleidsdoelen:\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass(frozen=True)
class Goal:
    gemeente_code: str
    gemeente_naam: str
    id: str
    titel: str
    indicator: str
    categorie: str | None
    doelgroep: str
    streefwaarde: float | None       # None for stijgend / dalend (the reference is a year earlier)
    richting: str                    # minimaal | maximaal | ongeveer | stijgend | dalend
    marge: float | None              # ongeveer only: the band is streefwaarde +/- marge
    periode: str                     # jaar | kwartaal
    vanaf: str                       # first period, 'YYYY' or 'YYYY-Qn' (matches periode)
    deadline: dt.date | None         # last day by which the target must be reached; None: every period counts
    deadline_tekst: str | None       # as written in the file ('2025', '2025-Q4', '2025-12-31')
    bron: str                        # source document (goal's own, else the file's)
    bron_tekst: str                  # the quoted source text
    streefwaarde_herkomst: str       # gemeente | wet | afgeleid | standaard
    toelichting: str | None
    soort: str                       # the indicator's kind: aandeel | aantal | mediaan | per_1000
    bestand: str                     # file name, for messages


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError
    return float(value)


def _deadline(value) -> tuple[dt.date, str]:
    """A year (31 December), a quarter (its last day) or a date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text) or _QUARTER_DEADLINE.match(text):
        return periods.end(text), text
    try:
        return dt.date.fromisoformat(text), text
    except ValueError:
        raise ValueError(f"deadline {value!r} is geen jaar (JJJJ), kwartaal (JJJJ-Qn) of datum (JJJJ-MM-DD)")


def _vanaf(value, kind: str) -> str:
    text = str(value).strip() if value is not None else str(FIRST_YEAR)
    year, q = periods.parse(text)          # ValueError with a Dutch message
    if kind == "jaar" and q is not None:
        raise ValueError(f"vanaf {text!r} is een kwartaal, maar het doel wordt per jaar beoordeeld")
    if year < FIRST_YEAR:
        raise ValueError(f"vanaf {text!r} ligt vóór {FIRST_YEAR} (de Wi2021 begint op 1 januari 2022)")
    if kind == "kwartaal" and q is None:
        text = f"{year}-Q1"
    return text


def _goal(raw: dict, where: str, gemeente_code: str, gemeente_naam: str, file_bron: str,
          problems: list[str]) -> Goal | None:
    goal_id = raw.get("id")
    here = f"{where}: doel {goal_id!r}" if goal_id is not None else f"{where}: doel zonder id"
    before = len(problems)

    def bad(message: str) -> None:
        problems.append(f"{here}: {message}")

    for k in sorted(set(raw) - _GOAL_KEYS):
        bad(f"onbekende sleutel {k!r} (toegestaan: {', '.join(sorted(_GOAL_KEYS))})")
    for k in _REQUIRED_GOAL_KEYS:
        if raw.get(k) in (None, ""):
            bad(f"{k} ontbreekt")
    if goal_id is not None and not (isinstance(goal_id, str) and _SLUG.match(goal_id)):
        bad("id moet bestaan uit kleine letters, cijfers en _")

    indicators = known_indicators()
    indicator = raw.get("indicator")
    info = indicators.get(indicator) if isinstance(indicator, str) else None
    if indicator is not None and info is None:
        bad(f"onbekende indicator {indicator!r} (zie docs/indicators.md)")

    categorie = None if raw.get("categorie") is None else str(raw["categorie"])
    if info is not None:
        if info.categorieen and categorie is None:
            bad(f"indicator {indicator!r} heeft categorieën; kies er één: {', '.join(info.categorieen)}")
        elif not info.categorieen and categorie is not None:
            bad(f"indicator {indicator!r} heeft geen categorieën, maar categorie {categorie!r} is opgegeven")
        elif categorie is not None and categorie not in info.categorieen:
            bad(f"onbekende categorie {categorie!r} voor indicator {indicator!r} "
                f"(toegestaan: {', '.join(info.categorieen)})")

    doelgroep = raw.get("doelgroep", "alle")
    if doelgroep not in DOELGROEPEN:
        bad(f"onbekende doelgroep {doelgroep!r} (toegestaan: {', '.join(DOELGROEPEN)})")

    richting = raw.get("richting")
    if richting is not None and richting not in RICHTINGEN:
        bad(f"ongeldige richting {richting!r} (toegestaan: {', '.join(RICHTINGEN)})")

    streefwaarde = marge = None
    streef_is_getal = True
    try:
        streefwaarde = None if raw.get("streefwaarde") is None else _number(raw["streefwaarde"])
    except ValueError:
        streef_is_getal = False
        bad(f"streefwaarde {raw.get('streefwaarde')!r} is geen getal")
    try:
        marge = None if raw.get("marge") is None else _number(raw["marge"])
    except ValueError:
        bad(f"marge {raw.get('marge')!r} is geen getal")
    if richting in RICHTINGEN_MET_STREEFWAARDE and streefwaarde is None and streef_is_getal:
        bad(f"richting {richting!r} vraagt een streefwaarde")
    if richting in ("stijgend", "dalend") and streefwaarde is not None:
        bad(f"richting {richting!r} vergelijkt met een jaar eerder; laat streefwaarde leeg")
    if richting == "ongeveer":
        if marge is None:
            bad("richting 'ongeveer' vraagt een marge")
        elif marge < 0:
            bad("marge mag niet negatief zijn")
    elif marge is not None:
        bad("marge hoort alleen bij richting 'ongeveer'")
    if info is not None and info.soort == "aandeel" and streefwaarde is not None and not 0 <= streefwaarde <= 100:
        bad(f"streefwaarde {streefwaarde:g} ligt niet tussen 0 en 100 (procent)")

    kind = raw.get("periode", "jaar")
    if kind not in PERIODE_SOORTEN:
        bad(f"ongeldige periode {kind!r} (toegestaan: {', '.join(PERIODE_SOORTEN)})")
        kind = "jaar"
    vanaf = None
    try:
        vanaf = _vanaf(raw.get("vanaf"), kind)
    except ValueError as exc:
        bad(str(exc))
    deadline = deadline_tekst = None
    if raw.get("deadline") is not None:
        try:
            deadline, deadline_tekst = _deadline(raw["deadline"])
        except ValueError as exc:
            bad(str(exc))
        if deadline is not None and vanaf is not None and deadline < periods.start(vanaf):
            bad(f"deadline {deadline_tekst} ligt vóór het begin van vanaf {vanaf}")

    herkomst = raw.get("streefwaarde_herkomst")
    if herkomst is not None and herkomst not in HERKOMSTEN:
        bad(f"onbekende streefwaarde_herkomst {herkomst!r} (toegestaan: {', '.join(HERKOMSTEN)})")

    if len(problems) > before:
        return None
    return Goal(
        gemeente_code=gemeente_code, gemeente_naam=gemeente_naam, id=goal_id, titel=_text(raw["titel"]),
        indicator=indicator, categorie=categorie, doelgroep=doelgroep, streefwaarde=streefwaarde,
        richting=richting, marge=marge, periode=kind, vanaf=vanaf, deadline=deadline,
        deadline_tekst=deadline_tekst, bron=_text(raw.get("bron")) or file_bron,
        bron_tekst=_text(raw["bron_tekst"]), streefwaarde_herkomst=herkomst,
        toelichting=_text(raw.get("toelichting")), soort=info.soort, bestand=where)


def _load_file(path: Path, problems: list[str]) -> list[Goal]:
    where = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{where}: niet te lezen als YAML ({exc})")
        return []
    if not isinstance(doc, dict):
        problems.append(f"{where}: verwacht een YAML-object met gemeente_code, gemeente_naam, bron en doelen")
        return []
    before = len(problems)
    for k in sorted(set(doc) - _FILE_KEYS):
        problems.append(f"{where}: onbekende sleutel {k!r} (toegestaan: {', '.join(sorted(_FILE_KEYS))})")
    for k in _REQUIRED_FILE_KEYS:
        if doc.get(k) in (None, "", []):
            problems.append(f"{where}: {k} ontbreekt")
    code = doc.get("gemeente_code")
    if code is not None and not (isinstance(code, str) and _GM.match(code)):
        problems.append(f"{where}: gemeente_code {code!r} heeft niet de vorm GMxxxx")
    elif isinstance(code, str) and not path.name.startswith(f"{code}_"):
        problems.append(f"{where}: de bestandsnaam moet beginnen met {code}_ (de gemeente_code in het bestand)")
    doelen = doc.get("doelen")
    if doelen is not None and not isinstance(doelen, list):
        problems.append(f"{where}: doelen moet een lijst zijn")
        return []
    if len(problems) > before:
        code = None
    goals: list[Goal] = []
    for raw in doelen or []:
        if not isinstance(raw, dict):
            problems.append(f"{where}: elk doel moet een YAML-object zijn, niet {raw!r}")
            continue
        goal = _goal(raw, where, code, _text(doc.get("gemeente_naam")), _text(doc.get("bron")), problems)
        if goal is not None and code is not None:
            goals.append(goal)
    return goals


def load_goals(folder: str | os.PathLike = GOALS_DIR) -> list[Goal]:
    """Read and validate every *.yaml / *.yml file in the folder; raise GoalValidationError listing all problems.

    Goal ids must be unique per gemeente (over all files of that gemeente in the folder). The result is
    sorted by gemeente_code, then file order.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise GoalValidationError([f"{folder}: map met beleidsdoelen bestaat niet"])
    problems: list[str] = []
    goals: list[Goal] = []
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:
        goals.extend(_load_file(path, problems))
    seen: dict[tuple[str, str], str] = {}
    for goal in goals:
        k = (goal.gemeente_code, goal.id)
        if k in seen:
            problems.append(f"{goal.bestand}: doel {goal.id!r}: id komt voor {goal.gemeente_code} al voor "
                            f"in {seen[k]}")
        else:
            seen[k] = goal.bestand
    if problems:
        raise GoalValidationError(problems)
    return sorted(goals, key=lambda g: g.gemeente_code)


def goal_dirs() -> list[Path]:
    """The folders goals are read from: the gemeente's own folders ($INBURGERING_DOELEN_DIR, several
    separated by os.pathsep) first, then the shipped GOALS_DIR."""
    own = [Path(p) for p in os.environ.get(ENV_DIR, "").split(os.pathsep) if p.strip()]
    return own + [GOALS_DIR]


def load_all_goals() -> list[Goal]:
    """Goals from every folder of goal_dirs(). A gemeente's goals come from the first folder that has any
    goal for that gemeente: a gemeente's own folder replaces the shipped example goals of that gemeente."""
    out: list[Goal] = []
    taken: set[str] = set()
    for folder in goal_dirs():
        goals = load_goals(folder)
        fresh = [g for g in goals if g.gemeente_code not in taken]
        taken |= {g.gemeente_code for g in goals}
        out.extend(fresh)
    return sorted(out, key=lambda g: g.gemeente_code)
