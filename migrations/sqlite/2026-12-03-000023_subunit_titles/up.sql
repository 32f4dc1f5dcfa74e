-- The emulation titles of a unit's sub-units (issue 18; TT 124 arts. 6.5 and 7.6): once a year an
-- agency, enterprise or school declares how many sub-units it has (departments, workshops,
-- branches; a school's classes), how many hold the emulation titles the article names, which
-- titles and by what decision. The share decides criterion 5 of the unit's assessment. Nothing
-- personal is kept. Kept in step with the other database's migration.
CREATE TABLE subunit_titles (
    unit_code    TEXT NOT NULL REFERENCES units(code),
    year         INTEGER NOT NULL,
    subunits     INTEGER NOT NULL CHECK (subunits > 0),
    titled       INTEGER NOT NULL CHECK (titled >= 0 AND titled <= subunits),
    titles       TEXT NOT NULL,
    document     TEXT NOT NULL,
    note         TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_code, year)
);
