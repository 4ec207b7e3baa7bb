-- grain: one row per person per month; maand 'YYYY-MM' becomes the first day of that month
SELECT gemeente_code, client_id, gemeente_code || '/' || client_id AS persoon_id, peildatum,
       maand, CAST(maand || '-01' AS DATE) AS maand_start, uren_taal, uren_participatie,
       load_id, file_name, row_number
FROM raw_uren
