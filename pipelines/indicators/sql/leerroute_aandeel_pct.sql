-- share per categorie: persons with datum_pip_initieel in the period; teller = leerroute_initieel = categorie
WITH populatie AS (
    SELECT g.gemeente_code, g.periode, g.doelgroep, p.leerroute_initieel
    FROM mart_periode_doelgroep g
    JOIN mart_personen p
      ON p.gemeente_code = g.gemeente_code AND NOT p.wi2013
     AND p.datum_pip_initieel BETWEEN g.start AND g.einde
     AND (g.doelgroep = 'alle' OR p.doelgroep = g.doelgroep)
)
SELECT 'leerroute_aandeel_pct' AS indicator, gemeente_code, periode, doelgroep, c.categorie,
       count(*) FILTER (WHERE leerroute_initieel = c.categorie) AS teller, count(*) AS noemer,
       100.0 * count(*) FILTER (WHERE leerroute_initieel = c.categorie) / count(*) AS waarde
FROM populatie
CROSS JOIN (VALUES ('B1'), ('ONDERWIJS'), ('Z')) c(categorie)
GROUP BY ALL
