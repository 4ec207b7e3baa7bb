-- count: route switches by the period of datum_wijziging_leerroute, categorie = the new route
SELECT gemeente_code, unnest(perioden(datum_wijziging_leerroute)) AS periode, doelgroep,
       leerroute_actueel AS categorie, NULL::BOOLEAN AS in_teller, NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND datum_wijziging_leerroute IS NOT NULL AND leerroute_actueel IS NOT NULL
   AND leerroute_actueel <> leerroute_initieel
