-- Targets of a plan's own wording that the platform does not count (metric 'manual', issue 19):
-- their names, and the figure the province enters for a unit and period, with who entered it
-- and when. One figure per target, unit and period; a new entry replaces it.
-- Kept in step with migrations/postgres.
ALTER TABLE plan_targets ADD COLUMN label_vi TEXT;
ALTER TABLE plan_targets ADD COLUMN label_en TEXT;

CREATE TABLE target_figures (
    plan_id     TEXT NOT NULL REFERENCES plans(id),
    seq         INTEGER NOT NULL,
    unit_code   TEXT NOT NULL REFERENCES units(code),
    period      INTEGER NOT NULL,
    value       REAL NOT NULL,
    entered_by  TEXT NOT NULL,
    entered_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, seq, unit_code, period)
);
