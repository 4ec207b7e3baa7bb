-- asiel with bijstand, registered in the BRP in the period: ontzorgen started (status at D)
SELECT gemeente_code, unnest(perioden(datum_inschrijving_brp)) AS periode, doelgroep, NULL AS categorie,
       datum_start_ontzorgen IS NOT NULL AS in_teller, NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND doelgroep = 'asiel' AND bijstand AND datum_inschrijving_brp IS NOT NULL
