-- Tips follow the procedure (issue 17; shared/src/tip/procedure.rs): who holds a tip, the period
-- its clock counts and the rule it follows, what the preliminary check found, where a matter that
-- is not a crime was referred; decisions in the history with number, date and signer; each
-- province's corrections of the procedure's numbers and its list of days off.
-- Kept in step with migrations/postgres.
ALTER TABLE tips ADD COLUMN holder TEXT NOT NULL DEFAULT 'commune';
ALTER TABLE tips ADD COLUMN period TEXT;
-- When the current period ends (UTC); NULL when no clock runs.
ALTER TABLE tips ADD COLUMN due_at TIMESTAMP;
-- The id of the rule the current period follows (tip::procedure::RULES).
ALTER TABLE tips ADD COLUMN rule TEXT;
-- The first day of the handler's period (its receipt, or the decision to resume).
ALTER TABLE tips ADD COLUMN period_start DATE;
ALTER TABLE tips ADD COLUMN transfer_class TEXT;
ALTER TABLE tips ADD COLUMN crime_class TEXT;
-- The body a matter that is not a crime was referred to (a body's name, not personal).
ALTER TABLE tips ADD COLUMN referred_to TEXT;
CREATE INDEX tips_due ON tips(status, due_at);

ALTER TABLE tip_events ADD COLUMN step TEXT;
ALTER TABLE tip_events ADD COLUMN act_number TEXT;
ALTER TABLE tip_events ADD COLUMN act_date DATE;
ALTER TABLE tip_events ADD COLUMN act_signer TEXT;

CREATE TABLE province_procedure (
    province_code TEXT PRIMARY KEY NOT NULL REFERENCES units(code),
    -- JSON of tip::procedure::ProcedureSettings
    settings      TEXT NOT NULL,
    updated_by    TEXT NOT NULL REFERENCES users(id),
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE holidays (
    province_code TEXT NOT NULL REFERENCES units(code),
    day           DATE NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (province_code, day)
);
