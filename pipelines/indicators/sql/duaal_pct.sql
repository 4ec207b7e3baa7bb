-- stock at P = min(period end, D): learning (initial PIP by P, route B1 or ONDERWIJS), not uitgestroomd, not
-- voldaan by P: paid work (betaald_werk) running at P
WITH populatie AS (
    SELECT p.persoon_id, p.gemeente_code, p.doelgroep, g.periode, g.p
    FROM mart_personen p
    JOIN (SELECT gemeente_code, periode, least(einde, peildatum) AS p FROM mart_perioden) g USING (gemeente_code)
    WHERE NOT p.wi2013 AND p.datum_pip_initieel <= g.p
      AND coalesce(p.leerroute_actueel, p.leerroute_initieel) IN ('B1', 'ONDERWIJS')
      AND (p.datum_uitstroom IS NULL OR p.datum_uitstroom > g.p)
      AND (p.datum_voldaan IS NULL OR p.datum_voldaan > g.p)
), werkend AS (
    -- the periods at whose P paid work runs, per activity (as in activiteit_deelname_pct)
    SELECT DISTINCT a.persoon_id, g.periode
    FROM mart_activiteiten a
    JOIN (SELECT gemeente_code, periode, least(einde, peildatum) AS p FROM mart_perioden) g
      ON g.gemeente_code = a.gemeente_code AND a.datum_start <= g.p AND (a.datum_einde IS NULL OR a.datum_einde >= g.p)
    WHERE NOT a.wi2013 AND a.soort = 'betaald_werk'
)
SELECT x.gemeente_code, x.periode, x.doelgroep, NULL AS categorie, w.persoon_id IS NOT NULL AS in_teller,
       NULL::DOUBLE AS waarde, persoon_id
FROM populatie x LEFT JOIN werkend w USING (persoon_id, periode)
