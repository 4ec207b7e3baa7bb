-- median days from BRP registration to the initial PIP, persons with the PIP in the period
SELECT gemeente_code, unnest(perioden(datum_pip_initieel)) AS periode, doelgroep, NULL AS categorie,
       NULL::BOOLEAN AS in_teller, CAST(datum_pip_initieel - datum_inschrijving_brp AS DOUBLE) AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND datum_pip_initieel IS NOT NULL AND datum_inschrijving_brp IS NOT NULL
