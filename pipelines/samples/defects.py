"""Small deliveries that each show one kind of problem, with the outcome a contract must give (README.md)."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from pipelines.settings import SAMPLE_EXPORTS_DIR
from pipelines.samples import schema
from pipelines.samples.generator import gemeente_by_code, generate_cases
from pipelines.samples.layouts import write_delivery
from pipelines.samples.sets import delivery_name, split_frames

DEFECT_DIR = SAMPLE_EXPORTS_DIR / "defect"
DEFECT_PEILDATUM = dt.date(2026, 6, 30)
DEFECT_SEED = 2021
BASE_PERSONS = 12
# Small gemeenten outside the demo set, one per row-level delivery so that no two snapshots collide.
DEFECT_GEMEENTEN = (
    "GM0431", "GM0638", "GM0317", "GM0981", "GM0589", "GM0965", "GM0279", "GM1723", "GM0221", "GM0755",
    "GM0417", "GM0415", "GM0432", "GM0986", "GM0765", "GM0244", "GM0376", "GM0678", "GM0893", "GM0889",
    "GM0450", "GM1667", "GM0448", "GM0335", "GM1729", "GM0437",
)

Frames = dict[str, pd.DataFrame]


@dataclass
class Defect:
    """One defect delivery: what is wrong and what a contract must do with it."""
    name: str
    defect: str
    outcome: str
    layout: str = "canoniek"
    gemeente: str = ""
    quarantined: dict[str, int] = field(default_factory=dict)  # file type -> rows quarantined
    rows: dict[str, int] = field(default_factory=dict)          # file type -> rows read


# ---------------------------------------------------------------- building blocks
def _pick(frames: Frames, targets: list[Callable[[pd.DataFrame], pd.Series]], n: int = BASE_PERSONS,
          strip_targets: bool = True) -> tuple[Frames, list[str]]:
    """A small valid delivery: persons matching each target predicate, then persons with child rows."""
    p = frames["personen"].sort_values("client_id")
    chosen: list[str] = []
    for pred in targets:
        cand = p.loc[pred(p) & ~p["client_id"].isin(chosen), "client_id"]
        if cand.empty:
            raise ValueError("no person matches a defect target; change the gemeente")
        chosen.append(cand.iloc[0])
    target_ids = list(chosen)
    for t, want in (("examens", 3), ("uren", 1), ("activiteiten", 2), ("gesprekken", 2)):
        ids = [c for c in dict.fromkeys(frames[t]["client_id"]) if c not in chosen]
        chosen += sorted(ids)[:want]
    chosen += [c for c in p["client_id"] if c not in chosen][: max(0, n - len(chosen))]
    out = {}
    for t, f in frames.items():
        keep = f["client_id"].isin(chosen)
        if strip_targets and t != "personen":
            keep &= ~f["client_id"].isin(target_ids)  # person-level defects: no child rows to orphan
        out[t] = f.loc[keep].reset_index(drop=True)
    return out, target_ids


def _set(frames: Frames, t: str, client_id: str, column: str, value: str, nth: int = 0) -> None:
    f = frames[t]
    idx = f.index[f["client_id"] == client_id][nth]
    f.loc[idx, column] = value


def _shift(value: str, days: int) -> str:
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def _has(col: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda p: p[col] != ""


def _asiel_housed(p: pd.DataFrame) -> pd.Series:
    return (p["datum_koppeling"] != "") & (p["datum_huisvesting"] != "")


def _write_csv_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _counts(frames: Frames) -> dict[str, int]:
    return {t: len(f) for t, f in frames.items() if len(f)}


# ---------------------------------------------------------------- the set
def write_defect_set(out: Path = DEFECT_DIR) -> list[Path]:
    """Write every defect delivery and README.md; returns the paths written."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    D = DEFECT_PEILDATUM
    universe = generate_cases(list(DEFECT_GEMEENTEN), D, seed=DEFECT_SEED)
    ident = {c: c for c in DEFECT_GEMEENTEN}
    pool = iter(DEFECT_GEMEENTEN)
    paths: list[Path] = []
    defects: list[Defect] = []

    def gm_frames() -> tuple[str, Frames]:
        code = next(pool)
        return code, split_frames(universe, ident, code)

    def emit(d: Defect, frames: Frames, layout: str = "canoniek", **kw) -> None:
        d.layout = layout
        d.rows = _counts(frames)
        paths.extend(write_delivery(frames, out / d.name, profile=layout, **kw))
        defects.append(d)

    # ---- file level
    code, f = gm_frames()
    base, _ = _pick(f, [])
    (out / "leeg_bestand").mkdir()
    (out / "leeg_bestand" / "personen.csv").write_bytes(b"")
    paths.append(out / "leeg_bestand" / "personen.csv")
    defects.append(Defect("leeg_bestand", "personen.csv is 0 bytes.",
                          "File rejected: empty file.", gemeente=code))

    header = ",".join(schema.COLUMNS["personen"]) + "\n"
    _write_csv_text(out / "alleen_kopregel" / "personen.csv", header)
    paths.append(out / "alleen_kopregel" / "personen.csv")
    defects.append(Defect("alleen_kopregel", "personen.csv has the header row and no data rows.",
                          "File rejected: empty file (a header without rows counts as empty).", gemeente=code))

    buf = io.StringIO()
    base["personen"].to_csv(buf, index=False, header=False, lineterminator="\n")
    _write_csv_text(out / "geen_kopregel" / "personen.csv", buf.getvalue())
    paths.append(out / "geen_kopregel" / "personen.csv")
    defects.append(Defect("geen_kopregel", f"personen.csv starts with a data row ({len(base['personen'])} rows, no header).",
                          "File rejected: no header (no required column name in the first row).", gemeente=code))

    code, f = gm_frames()
    base, _ = _pick(f, [])
    emit(Defect("kolom_ontbreekt", "personen.csv lacks the required column `doelgroep`.",
                "File rejected: required column doelgroep missing.", gemeente=code),
         {"personen": base["personen"].drop(columns=["doelgroep"])})

    code, f = gm_frames()
    base, _ = _pick(f, [])
    emit(Defect("kolom_ontbreekt_examens", "examens.csv lacks the required column `resultaat`; personen.csv is valid.",
                "examens.csv rejected: required column resultaat missing. personen.csv loads all rows.",
                gemeente=code),
         {"personen": base["personen"], "examens": base["examens"].drop(columns=["resultaat"])})

    code, f = gm_frames()
    base, _ = _pick(f, [])
    p = base["personen"].copy()
    p.loc[p.index[-3:], "peildatum"] = "2026-03-31"
    emit(Defect("meerdere_peildatums", "personen.csv holds two peildatums (2026-06-30 and, in 3 rows, 2026-03-31).",
                "File rejected: more than one peildatum.", gemeente=code), {"personen": p})

    code, f = gm_frames()
    base, _ = _pick(f, [])
    future = {t: fr.assign(peildatum="2099-01-01") for t, fr in base.items()}
    emit(Defect("peildatum_toekomst", "Every file has peildatum 2099-01-01.",
                "Every file rejected: peildatum in the future.", gemeente=code), future)

    almere = generate_cases(["GM0034"], dt.date(2025, 6, 30), seed=DEFECT_SEED)
    emit(Defect("oudere_snapshot", "Almere (GM0034) personen at peildatum 2025-06-30: an earlier state of the "
                "demo's Almere (same seed, same persons), older than the demo's 2026-09-30.",
                "Loaded after the demo: file rejected, snapshot older than the one already loaded for GM0034 "
                "(loads only when forced). Loaded into an empty warehouse: all rows load.", gemeente="GM0034"),
         {"personen": almere["personen"]})

    code, f = gm_frames()
    base, _ = _pick(f, [])
    raw = io.StringIO()
    base["personen"].to_csv(raw, index=False, lineterminator="\n")
    (out / "onleesbaar").mkdir()
    (out / "onleesbaar" / "personen.csv").write_bytes(gzip.compress(raw.getvalue().encode("utf-8"), mtime=0))
    paths.append(out / "onleesbaar" / "personen.csv")
    defects.append(Defect("onleesbaar", "personen.csv is gzip-compressed binary data under a .csv name.",
                          "File rejected: unreadable file (not UTF-8 text).", gemeente=code))

    # ---- row level (canonical), each in its own gemeente
    code, f = gm_frames()
    base, (a, b) = _pick(f, [_has("datum_pip_initieel"), _has("datum_plicht")])
    _set(base, "personen", a, "doelgroep", "")
    _set(base, "personen", b, "datum_plicht", "")
    ex = base["examens"]
    ex.loc[ex.index[0], "resultaat"] = ""
    emit(Defect("verplichte_waarde_leeg", "Required values missing: doelgroep (1 person), datum_plicht (1 person), "
                "resultaat (1 exam).", "Rows quarantined: required value missing.", gemeente=code,
                quarantined={"personen": 2, "examens": 1}), base)

    code, f = gm_frames()
    base, (a, b, c) = _pick(f, [_has("datum_plicht"), _has("leerroute_actueel"), _has("geslacht")])
    _set(base, "personen", a, "doelgroep", "statushouder")
    _set(base, "personen", b, "leerroute_actueel", "B2")
    _set(base, "personen", c, "geslacht", "Man")
    base["examens"].loc[base["examens"].index[0], "onderdeel"] = "rekenen"
    base["activiteiten"].loc[base["activiteiten"].index[0], "soort"] = "sport"
    base["gesprekken"].loc[base["gesprekken"].index[0], "soort"] = "telefonisch"
    emit(Defect("code_buiten_lijst", "Codes outside their set: doelgroep `statushouder`, leerroute_actueel `B2`, "
                "geslacht `Man`, onderdeel `rekenen`, activiteit soort `sport`, gesprek soort `telefonisch`.",
                "Rows quarantined: code outside its set.", gemeente=code,
                quarantined={"personen": 3, "examens": 1, "activiteiten": 1, "gesprekken": 1}), base)

    code, f = gm_frames()
    base, (a, b) = _pick(f, [lambda p: p["datum_plicht"].str.startswith("2024"), _has("datum_pip_initieel")])
    _set(base, "personen", a, "datum_plicht", "2024-02-30")
    pip = base["personen"].loc[base["personen"]["client_id"] == b, "datum_pip_initieel"].iloc[0]
    _set(base, "personen", b, "datum_pip_initieel", dt.date.fromisoformat(pip).strftime("%d-%m-%Y"))
    base["activiteiten"].loc[base["activiteiten"].index[0], "datum_start"] = "2024-13-01"
    emit(Defect("datum_ongeldig", "Malformed dates: datum_plicht `2024-02-30`, datum_pip_initieel in dd-mm-jjjj "
                "(canonical wants YYYY-MM-DD), activiteit datum_start `2024-13-01`.",
                "Rows quarantined: malformed date.", gemeente=code, quarantined={"personen": 2, "activiteiten": 1}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [_has("geboortejaar")])
    _set(base, "personen", a, "geboortejaar", "19x5")
    base["activiteiten"].loc[base["activiteiten"].index[0], "uren_per_week"] = "6,5"
    base["uren"].loc[base["uren"].index[0], "uren_taal"] = "twaalf"
    base["examens"].loc[base["examens"].index[0], "poging"] = "twee"
    emit(Defect("getal_ongeldig", "Malformed numbers: geboortejaar `19x5`, uren_per_week `6,5` (decimal comma), "
                "uren_taal `twaalf`, poging `twee`.", "Rows quarantined: malformed number.", gemeente=code,
                quarantined={"personen": 1, "activiteiten": 1, "uren": 1, "examens": 1}), base)

    code, f = gm_frames()
    base, _ = _pick(f, [])
    base["uren"].loc[base["uren"].index[0], "uren_participatie"] = "-4.0"
    base["activiteiten"].loc[base["activiteiten"].index[0], "uren_per_week"] = "-2"
    base["examens"].loc[base["examens"].index[0], "poging"] = "0"
    emit(Defect("getal_buiten_bereik", "Numbers out of range: uren_participatie `-4.0`, uren_per_week `-2` "
                "(decimal >= 0), poging `0` (integer >= 1).", "Rows quarantined: number out of range.",
                gemeente=code, quarantined={"uren": 1, "activiteiten": 1, "examens": 1}), base)

    code, f = gm_frames()
    base, (a, b) = _pick(f, [_has("bsn"), _has("bsn")])
    bsn = base["personen"].loc[base["personen"]["client_id"] == a, "bsn"].iloc[0]
    _set(base, "personen", a, "bsn", bsn[:8] + str((int(bsn[8]) + 1) % 10))
    _set(base, "personen", b, "bsn", "123456789")
    emit(Defect("bsn_elfproef", "Two BSNs fail the elfproef (a changed check digit; `123456789`).",
                "Rows quarantined: BSN fails the elfproef.", gemeente=code, quarantined={"personen": 2}), base)

    code, f = gm_frames()
    base, (a, b) = _pick(f, [_has("geboortejaar"), _has("geboortejaar")])
    _set(base, "personen", a, "geboortejaar", "1850")
    _set(base, "personen", b, "geboortejaar", "2031")
    emit(Defect("geboortejaar_buiten_bereik", "geboortejaar 1850 and 2031 (allowed: 1900 ... year of the peildatum).",
                "Rows quarantined: geboortejaar out of range.", gemeente=code, quarantined={"personen": 2}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [_has("datum_welkomgesprek")])
    _set(base, "personen", a, "datum_welkomgesprek", _shift(D.isoformat(), 20))
    base["examens"].loc[base["examens"].index[0], "datum_examen"] = _shift(D.isoformat(), 5)
    base["gesprekken"].loc[base["gesprekken"].index[0], "datum_gesprek"] = _shift(D.isoformat(), 1)
    emit(Defect("datum_na_peildatum", "Dates after the peildatum 2026-06-30: a datum_welkomgesprek, a datum_examen, "
                "a datum_gesprek. Planned end dates after the peildatum in the same files (datum_einde_termijn, "
                "datum_einde_ontzorgen, activiteiten.datum_einde) are allowed.",
                "Rows quarantined: date after the peildatum.", gemeente=code,
                quarantined={"personen": 1, "examens": 1, "gesprekken": 1}), base)

    code, f = gm_frames()
    base, _ = _pick(f, [])
    base["uren"].loc[base["uren"].index[0], "maand"] = "2026-08"
    emit(Defect("maand_na_peildatum", "One uren row for maand 2026-08, after the peildatum month 2026-06.",
                "Row quarantined: date after the peildatum (a month later than the peildatum's month).",
                gemeente=code, quarantined={"uren": 1}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [_asiel_housed])
    kop = base["personen"].loc[base["personen"]["client_id"] == a, "datum_koppeling"].iloc[0]
    _set(base, "personen", a, "datum_huisvesting", _shift(kop, -10))
    emit(Defect("volgorde_huisvesting_voor_koppeling", "One person housed 10 days before the koppeling.",
                "Row quarantined: datum_huisvesting before datum_koppeling.", gemeente=code,
                quarantined={"personen": 1}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [_has("datum_pip_initieel")])
    pip = base["personen"].loc[base["personen"]["client_id"] == a, "datum_pip_initieel"].iloc[0]
    _set(base, "personen", a, "datum_pip_actueel", _shift(pip, -30))
    emit(Defect("volgorde_pip_actueel_voor_initieel", "One datum_pip_actueel 30 days before datum_pip_initieel.",
                "Row quarantined: datum_pip_actueel before datum_pip_initieel.", gemeente=code,
                quarantined={"personen": 1}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [lambda p: (p["datum_pip_initieel"] != "") & (p["datum_pip_actueel"] == p["datum_pip_initieel"])])
    plicht = base["personen"].loc[base["personen"]["client_id"] == a, "datum_plicht"].iloc[0]
    _set(base, "personen", a, "datum_pip_initieel", _shift(plicht, -15))
    _set(base, "personen", a, "datum_pip_actueel", _shift(plicht, -15))
    emit(Defect("volgorde_pip_voor_plicht", "One PIP (initieel = actueel) dated 15 days before datum_plicht.",
                "Row quarantined: PIP before the plicht.", gemeente=code, quarantined={"personen": 1}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [_has("datum_start_ontzorgen")])
    start = base["personen"].loc[base["personen"]["client_id"] == a, "datum_start_ontzorgen"].iloc[0]
    _set(base, "personen", a, "datum_einde_ontzorgen", _shift(start, -1))
    act = base["activiteiten"]
    i = act.index[0]
    act.loc[i, "datum_einde"] = _shift(act.loc[i, "datum_start"], -7)
    emit(Defect("volgorde_einde_voor_start", "An end before its start: datum_einde_ontzorgen the day before "
                "datum_start_ontzorgen (1 person); an activiteit ending 7 days before it started.",
                "Rows quarantined: end before start.", gemeente=code,
                quarantined={"personen": 1, "activiteiten": 1}), base)

    code, f = gm_frames()
    base, (a, b, c) = _pick(f, [_has("datum_plicht")] * 3)
    p = base["personen"]
    dup_same = p[p["client_id"] == a]
    dup_other = p[p["client_id"] == c].assign(client_id=b)  # another person under b's client_id
    base["personen"] = pd.concat([p, dup_same, dup_other], ignore_index=True)
    emit(Defect("dubbele_sleutel", "personen.csv holds (gemeente_code, client_id) twice for two clients: one exact "
                "copy, and one client_id given to two different persons.",
                "Rows quarantined: duplicate key, all copies (2 + 2 rows).", gemeente=code,
                quarantined={"personen": 4}), base)

    code, f = gm_frames()
    base, _ = _pick(f, [])
    gm = base["personen"]["gemeente_code"].iloc[0]
    ghost = dict(peildatum=D.isoformat(), gemeente_code=gm, client_id="K-999991")
    orphans = {
        "examens": [dict(ghost, onderdeel="lezen", niveau="B1", datum_examen="2025-11-03", resultaat="geslaagd", poging="1"),
                    dict(ghost, onderdeel="knm", niveau="", datum_examen="2025-10-14", resultaat="gezakt", poging="1")],
        "gesprekken": [dict(ghost, datum_gesprek="2025-03-02", soort="voortgang")],
        "uren": [dict(ghost, maand="2026-01", uren_taal="22.5", uren_participatie="18.0")],
    }
    for t, rows in orphans.items():
        base[t] = pd.concat([base[t], pd.DataFrame(rows, columns=schema.COLUMNS[t], dtype="str")], ignore_index=True)
    other_gm = base["activiteiten"].iloc[[0]].assign(gemeente_code="GM0088")  # a person of another gemeente
    base["activiteiten"] = pd.concat([base["activiteiten"], other_gm], ignore_index=True)
    emit(Defect("wees_kindrijen", "Child rows whose person is not in personen.csv: client K-999991 (2 examens, "
                "1 gesprek, 1 uren row) and one activiteit under an existing client_id but gemeente GM0088.",
                "Rows quarantined: person not in personen.", gemeente=code,
                quarantined={"examens": 2, "gesprekken": 1, "uren": 1, "activiteiten": 1}), base)

    code, f = gm_frames()
    base, (a,) = _pick(f, [_has("datum_pip_initieel")])
    _set(base, "personen", a, "leerroute_initieel", "")
    emit(Defect("leerroute_ontbreekt", "datum_pip_initieel set, leerroute_initieel empty (1 person).",
                "Row quarantined: leerroute_initieel required when datum_pip_initieel is set.", gemeente=code,
                quarantined={"personen": 1}), base)

    # ---- valid deliveries that a too strict contract would wrongly reject
    code, f = gm_frames()
    base, _ = _pick(f, [lambda p: (p["datum_einde_termijn"] > D.isoformat()),
                        lambda p: (p["datum_einde_ontzorgen"] > D.isoformat())], strip_targets=False)
    acts = f["activiteiten"]
    running = acts[(acts["datum_einde"] > D.isoformat())].head(2)
    base["activiteiten"] = pd.concat([base["activiteiten"], running]).drop_duplicates().reset_index(drop=True)
    for cid in running["client_id"]:
        if cid not in set(base["personen"]["client_id"]):
            base["personen"] = pd.concat([base["personen"], f["personen"][f["personen"]["client_id"] == cid]],
                                         ignore_index=True)
    emit(Defect("toekomstige_einddatums", "Valid: planned end dates after the peildatum (datum_einde_termijn, "
                "datum_einde_ontzorgen, activiteiten.datum_einde).", "All rows load; nothing quarantined.",
                gemeente=code), base)

    code, f = gm_frames()
    base, _ = _pick(f, [lambda p: p["datum_plicht"] < "2022-01-01"] * 2, strip_targets=False)
    n13 = int((base["personen"]["datum_plicht"] < "2022-01-01").sum())
    emit(Defect("ondertussengroep", f"Valid: {n13} persons with datum_plicht in 2021 (Wi2013, ondertussengroep).",
                f"All rows load; the {n13} persons with datum_plicht before 2022-01-01 are marked Wi2013 and stay "
                "out of every Wi2021 indicator.", gemeente=code), base)

    # ---- source layout with bad rows
    code, f = gm_frames()
    base, (a, b, c) = _pick(f, [_has("leerroute_initieel"), _has("datum_inschrijving_brp"), _has("bsn")])
    regie = {t: fr.copy() for t, fr in base.items()}
    _set(regie, "personen", a, "leerroute_initieel", "B2-route")  # label the profile does not know
    _set(regie, "personen", b, "datum_inschrijving_brp", "2026-02-31")  # written as 31-02-2026
    bsn = regie["personen"].loc[regie["personen"]["client_id"] == c, "bsn"].iloc[0]
    _set(regie, "personen", c, "bsn", bsn[:8] + str((int(bsn[8]) + 3) % 10))
    regie["examens"].loc[regie["examens"].index[0], "resultaat"] = "Voldoende"
    _write_regie_with_bad_date(regie, out / "regiesysteem_foute_rijen", b)
    d = Defect("regiesysteem_foute_rijen", "regiesysteem_csv layout with bad rows: Leerroute `B2-route` (unknown "
               "label), Datum inschrijving BRP `31-02-2026`, a BSN failing the elfproef, an exam Uitslag `Voldoende`.",
               "Rows quarantined after mapping: code outside its set (2), malformed date (1), BSN fails the "
               "elfproef (1).", layout="regiesysteem_csv", gemeente=code,
               quarantined={"personen": 3, "examens": 1})
    d.rows = _counts(regie)
    defects.append(d)
    paths.extend(sorted((out / d.name).iterdir()))

    # ---- zipped canonical deliveries (valid)
    code, f = gm_frames()
    base, _ = _pick(f, [])
    for name, nested in (("zip_geldig", True), ("zip_geldig_plat", False)):
        tmp = out / f"_{name}"
        files = write_delivery(base, tmp)
        zpath = out / f"{name}.zip"
        with zipfile.ZipFile(zpath, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for fp in files:
                arc = f"{delivery_name(code)}/{fp.name}" if nested else fp.name
                info = zipfile.ZipInfo(arc, date_time=(2026, 7, 1, 9, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, fp.read_bytes())
        shutil.rmtree(tmp)
        paths.append(zpath)
        where = f"inside a folder `{delivery_name(code)}/`" if nested else "at the root of the archive"
        d = Defect(f"{name}.zip", f"Valid canonical delivery as a .zip, the CSVs {where}.",
                   "All rows load; nothing quarantined.", gemeente=code)
        d.rows = _counts(base)
        defects.append(d)
    code2 = code
    data = (out / "zip_geldig.zip").read_bytes()
    (out / "kapotte_zip.zip").write_bytes(data[: len(data) // 2])
    paths.append(out / "kapotte_zip.zip")
    defects.append(Defect("kapotte_zip.zip", "zip_geldig.zip cut off halfway (a broken download).",
                          "Delivery rejected: unreadable zip file.", gemeente=code2))

    readme = out / "README.md"
    readme.write_text(_readme(defects), encoding="utf-8")
    paths.append(readme)
    return paths


def _write_regie_with_bad_date(frames: Frames, folder: Path, client_id: str) -> None:
    """Write the regiesysteem layout; the impossible date 2026-02-31 cannot pass through a date type, so patch text."""
    good = frames["personen"]
    i = good.index[good["client_id"] == client_id][0]
    frames["personen"].loc[i, "datum_inschrijving_brp"] = "2026-02-28"
    files = write_delivery(frames, folder, profile="regiesysteem_csv")
    klanten = next(p for p in files if "klanten" in p.name)
    lines = klanten.read_text(encoding="utf-8").split("\n")
    cells = lines[i + 1].split(";")
    headers = lines[0].split(";")
    j = headers.index("Datum inschrijving BRP")
    assert cells[j] == "28-02-2026"
    cells[j] = "31-02-2026"
    lines[i + 1] = ";".join(cells)
    klanten.write_text("\n".join(lines), encoding="utf-8")


def _readme(defects: list[Defect]) -> str:
    g = gemeente_by_code()
    lines = [
        "# Defect deliveries",
        "",
        "Generated by `pipelines.samples.write_defect_set()` (seed 2021). Each folder (or .zip) is one delivery",
        f"that shows one kind of problem; row-level deliveries have peildatum {DEFECT_PEILDATUM.isoformat()} and",
        "each uses its own small gemeente outside the demo set, so their snapshots never collide with the demo",
        "or with each other. Apart from the defect described, every delivery is valid: persons that carry a",
        "person-level defect have no child rows, so quarantining them orphans nothing.",
        "",
        "Rule: rows read = rows loaded + rows quarantined, per file. Counts below are rows read per file.",
        "",
        "| delivery | layout | gemeente | defect | expected outcome | rows read | quarantined |",
        "|---|---|---|---|---|---|---|",
    ]
    for d in defects:
        naam = g[d.gemeente].naam if d.gemeente in g else ""
        rows = ", ".join(f"{t} {n}" for t, n in d.rows.items()) or "-"
        q = ", ".join(f"{t} {n}" for t, n in d.quarantined.items()) or "0"
        lines.append(f"| `{d.name}` | {d.layout} | {d.gemeente} {naam} | {d.defect} | {d.outcome} | {rows} | {q} |")
    lines += [
        "",
        "Notes",
        "- `alleen_kopregel`: this project treats a header without data rows as an empty file (rejected).",
        "- `geen_kopregel`: the first row holds data, so none of the required column names is present.",
        "- `oudere_snapshot` is rejected only relative to the demo set (load the demo first).",
        "- `maand_na_peildatum`: maand is YYYY-MM; a month after the peildatum's month is a date after the peildatum.",
        "- In `regiesysteem_foute_rijen` the bad values are as a case system would write them; they are",
        "  quarantined after the profile mapping (unknown labels pass through unchanged and fail the code set).",
        "- `zip_geldig.zip` and `zip_geldig_plat.zip` hold the same delivery; load one of them (they share a",
        "  gemeente and peildatum, so loading the second changes nothing).",
        "",
    ]
    return "\n".join(lines)
