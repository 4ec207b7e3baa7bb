-- registered in the BRP in the period, 70 days observable by D: PIP within 70 days of registration
SELECT gemeente_code, unnest(perioden(datum_inschrijving_brp)) AS periode, doelgroep, NULL AS categorie,
       coalesce(datum_pip_initieel <= datum_inschrijving_brp + 70, false) AS in_teller, NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND datum_inschrijving_brp IS NOT NULL AND datum_inschrijving_brp + 70 <= peildatum_gemeente
