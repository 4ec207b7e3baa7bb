-- rate: the instroom persons; the engine divides by the inhabitants of the gemeente (or group)
SELECT gemeente_code, unnest(perioden(instroomdatum)) AS periode, doelgroep, NULL AS categorie,
       NULL::BOOLEAN AS in_teller, NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013
