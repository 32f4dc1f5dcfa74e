-- A province's reporting calendar (issue 19): its own dates for each step of the reporting year
-- (shared::plan::calendar::CalendarSettings as JSON); a province without a row uses the defaults.
-- Kept in step with migrations/sqlite.
CREATE TABLE province_calendar (
    province_code  TEXT PRIMARY KEY NOT NULL REFERENCES units(code),
    settings       TEXT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
