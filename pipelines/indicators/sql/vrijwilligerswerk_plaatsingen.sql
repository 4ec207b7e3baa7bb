-- count: vrijwilligerswerk activities by the period of datum_start (doelgroep of the person)
SELECT gemeente_code, unnest(perioden(datum_start)) AS periode, doelgroep, NULL AS categorie,
       NULL::BOOLEAN AS in_teller, NULL::DOUBLE AS waarde, persoon_id
FROM mart_activiteiten
WHERE NOT wi2013 AND soort = 'vrijwilligerswerk'
