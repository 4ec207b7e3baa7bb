-- grain: one row per person; derived dates used by every indicator (docs/indicators.md).
-- gemeente_code is on the current indeling (ref_gemeente_codes maps codes of merged gemeenten onto their
-- successor); gemeente_code_export keeps the code as delivered.
SELECT
    p.* REPLACE (coalesce(c.gemeente_code, p.gemeente_code) AS gemeente_code),
    p.gemeente_code AS gemeente_code_export,
    p.datum_plicht < DATE '2022-01-01' AS wi2013,
    CASE WHEN p.doelgroep = 'asiel'
         THEN coalesce(p.datum_koppeling, p.datum_inschrijving_brp, p.datum_plicht)
         ELSE coalesce(p.datum_inschrijving_brp, p.datum_plicht) END AS instroomdatum,
    CAST(p.datum_pip_initieel + INTERVAL 3 YEAR AS DATE) AS termijn_einde,
    year(p.datum_plicht) AS cohort,
    year(p.datum_plicht) - p.geboortejaar AS leeftijd_bij_plicht,
    s.peildatum AS peildatum_gemeente
FROM stg_personen p
JOIN snapshot_current s ON s.gemeente_code = p.gemeente_code AND s.target_table = 'personen'
LEFT JOIN ref_gemeente_codes c ON c.bron_code = p.gemeente_code
