DROP TABLE criteria_sets;
