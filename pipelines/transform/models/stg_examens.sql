-- grain: one row per exam attempt
SELECT gemeente_code, client_id, gemeente_code || '/' || client_id AS persoon_id, peildatum,
       onderdeel, niveau, datum_examen, resultaat, poging, load_id, file_name, row_number
FROM raw_examens
