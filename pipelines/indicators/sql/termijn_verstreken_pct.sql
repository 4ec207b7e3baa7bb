-- stock at P = min(period end, D): term ended by P (not uitgestroomd before the term end):
-- neither voldaan nor ontheffing on or before P
SELECT p.gemeente_code, g.periode, p.doelgroep, NULL AS categorie,
       NOT (coalesce(p.datum_voldaan <= g.p, false) OR coalesce(p.datum_ontheffing <= g.p, false)) AS in_teller,
       NULL::DOUBLE AS waarde, p.persoon_id
FROM mart_personen p
JOIN (SELECT gemeente_code, periode, least(einde, peildatum) AS p FROM mart_perioden) g USING (gemeente_code)
WHERE NOT p.wi2013 AND p.termijn_einde <= g.p
  AND (p.datum_uitstroom IS NULL OR p.datum_uitstroom >= p.termijn_einde)
