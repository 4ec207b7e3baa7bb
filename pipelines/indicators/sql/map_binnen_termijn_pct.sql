-- term end in the period and <= D, not exempt: MAP completed (voldaan) on or before the term end
SELECT gemeente_code, unnest(perioden(termijn_einde)) AS periode, doelgroep, NULL AS categorie,
       coalesce(map_status = 'voldaan' AND datum_map_afgerond <= termijn_einde, false) AS in_teller,
       NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND termijn_einde IS NOT NULL AND termijn_einde <= peildatum_gemeente
   AND map_status IS DISTINCT FROM 'vrijgesteld'
