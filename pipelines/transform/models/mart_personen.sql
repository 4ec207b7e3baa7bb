-- grain: one row per person (Wi2021 and Wi2013; indicators filter on wi2013 = false)
SELECT * FROM int_personen
