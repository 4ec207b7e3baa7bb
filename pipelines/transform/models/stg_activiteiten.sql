-- grain: one row per participation activity
SELECT gemeente_code, client_id, gemeente_code || '/' || client_id AS persoon_id, peildatum,
       soort, datum_start, datum_einde, uren_per_week, load_id, file_name, row_number
FROM raw_activiteiten
