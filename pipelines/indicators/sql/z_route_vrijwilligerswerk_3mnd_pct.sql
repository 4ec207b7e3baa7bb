-- Z-route, PIP + 91 in the period and <= D: a vrijwilligerswerk activity started by PIP + 91
SELECT p.gemeente_code, unnest(perioden(p.datum_pip_initieel + 91)) AS periode, p.doelgroep, NULL AS categorie,
       EXISTS (SELECT 1 FROM mart_activiteiten a
                WHERE a.persoon_id = p.persoon_id AND a.soort = 'vrijwilligerswerk'
                  AND a.datum_start <= p.datum_pip_initieel + 91) AS in_teller,
       NULL::DOUBLE AS waarde, p.persoon_id
FROM mart_personen p
WHERE NOT p.wi2013 AND p.leerroute_initieel = 'Z' AND p.datum_pip_initieel + 91 <= p.peildatum_gemeente
