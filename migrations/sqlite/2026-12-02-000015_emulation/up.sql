-- Emulation and awards (issue 19): the emulation blocks a province defines (khối thi đua), and
-- each unit's emulation of a year from registration through its review and the proposal to the
-- decision (number, date, signer). One entry per unit and year; the steps fill its columns in
-- order (shared::plan::emulation::next_status).
-- Kept in step with migrations/postgres.
CREATE TABLE emulation_blocks (
    id             TEXT PRIMARY KEY NOT NULL,
    province_code  TEXT NOT NULL REFERENCES units(code),
    name           TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (province_code, name)
);

CREATE TABLE emulation_entries (
    id               TEXT PRIMARY KEY NOT NULL,
    unit_code        TEXT NOT NULL REFERENCES units(code),
    year             INTEGER NOT NULL,
    block_id         TEXT NOT NULL REFERENCES emulation_blocks(id),
    aim              TEXT NOT NULL,
    -- registered | reviewed | proposed | awarded | not_awarded
    status           TEXT NOT NULL,
    registered_by    TEXT NOT NULL,
    registered_at    TIMESTAMP NOT NULL,
    review_summary   TEXT,
    aim_reached      BOOLEAN,
    -- The unit's dashboard row of the year at review (JSON).
    results          TEXT,
    reviewed_by      TEXT,
    reviewed_at      TIMESTAMP,
    award            TEXT,
    proposal_reason  TEXT,
    proposed_by      TEXT,
    proposed_at      TIMESTAMP,
    decision_number  TEXT,
    decision_date    DATE,
    decision_signer  TEXT,
    decided_by       TEXT,
    decided_at       TIMESTAMP,
    UNIQUE (unit_code, year)
);
CREATE INDEX emulation_entries_year ON emulation_entries(year, status);
