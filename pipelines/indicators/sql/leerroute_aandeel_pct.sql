-- distribution over leerroute_initieel of the persons with an initial PIP in the period
SELECT gemeente_code, unnest(perioden(datum_pip_initieel)) AS periode, doelgroep, leerroute_initieel AS categorie,
       NULL::BOOLEAN AS in_teller, NULL::DOUBLE AS waarde, persoon_id
FROM mart_personen p WHERE NOT p.wi2013 AND datum_pip_initieel IS NOT NULL
