-- Z-route, term end in the period and <= D: >= 800 hours of taal (categorie taal) or participatie
-- (categorie participatie) over the months up to the term end
WITH p AS (
    SELECT * FROM mart_personen
    WHERE NOT wi2013 AND leerroute_initieel = 'Z' AND termijn_einde IS NOT NULL AND termijn_einde <= peildatum_gemeente
), uren AS (
    SELECT p.persoon_id, coalesce(sum(u.uren_taal), 0) AS taal, coalesce(sum(u.uren_participatie), 0) AS participatie
    FROM p LEFT JOIN mart_uren u ON u.persoon_id = p.persoon_id AND u.maand_start <= p.termijn_einde
    GROUP BY ALL
)
SELECT p.gemeente_code, unnest(perioden(p.termijn_einde)) AS periode, p.doelgroep, c.categorie,
       CASE c.categorie WHEN 'taal' THEN u.taal >= 800 ELSE u.participatie >= 800 END AS in_teller,
       NULL::DOUBLE AS waarde
FROM p JOIN uren u USING (persoon_id)
CROSS JOIN (VALUES ('taal'), ('participatie')) c(categorie)
