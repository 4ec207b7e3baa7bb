-- PIP + 365 in the period and <= D: at least 2 voortgang talks in (pip, pip + 365]
SELECT p.gemeente_code, unnest(perioden(p.datum_pip_initieel + 365)) AS periode, p.doelgroep, NULL AS categorie,
       (SELECT count(*) FROM mart_gesprekken g
         WHERE g.persoon_id = p.persoon_id AND g.soort = 'voortgang'
           AND g.datum_gesprek > p.datum_pip_initieel AND g.datum_gesprek <= p.datum_pip_initieel + 365) >= 2
           AS in_teller,
       NULL::DOUBLE AS waarde
FROM mart_personen p
WHERE NOT p.wi2013 AND p.datum_pip_initieel IS NOT NULL AND p.datum_pip_initieel + 365 <= p.peildatum_gemeente
