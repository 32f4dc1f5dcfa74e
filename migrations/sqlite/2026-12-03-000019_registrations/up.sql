-- Registrations of quarter I and the units outside Thông tư 124 (issue 18): each unit's
-- registration to strive for the standard «An toàn về an ninh, trật tự» in a year (TT 124 arts.
-- 4.1, 9.2.a), with the resolution, plan or registration it was made by; and, for a unit the
-- Thông tư does not apply to (art. 1.2.b: armed-forces agencies, small and micro enterprises,
-- primary and pre-schools), why — such a unit is not counted by the commune's rule (art. 5.4).
-- Kept in step with the other database's migration.
CREATE TABLE registrations (
    unit_code      TEXT NOT NULL REFERENCES units(code),
    year           INTEGER NOT NULL,
    registered_on  DATE NOT NULL,
    document       TEXT NOT NULL,
    note           TEXT,
    recorded_by    TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_code, year)
);

CREATE TABLE unit_exclusions (
    unit_code  TEXT PRIMARY KEY NOT NULL REFERENCES units(code),
    exclusion  TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     TIMESTAMP NOT NULL
);
