"""Everything the quarterly report shows, read from the published tables of the warehouse only.

Tables read: mart_indicatoren_publicatie (suppressed), mart_indicatoren_groepen (suppressed here),
mart_beleidsdoelen, mart_indicator_definities, load_log, dq_results, quarantine (counts only),
snapshot_current, ref_gemeenten, ref_groepen. Nothing is written.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.goals import STATUS_LABELS, periods
from pipelines.indicators.suppression import MIN_COUNT, MIN_NOEMER, suppress
from pipelines.report import references
from pipelines.report.text import (Cijfer, ZINNEN, kwartaal_jaar_eerder, parse_kwartaal, vorig_kwartaal,
                                   vergelijk_groepen, zin)

# The key figures of the report, in reading order (all per quarter, doelgroep 'alle').
KERNCIJFERS: tuple[tuple[str, str | None], ...] = (
    ("instroom", None),
    ("wachttijd_huisvesting_mediaan", None),
    ("welkomgesprek_binnen_6_weken_pct", None),
    ("pip_binnen_10_weken_pct", None),
    ("doorlooptijd_pip_mediaan", None),
    ("voortgangsgesprekken_norm_pct", None),
    ("activiteit_deelname_pct", None),
    ("duaal_pct", None),
    ("vrijwilligerswerk_plaatsingen", None),
    ("z_route_vrijwilligerswerk_3mnd_pct", None),
    ("examen_geslaagd_pct", "alle"),
    ("voldaan_binnen_termijn_pct", None),
    ("termijn_verstreken_pct", None),
)
# Shown in the peer comparison (shares and medians: comparable between gemeenten of any size).
VERGELIJKING = ("instroom_per_1000_inwoners", "pip_binnen_10_weken_pct", "doorlooptijd_pip_mediaan",
                "welkomgesprek_binnen_6_weken_pct", "activiteit_deelname_pct", "duaal_pct", "examen_geslaagd_pct")
GROEP_SOORTEN = ("alle_geladen", "provincie", "arbeidsmarktregio", "regio")
TREND_KWARTALEN = 8
SOORT_NAAR_TEKST = {"aandeel": "aandeel", "mediaan": "mediaan", "aantal": "aantal", "per_1000": "per_1000"}
_LONG_DIGITS = re.compile(r"\d{8,}")


class ReportError(ValueError):
    """The report cannot be made (unknown gemeente, quarter outside the data); message in Dutch."""


@dataclass
class Kerncijfer:
    indicator: str
    categorie: str | None
    titel: str
    soort: str
    eenheid: str
    hoger_is_beter: bool | None
    nu: Cijfer
    vorig: Cijfer
    jaar_eerder: Cijfer
    zin: str


@dataclass
class Groep:
    soort: str
    code: str
    naam: str
    label: str  # in a sentence: 'alle geladen gemeenten samen', 'de provincie Overijssel'
    ook: list[str] = field(default_factory=list)  # groups with the same loaded members, not shown separately


@dataclass
class Rapportgegevens:
    gemeente_code: str
    gemeente_naam: str
    provincie: str | None
    inwoners: int | None
    kwartaal: str
    vorig: str
    jaar_eerder: str
    peildatum: dt.date | None
    lopend: bool
    gemaakt_op: dt.datetime
    kerncijfers: list[Kerncijfer]
    reeks: pd.DataFrame            # publicatie rows for the trend quarters (indicator, periode, doelgroep, categorie)
    groepen: list[Groep]
    groepcijfers: pd.DataFrame     # suppressed group rows: indicator, groep_code, periode, waarde, onderdrukt
    vergelijking_zinnen: list[str]
    doelen: pd.DataFrame
    definities: pd.DataFrame
    bestanden: pd.DataFrame
    quarantaine: pd.DataFrame
    dq_afwijkingen: pd.DataFrame
    landelijk: list[dict]
    kwartalen: list[str] = field(default_factory=list)

    def cijfer(self, indicator: str, periode: str, doelgroep: str = "alle", categorie: str | None = None) -> Cijfer:
        """A published figure of the gemeente (missing when there is no row)."""
        return cijfer_uit(self.reeks, indicator, periode, doelgroep, categorie)


def cijfer_uit(df: pd.DataFrame, indicator: str, periode: str, doelgroep: str = "alle",
               categorie: str | None = None) -> Cijfer:
    m = (df["indicator"] == indicator) & (df["periode"] == periode) & (df["doelgroep"] == doelgroep)
    m &= df["categorie"].isna() if categorie is None else (df["categorie"] == categorie)
    rows = df[m]
    return Cijfer.van_rij(rows.iloc[0].to_dict()) if len(rows) else Cijfer()


def _connect(warehouse: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that attaches the warehouse read-only (safe next to the dashboard's handle)."""
    path = Path(warehouse)
    if not path.exists():
        raise ReportError(f"warehouse niet gevonden: {path}")
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
    con.execute(f"ATTACH '{str(path)}' AS wh (READ_ONLY)")
    con.execute("USE wh")
    return con


def _df(con, sql: str, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).fetch_df()


def kwartalen_tot(kwartaal: str, n: int) -> list[str]:
    """The n quarters up to and including `kwartaal`, oldest first."""
    out = [kwartaal]
    while len(out) < n:
        out.insert(0, vorig_kwartaal(out[0]))
    return out


def _scrub(text) -> str:
    """Remove anything that could be a BSN or another long identifier from free text."""
    return _LONG_DIGITS.sub("…", str(text)) if text is not None else ""


def verzamel(warehouse: str | os.PathLike, gemeente_code: str, kwartaal: str) -> Rapportgegevens:
    """Read everything the report needs for one gemeente and quarter."""
    try:
        y, q = parse_kwartaal(kwartaal)
    except ValueError as exc:
        raise ReportError(str(exc)) from exc
    kwartaal = f"{y}-Q{q}"
    gemeente_code = gemeente_code.strip().upper()
    con = _connect(warehouse)
    try:
        return _verzamel(con, gemeente_code, kwartaal)
    finally:
        con.close()


def _verzamel(con, gemeente_code: str, kwartaal: str) -> Rapportgegevens:
    ref = _df(con, "SELECT * FROM ref_gemeenten WHERE gemeente_code = ?", [gemeente_code])
    heeft_data = con.execute("SELECT count(*) FROM mart_indicatoren_publicatie WHERE gemeente_code = ?",
                             [gemeente_code]).fetchone()[0]
    if not heeft_data:
        geladen = [r[0] for r in con.execute(
            "SELECT DISTINCT gemeente_code FROM mart_indicatoren_publicatie ORDER BY 1").fetchall()]
        raise ReportError(f"geen cijfers voor gemeente {gemeente_code} in het warehouse "
                          f"(wel voor: {', '.join(geladen) or 'geen enkele gemeente'})")
    naam = str(ref["gemeente_naam"].iloc[0]) if len(ref) else gemeente_code
    provincie = str(ref["provincie"].iloc[0]) if len(ref) else None
    inwoners = int(ref["inwoners"].iloc[0]) if len(ref) and pd.notna(ref["inwoners"].iloc[0]) else None

    pd_row = con.execute("SELECT max(peildatum) FROM snapshot_current WHERE gemeente_code = ? "
                         "AND target_table = 'personen'", [gemeente_code]).fetchone()
    peildatum = pd.Timestamp(pd_row[0]).date() if pd_row and pd_row[0] is not None else None
    kwartalen_data = [r[0] for r in con.execute(
        "SELECT DISTINCT periode FROM mart_indicatoren_publicatie WHERE gemeente_code = ? "
        "AND regexp_full_match(periode, '[0-9]{4}-Q[1-4]') ORDER BY 1", [gemeente_code]).fetchall()]
    if kwartaal not in kwartalen_data:
        bereik = f"{kwartalen_data[0]} tot en met {kwartalen_data[-1]}" if kwartalen_data else "geen"
        raise ReportError(f"geen cijfers voor {kwartaal} bij {naam}; beschikbare kwartalen: {bereik}")
    lopend = peildatum is not None and peildatum < periods.end(kwartaal)

    kwartalen = kwartalen_tot(kwartaal, TREND_KWARTALEN)
    perioden = sorted(set(kwartalen) | {kwartaal_jaar_eerder(kwartaal)} | {str(y) for y in range(2022, int(kwartaal[:4]) + 1)}
                      | set(references.GEMEENTE_PERIODEN))
    reeks = _df(con, f"""
        SELECT indicator, gemeente_code, periode, doelgroep, categorie, teller, noemer, waarde, onderdrukt,
               ci_onder, ci_boven
        FROM mart_indicatoren_publicatie
        WHERE gemeente_code = ? AND periode IN ({','.join('?' * len(perioden))})""", [gemeente_code, *perioden])

    reeks = _bescherm_per_1000(reeks)
    definities = _df(con, "SELECT * FROM mart_indicator_definities ORDER BY id")
    defs = {r["id"]: r for r in definities.to_dict("records")}

    kerncijfers = []
    for ind, cat in KERNCIJFERS:
        d = defs.get(ind, {})
        nu = cijfer_uit(reeks, ind, kwartaal, "alle", cat)
        vorig = cijfer_uit(reeks, ind, vorig_kwartaal(kwartaal), "alle", cat)
        jaar = cijfer_uit(reeks, ind, kwartaal_jaar_eerder(kwartaal), "alle", cat)
        hib = d.get("hoger_is_beter")
        kerncijfers.append(Kerncijfer(
            ind, cat, str(d.get("titel", ind)), ZINNEN[ind].soort, str(d.get("eenheid", "")),
            None if hib is None or pd.isna(hib) else bool(hib), nu, vorig, jaar,
            zin(ind, kwartaal, nu, vorig, jaar)))

    groepen, groepcijfers = _groepen(con, gemeente_code, provincie, kwartalen, reeks)
    vergelijking_zinnen = []
    for ind in VERGELIJKING:
        d = defs.get(ind, {})
        cat = "alle" if ind == "examen_geslaagd_pct" else None
        nu = cijfer_uit(reeks, ind, kwartaal, "alle", cat)
        gc = [(g.label, groep_cijfer(groepcijfers, ind, g.code, kwartaal)) for g in groepen]
        s = vergelijk_groepen(naam, str(d.get("titel", ind)), nu, d.get("soort", "aandeel"), gc)
        if s:
            vergelijking_zinnen.append(s)

    return Rapportgegevens(
        gemeente_code=gemeente_code, gemeente_naam=naam, provincie=provincie, inwoners=inwoners,
        kwartaal=kwartaal, vorig=vorig_kwartaal(kwartaal), jaar_eerder=kwartaal_jaar_eerder(kwartaal),
        peildatum=peildatum, lopend=lopend, gemaakt_op=dt.datetime.now().replace(microsecond=0),
        kerncijfers=kerncijfers, reeks=reeks, groepen=groepen, groepcijfers=groepcijfers,
        vergelijking_zinnen=vergelijking_zinnen, doelen=_doelen(con, gemeente_code, kwartaal, peildatum, reeks, defs),
        definities=definities, bestanden=_bestanden(con, gemeente_code), quarantaine=_quarantaine(con, gemeente_code),
        dq_afwijkingen=_dq(con, gemeente_code), landelijk=references.landelijk(reeks),
        kwartalen=kwartalen)


def _bescherm_per_1000(reeks: pd.DataFrame) -> pd.DataFrame:
    """Hide a rate per 1,000 inhabitants whose count is hidden: rate x inhabitants would give it back."""
    out = reeks.copy()
    tel = out[out["indicator"] == "instroom"].set_index(["periode", "doelgroep"])["onderdrukt"].to_dict()
    verborgen = pd.Series([bool(tel.get((p, d), False)) for p, d in zip(out["periode"], out["doelgroep"])],
                          index=out.index, dtype=bool)
    m = (out["indicator"] == "instroom_per_1000_inwoners") & verborgen
    out.loc[m, "onderdrukt"] = True
    for col in ("teller", "noemer", "waarde"):
        out.loc[m, col] = float("nan")
    return out


# --- Peer groups ---------------------------------------------------------------------------------

def groep_cijfer(df: pd.DataFrame, indicator: str, groep_code: str, periode: str) -> Cijfer:
    m = (df["indicator"] == indicator) & (df["groep_code"] == groep_code) & (df["periode"] == periode)
    rows = df[m]
    return Cijfer.van_rij(rows.iloc[0].to_dict()) if len(rows) else Cijfer()


def _groepen(con, gemeente_code: str, provincie: str | None, kwartalen: list[str], reeks: pd.DataFrame):
    leden = _df(con, "SELECT groep_code, groep_soort, groep_naam, gemeente_code FROM ref_groepen "
                     "WHERE groep_code IN (SELECT groep_code FROM ref_groepen WHERE gemeente_code = ?)", [gemeente_code])
    geladen = {r[0] for r in con.execute("SELECT DISTINCT gemeente_code FROM mart_indicatoren_publicatie").fetchall()}
    groepen = [Groep("alle_geladen", "GELADEN", "Alle geladen gemeenten", "alle geladen gemeenten samen")]
    gezien: dict[frozenset, Groep] = {frozenset(geladen): groepen[0]}
    # Priority: province, then the cooperation region councils know, then the labour-market region. A group
    # whose loaded members equal an earlier one's has the same figures and is named, not shown twice.
    for soort in ("provincie", "regio", "arbeidsmarktregio"):
        for code, g in leden[leden["groep_soort"] == soort].groupby("groep_code", sort=True):
            naam = str(g["groep_naam"].iloc[0])
            label = {"provincie": f"de provincie {naam}", "arbeidsmarktregio": f"arbeidsmarktregio {naam}",
                     "regio": f"de regio {naam}"}[soort]
            members = frozenset(g["gemeente_code"]) & geladen
            if members in gezien:
                gezien[members].ook.append(label)
                continue
            groep = Groep(soort, code, naam, label)
            gezien[members] = groep
            groepen.append(groep)
    codes = [g.code for g in groepen]
    perioden = kwartalen
    raw = _df(con, f"""
        SELECT indicator, groep_code, periode, doelgroep, categorie, teller, noemer, waarde, aantal_gemeenten
        FROM mart_indicatoren_groepen
        WHERE groep_code IN ({','.join('?' * len(codes))}) AND periode IN ({','.join('?' * len(perioden))})
          AND doelgroep = 'alle' AND (categorie IS NULL OR categorie = 'alle')
          AND indicator IN ({','.join('?' * len(VERGELIJKING))})""", [*codes, *perioden, *VERGELIJKING])
    return groepen, onderdruk_groepen(raw, reeks)


def onderdruk_groepen(raw: pd.DataFrame, eigen: pd.DataFrame) -> pd.DataFrame:
    """Small-number protection for peer-group rows (they are not suppressed in the warehouse).

    Primary rule as the publication table (suppress()). Besides, a group figure is hidden when it has
    fewer than two member gemeenten with data, or when subtracting the gemeente's own published figure
    would leave a remainder under the limits (the other members together would be recognisable).
    """
    if raw.empty:
        return raw.assign(onderdrukt=pd.Series(dtype=bool))
    df = raw.rename(columns={"groep_code": "gemeente_code"})
    out = suppress(df[["indicator", "gemeente_code", "periode", "doelgroep", "categorie", "teller", "noemer", "waarde"]])
    out["aantal_gemeenten"] = df["aantal_gemeenten"].to_numpy()
    extra = []
    for i, r in df.reset_index(drop=True).iterrows():
        hide = pd.isna(r["aantal_gemeenten"]) or int(r["aantal_gemeenten"]) < 2
        eigen_c = cijfer_uit(eigen, r["indicator"], r["periode"], "alle",
                             "alle" if r["categorie"] == "alle" else None)
        if not hide and eigen_c.bekend:
            if pd.notna(r["noemer"]) and eigen_c.noemer is not None and r["indicator"] != "instroom_per_1000_inwoners":
                rest = float(r["noemer"]) - eigen_c.noemer
                hide = 0 < rest < MIN_NOEMER
            elif pd.notna(r["teller"]) and eigen_c.teller is not None:
                rest = float(r["teller"]) - eigen_c.teller
                hide = 1 <= rest < MIN_COUNT
        elif not hide and eigen_c.onderdrukt:
            hide = int(r["aantal_gemeenten"]) < 3
        extra.append(hide)
    extra = pd.Series(extra, index=out.index)
    out["onderdrukt"] = out["onderdrukt"] | extra
    for col in ("teller", "noemer", "waarde"):
        out.loc[out["onderdrukt"], col] = pd.NA
    return out.rename(columns={"gemeente_code": "groep_code"})


# --- Goals ---------------------------------------------------------------------------------------

def _doelen(con, gemeente_code: str, kwartaal: str, peildatum, reeks: pd.DataFrame, defs: dict) -> pd.DataFrame:
    """One row per goal: the measurement for the report's quarter (quarterly goals) or its year (yearly
    goals), with the previous period's status. Counts come from the publication table."""
    alle = _df(con, "SELECT * FROM mart_beleidsdoelen WHERE gemeente_code = ? ORDER BY doel_id, periode", [gemeente_code])
    rows = []
    for doel_id, g in alle.groupby("doel_id", sort=False):
        soort_periode = periods.soort(str(g["periode"].iloc[0]))
        periode = kwartaal if soort_periode == "kwartaal" else kwartaal[:4]
        vorige = vorig_kwartaal(periode) if soort_periode == "kwartaal" else str(int(periode) - 1)
        cur = g[g["periode"] == periode]
        if cur.empty:
            continue
        r = cur.iloc[0].to_dict()
        prev = g[g["periode"] == vorige]
        d = defs.get(r["indicator"], {})
        soort = d.get("soort", "aandeel")
        waarde = r["waarde"]
        streef = r["streefwaarde"]
        toelichting = _scrub(r["toelichting"])
        status = r["status"]
        if soort in ("aantal", "per_1000"):
            # mart_beleidsdoelen does not protect counts: take them from the publication table
            c = cijfer_uit(reeks, r["indicator"], periode, r["doelgroep"], r["categorie"])
            if not c.bekend:
                waarde = None
                toelichting = "Het aantal is te klein om te publiceren; de status wordt daarom niet getoond."
                status = "nog_niet_meetbaar"
            if r["richting"] in ("stijgend", "dalend"):
                c0 = cijfer_uit(reeks, r["indicator"], periods.year_earlier(periode), r["doelgroep"], r["categorie"])
                if not c0.bekend:
                    streef = None
        rows.append({
            "doel_id": doel_id, "titel": r["titel"], "indicator": r["indicator"],
            "indicator_titel": d.get("titel", r["indicator"]), "soort": soort, "doelgroep": r["doelgroep"],
            "categorie": r["categorie"], "periode": periode, "richting": r["richting"], "marge": r["marge"],
            "streefwaarde": streef, "waarde": waarde, "noemer": r["noemer"], "status": status,
            "status_label": STATUS_LABELS[status], "toelichting": toelichting, "bron": r["bron"],
            "streefwaarde_herkomst": r["streefwaarde_herkomst"],
            "vorige_periode": vorige,
            "vorige_status": STATUS_LABELS[prev["status"].iloc[0]] if len(prev) else None,
        })
    return pd.DataFrame(rows)


# --- Data quality --------------------------------------------------------------------------------

def _bestanden(con, gemeente_code: str) -> pd.DataFrame:
    df = _df(con, """
        SELECT s.target_table AS bestandssoort, s.file_name AS bestand, s.peildatum, s.loaded_at AS geladen_op,
               l.profile AS profiel, l.rows_read AS rijen_gelezen, l.rows_loaded AS rijen_geladen,
               l.rows_quarantined AS rijen_quarantaine
        FROM snapshot_current s
        LEFT JOIN load_log l ON l.load_id = s.load_id AND l.file_name = s.file_name
        WHERE s.gemeente_code = ?
        ORDER BY CASE s.target_table WHEN 'personen' THEN 1 WHEN 'examens' THEN 2 WHEN 'activiteiten' THEN 3
                 WHEN 'gesprekken' THEN 4 ELSE 5 END""", [gemeente_code])
    df["bestand"] = df["bestand"].map(_scrub)
    return df


def _quarantaine(con, gemeente_code: str) -> pd.DataFrame:
    """Quarantined rows of the gemeente's current files, counted by reason (no record content)."""
    df = _df(con, """
        WITH r AS (
            SELECT q.target_table AS bestandssoort, unnest(q.reasons) AS reden
            FROM quarantine q
            JOIN snapshot_current s ON s.load_id = q.load_id AND s.file_name = q.file_name
            WHERE s.gemeente_code = ?)
        SELECT bestandssoort, reden, count(*) AS rijen FROM r GROUP BY ALL ORDER BY rijen DESC, reden""", [gemeente_code])
    if len(df):
        df["reden"] = df["reden"].map(_scrub)
        df = df.groupby(["bestandssoort", "reden"], as_index=False)["rijen"].sum().sort_values(
            ["rijen", "reden"], ascending=[False, True])
    return df


def _dq(con, gemeente_code: str) -> pd.DataFrame:
    """Failed data-quality rules of the current files (rule, reason and number of rows; no values)."""
    df = _df(con, """
        SELECT d.target_table AS bestandssoort, d.niveau, d.reden, sum(d.unexpected_count) AS afwijkingen
        FROM dq_results d
        JOIN snapshot_current s ON s.load_id = d.load_id AND s.file_name = d.file_name
        WHERE s.gemeente_code = ? AND NOT d.success
        GROUP BY ALL ORDER BY afwijkingen DESC""", [gemeente_code])
    if len(df):
        df["reden"] = df["reden"].map(_scrub)
    return df
