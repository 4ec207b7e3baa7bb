-- grain: as stg_gesprekken, with the person's doelgroep and law (rows of unknown persons cannot exist:
-- quarantined); gemeente_code on the current indeling, from the person
SELECT c.* EXCLUDE (gemeente_code), p.gemeente_code, p.doelgroep, p.wi2013, p.leerroute_initieel, p.datum_pip_initieel, p.peildatum_gemeente
FROM stg_gesprekken c
JOIN int_personen p USING (persoon_id)
