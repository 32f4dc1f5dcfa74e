-- Assessments against the «An toàn về an ninh, trật tự» standard, one per unit per period, their
-- history and evidence files. Kept in step with migrations/postgres.

CREATE TABLE assessments (
    id             TEXT PRIMARY KEY NOT NULL,
    unit_code      TEXT NOT NULL REFERENCES units(code),
    unit_path      TEXT NOT NULL,
    unit_kind      TEXT NOT NULL,
    -- The year the period ends in (khu dân cư 1/11–31/10, others 16/11–15/11).
    period         INTEGER NOT NULL,
    set_id         TEXT NOT NULL,
    -- draft | submitted | returned | approved
    status         TEXT NOT NULL,
    -- JSON: {"criteria": {code: {passed, note, override_reason}}, "scores": {code: points}}
    answers        TEXT NOT NULL,
    -- JSON: the platform's evidence, frozen when submitted.
    evidence       TEXT,
    score          INTEGER,
    classification TEXT,
    recognised     BOOLEAN,
    review_comment TEXT,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    submitted_by   TEXT,
    submitted_at   TIMESTAMP,
    reviewed_by    TEXT,
    reviewed_at    TIMESTAMP,
    seq            INTEGER NOT NULL,
    UNIQUE (unit_code, period)
);
CREATE INDEX assessments_tree ON assessments(unit_path, period);

CREATE TABLE assessment_events (
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    seq           INTEGER NOT NULL,
    at            TIMESTAMP NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    comment       TEXT,
    PRIMARY KEY (assessment_id, seq)
);

CREATE TABLE assessment_files (
    id            TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments(id),
    criterion     TEXT NOT NULL,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    data          BLOB NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX assessment_files_of ON assessment_files(assessment_id);
