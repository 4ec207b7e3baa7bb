-- count: persons whose instroomdatum lies in the period (every grid row, zero included)
SELECT 'instroom' AS indicator, g.gemeente_code, g.periode, g.doelgroep, CAST(NULL AS VARCHAR) AS categorie,
       count(p.persoon_id) AS teller, CAST(NULL AS BIGINT) AS noemer, CAST(count(p.persoon_id) AS DOUBLE) AS waarde
FROM mart_periode_doelgroep g
LEFT JOIN mart_personen p
       ON p.gemeente_code = g.gemeente_code AND NOT p.wi2013
      AND p.instroomdatum BETWEEN g.start AND g.einde
      AND (g.doelgroep = 'alle' OR p.doelgroep = g.doelgroep)
GROUP BY ALL
