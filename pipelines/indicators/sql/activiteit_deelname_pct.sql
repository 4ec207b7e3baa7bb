-- stock at P = min(period end, D): plicht started, not uitgestroomd, not voldaan by P: an activity running at P
WITH populatie AS (
    SELECT p.persoon_id, p.gemeente_code, p.doelgroep, g.periode, g.p
    FROM mart_personen p
    JOIN (SELECT gemeente_code, periode, least(einde, peildatum) AS p FROM mart_perioden) g USING (gemeente_code)
    WHERE NOT p.wi2013 AND p.datum_plicht <= g.p
      AND (p.datum_uitstroom IS NULL OR p.datum_uitstroom > g.p)
      AND (p.datum_voldaan IS NULL OR p.datum_voldaan > g.p)
), actief AS (
    SELECT DISTINCT x.persoon_id, x.periode
    FROM populatie x JOIN mart_activiteiten a ON a.persoon_id = x.persoon_id
    WHERE a.datum_start <= x.p AND (a.datum_einde IS NULL OR a.datum_einde >= x.p)
)
SELECT x.gemeente_code, x.periode, x.doelgroep, NULL AS categorie, a.persoon_id IS NOT NULL AS in_teller,
       NULL::DOUBLE AS waarde, persoon_id
FROM populatie x LEFT JOIN actief a USING (persoon_id, periode)
