-- median days from koppeling to huisvesting, asiel persons housed in the period
SELECT gemeente_code, unnest(perioden(datum_huisvesting)) AS periode, doelgroep, NULL AS categorie,
       NULL::BOOLEAN AS in_teller, CAST(datum_huisvesting - datum_koppeling AS DOUBLE) AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND doelgroep = 'asiel' AND datum_huisvesting IS NOT NULL AND datum_koppeling IS NOT NULL
