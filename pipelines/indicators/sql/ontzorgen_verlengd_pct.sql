-- ontzorgen start + 183 in the period and <= D: still running or ended after start + 183 (extended)
SELECT gemeente_code, unnest(perioden(datum_start_ontzorgen + 183)) AS periode, doelgroep, NULL AS categorie,
       datum_einde_ontzorgen IS NULL OR datum_einde_ontzorgen > datum_start_ontzorgen + 183 AS in_teller,
       NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND datum_start_ontzorgen IS NOT NULL AND datum_start_ontzorgen + 183 <= peildatum_gemeente
