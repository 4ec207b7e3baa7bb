-- exam attempts (geslaagd or gezakt) in the period, per onderdeel (the engine adds categorie 'alle')
SELECT gemeente_code, unnest(perioden(datum_examen)) AS periode, doelgroep, onderdeel AS categorie,
       resultaat = 'geslaagd' AS in_teller, NULL::DOUBLE AS waarde, persoon_id
FROM mart_examens
WHERE NOT wi2013 AND resultaat IN ('geslaagd', 'gezakt')
