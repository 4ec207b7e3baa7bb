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
    SELECT DISTINCT x.persoon_id, x.periode
    FROM populatie x JOIN mart_activiteiten a ON a.persoon_id = x.persoon_id
    WHERE a.soort = 'betaald_werk' AND a.datum_start <= x.p AND (a.datum_einde IS NULL OR a.datum_einde >= x.p)
)
SELECT x.gemeente_code, x.periode, x.doelgroep, NULL AS categorie, w.persoon_id IS NOT NULL AS in_teller,
       NULL::DOUBLE AS waarde, persoon_id
FROM populatie x LEFT JOIN werkend w USING (persoon_id, periode)
