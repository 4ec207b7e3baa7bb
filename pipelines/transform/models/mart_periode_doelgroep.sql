-- grain: one row per gemeente x periode x doelgroep ('alle', 'asiel', 'gezin', 'overig'): the grid every
-- indicator is reported on. Persons belong to a row when doelgroep = 'alle' or their doelgroep matches.
SELECT p.gemeente_code, p.peildatum, p.periode, p.soort, p.jaar, p.start, p.einde, d.doelgroep
FROM mart_perioden p
CROSS JOIN (VALUES ('alle'), ('asiel'), ('gezin'), ('overig')) d(doelgroep)
