-- B1-route, PIP + N months (12, 24, 36 months = 365, 730, 1095 days) in the period and <= D: all four language parts passed at
-- B1 or B2 and KNM passed, each on or before that deadline
WITH termijnen AS (
    SELECT p.*, CAST(n AS VARCHAR) AS categorie, p.datum_pip_initieel + n * 365 // 12 AS grens
    FROM mart_personen p, (VALUES (12), (24), (36)) m(n)
    WHERE NOT p.wi2013 AND p.leerroute_initieel = 'B1' AND p.datum_pip_initieel IS NOT NULL
), eerst AS (
    -- per person and part the first pass that counts (a language part at B1 or B2, KNM at any level)
    SELECT persoon_id, onderdeel, min(datum_examen) AS datum
    FROM mart_examens
    WHERE resultaat = 'geslaagd' AND (onderdeel = 'knm' OR niveau IN ('B1', 'B2'))
      AND persoon_id IN (SELECT persoon_id FROM termijnen)
    GROUP BY ALL
), behaald AS (
    -- the parts passed on or before the deadline
    SELECT t.persoon_id, t.categorie, count(*) AS onderdelen
    FROM termijnen t JOIN eerst e ON e.persoon_id = t.persoon_id AND e.datum <= t.grens
    GROUP BY ALL
)
SELECT t.gemeente_code, unnest(perioden(t.grens)) AS periode, t.doelgroep, t.categorie,
       coalesce(b.onderdelen, 0) = 5 AS in_teller, NULL::DOUBLE AS waarde, persoon_id
FROM termijnen t
LEFT JOIN behaald b USING (persoon_id, categorie)
WHERE t.grens <= t.peildatum_gemeente
