DROP TABLE unit_exclusions;
DROP TABLE registrations;
