-- B1-route in the initial PIP dated in the period: lowered to A2 (status at D)
SELECT gemeente_code, unnest(perioden(datum_pip_initieel)) AS periode, doelgroep, NULL AS categorie,
       coalesce(afschaling_a2, false) AS in_teller, NULL::DOUBLE AS waarde, persoon_id
FROM mart_personen p WHERE NOT p.wi2013 AND leerroute_initieel = 'B1' AND datum_pip_initieel IS NOT NULL
