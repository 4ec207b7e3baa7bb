-- grain: one row per (gemeente_code, client_id) of the current snapshot; rename and cast only
SELECT
    gemeente_code, client_id, gemeente_code || '/' || client_id AS persoon_id, peildatum,
    bsn_pseudoniem, bsn_versleuteld IS NOT NULL AS heeft_bsn,
    doelgroep, coalesce(nareiziger, false) AS nareiziger, geslacht, geboortejaar, herkomstland,
    datum_plicht, datum_koppeling, datum_huisvesting, datum_inschrijving_brp, datum_welkomgesprek,
    datum_start_brede_intake, datum_leerbaarheidstoets, datum_pip_initieel, datum_pip_actueel,
    leerroute_initieel, leerroute_actueel, datum_wijziging_leerroute, coalesce(afschaling_a2, false) AS afschaling_a2,
    datum_einde_termijn, bijstand, datum_start_ontzorgen, datum_einde_ontzorgen,
    map_status, datum_map_afgerond, pvt_status, datum_pvt_afgerond,
    datum_voldaan, datum_ontheffing, reden_ontheffing, datum_boete, datum_uitstroom, reden_uitstroom,
    load_id, file_name, row_number
FROM raw_personen
