-- asiel, koppeling + 42 in the period and <= D: welkomgesprek on or before koppeling + 42
SELECT gemeente_code, unnest(perioden(datum_koppeling + 42)) AS periode, doelgroep, NULL AS categorie,
       coalesce(datum_welkomgesprek <= datum_koppeling + 42, false) AS in_teller, NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND doelgroep = 'asiel' AND datum_koppeling IS NOT NULL AND datum_koppeling + 42 <= peildatum_gemeente
