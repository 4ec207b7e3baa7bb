-- count: persons by the period of their instroomdatum (asiel: koppeling, else BRP, else plicht; others: BRP, else plicht)
SELECT gemeente_code, unnest(perioden(instroomdatum)) AS periode, doelgroep, NULL AS categorie,
       NULL::BOOLEAN AS in_teller, NULL::DOUBLE AS waarde, p.persoon_id
FROM mart_personen p WHERE NOT p.wi2013
