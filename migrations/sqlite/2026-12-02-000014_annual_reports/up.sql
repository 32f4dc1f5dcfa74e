-- Annual reports a unit sends through the platform (issue 19, the reporting year): the year's
-- dashboard frozen at sending (JSON), the figures the unit enters (JSON), a note. Each sending is
-- a new version; none is overwritten. Aggregates only: nothing personal is stored here.
-- Kept in step with migrations/postgres.
CREATE TABLE annual_reports (
    id          TEXT PRIMARY KEY NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    figures     TEXT NOT NULL,
    note        TEXT,
    dashboard   TEXT NOT NULL,
    sent_by     TEXT NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    UNIQUE (unit_code, year, version)
);
