-- grain: one row per talk
SELECT gemeente_code, client_id, gemeente_code || '/' || client_id AS persoon_id, peildatum,
       soort, datum_gesprek, load_id, file_name, row_number
FROM raw_gesprekken
