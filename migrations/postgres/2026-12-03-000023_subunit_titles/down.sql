DROP TABLE subunit_titles;
