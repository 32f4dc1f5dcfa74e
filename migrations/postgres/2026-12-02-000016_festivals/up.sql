-- The «Ngày hội toàn dân bảo vệ ANTQ» (19/8) of each residential area (issue 19): its day,
-- attendance, a note, and photos whose metadata was stripped on arrival (as a tip's). One per
-- area and year.
-- Kept in step with migrations/sqlite.
CREATE TABLE festivals (
    id           TEXT PRIMARY KEY NOT NULL,
    unit_code    TEXT NOT NULL REFERENCES units(code),
    year         INTEGER NOT NULL,
    held_on      DATE NOT NULL,
    attendance   INTEGER NOT NULL,
    note         TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    UNIQUE (unit_code, year)
);
CREATE INDEX festivals_year ON festivals(year);

CREATE TABLE festival_photos (
    id            TEXT PRIMARY KEY NOT NULL,
    festival_id   TEXT NOT NULL REFERENCES festivals(id),
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    data          BYTEA NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX festival_photos_festival ON festival_photos(festival_id);
