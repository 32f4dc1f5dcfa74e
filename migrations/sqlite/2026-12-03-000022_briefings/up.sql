-- Briefings and trainings of an agency's, enterprise's or school's people (issue 18; TT 124 arts.
-- 6.1, 7.1: 100% of the staff, and of the pupils, briefed): each session with its day, topic, the
-- class or department it was for (none: the whole unit), attendance against headcount, and
-- whether it was a school's flag-ceremony briefing. Kept in step with the other database's
-- migration.
CREATE TABLE briefings (
    id            TEXT PRIMARY KEY NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    group_code    TEXT REFERENCES units(code),
    held_on       DATE NOT NULL,
    topic         TEXT NOT NULL,
    attendance    INTEGER NOT NULL,
    headcount     INTEGER NOT NULL,
    flag_ceremony BOOLEAN NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TIMESTAMP NOT NULL
);

CREATE INDEX briefings_by_unit ON briefings (unit_code, held_on);
