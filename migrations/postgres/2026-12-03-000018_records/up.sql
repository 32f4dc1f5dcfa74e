-- Records a commune keeps through the year (issue 18) and the clock of each tip step (issue 19):
-- the self-managed models of its units (mô hình tự phòng, tự quản, tự bảo vệ) with a review per
-- year; the security team (Tổ bảo vệ an ninh, trật tự) of each residential area, its members
-- (name, position, phone, training; never a CCCD) and a review per year; and, on each step of a
-- tip, the end of the period that was running when it was taken, so a concluding step can be
-- counted on time or late (a step recorded before this migration has none and is not counted).
-- Kept in step with migrations/sqlite.
CREATE TABLE models (
    id          TEXT PRIMARY KEY NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    started_on  DATE NOT NULL,
    members     INTEGER NOT NULL,
    retired_on  DATE,
    created_by  TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX models_unit ON models(unit_code);

CREATE TABLE model_ratings (
    model_id  TEXT NOT NULL REFERENCES models(id),
    year      INTEGER NOT NULL,
    rating    TEXT NOT NULL,
    rated_by  TEXT NOT NULL,
    rated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (model_id, year)
);

CREATE TABLE security_teams (
    unit_code        TEXT PRIMARY KEY NOT NULL REFERENCES units(code),
    founded_on       DATE NOT NULL,
    decision_number  TEXT NOT NULL,
    updated_by       TEXT NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE team_members (
    unit_code   TEXT NOT NULL REFERENCES security_teams(unit_code),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    position    TEXT NOT NULL,
    phone       TEXT,
    trained_on  DATE,
    PRIMARY KEY (unit_code, seq)
);

CREATE TABLE team_ratings (
    unit_code  TEXT NOT NULL REFERENCES security_teams(unit_code),
    year       INTEGER NOT NULL,
    rating     TEXT NOT NULL,
    rated_by   TEXT NOT NULL,
    rated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_code, year)
);

ALTER TABLE tip_events ADD COLUMN due_at TIMESTAMP;
