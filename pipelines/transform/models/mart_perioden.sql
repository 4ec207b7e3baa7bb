-- grain: one row per gemeente per periode (years 'YYYY' and quarters 'YYYY-Qn') from 2022 up to and
-- including the period that holds the gemeente's peildatum (personen snapshot)
WITH g AS (
    -- on the current indeling: a merged gemeente's export counts for its successor
    SELECT coalesce(c.gemeente_code, s.gemeente_code) AS gemeente_code, max(s.peildatum) AS peildatum
    FROM snapshot_current s LEFT JOIN ref_gemeente_codes c ON c.bron_code = s.gemeente_code
    WHERE s.target_table = 'personen'
    GROUP BY ALL
), q AS (
    SELECT gemeente_code, peildatum,
           CAST(unnest(generate_series(DATE '2022-01-01', peildatum, INTERVAL 3 MONTH)) AS DATE) AS start
    FROM g
)
SELECT gemeente_code, peildatum, year(start) || '-Q' || quarter(start) AS periode, 'kwartaal' AS soort,
       year(start) AS jaar, start, CAST(start + INTERVAL 3 MONTH - INTERVAL 1 DAY AS DATE) AS einde
FROM q
UNION ALL
SELECT DISTINCT gemeente_code, peildatum, CAST(year(start) AS VARCHAR), 'jaar', year(start),
       make_date(year(start), 1, 1), make_date(year(start), 12, 31)
FROM q
