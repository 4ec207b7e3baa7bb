-- count: exemptions by the period of datum_ontheffing, categorie = reden (or 'onbekend')
SELECT gemeente_code, unnest(perioden(datum_ontheffing)) AS periode, doelgroep,
       coalesce(reden_ontheffing, 'onbekend') AS categorie, NULL::BOOLEAN AS in_teller, NULL::DOUBLE AS waarde
FROM mart_personen p WHERE NOT p.wi2013 AND datum_ontheffing IS NOT NULL
