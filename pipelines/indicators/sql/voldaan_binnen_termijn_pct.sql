-- term end (initial PIP + 3 calendar years) in the period and <= D: voldaan on or before the term end
SELECT gemeente_code, unnest(perioden(termijn_einde)) AS periode, doelgroep, NULL AS categorie,
       coalesce(datum_voldaan <= termijn_einde, false) AS in_teller, NULL::DOUBLE AS waarde, persoon_id
FROM mart_personen p WHERE NOT p.wi2013 AND termijn_einde IS NOT NULL AND termijn_einde <= peildatum_gemeente
