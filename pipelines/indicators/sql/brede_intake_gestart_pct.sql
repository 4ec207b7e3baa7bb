-- CBS cohort (year of datum_plicht), years only: brede intake started by min(31 Dec of that year, D)
SELECT gemeente_code, CAST(year(datum_plicht) AS VARCHAR) AS periode, doelgroep, NULL AS categorie,
       coalesce(datum_start_brede_intake <= least(make_date(year(datum_plicht), 12, 31), peildatum_gemeente), false)
           AS in_teller,
       NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013
