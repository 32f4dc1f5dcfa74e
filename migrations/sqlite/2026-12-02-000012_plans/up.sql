-- Plans a province keeps itself (issue 19): drafts it edits, published plans it never edits
-- again, a new version that supersedes an older one from its first period. The two seed plans
-- (shared/plans/plans.json) are imported at start as published history. No foreign key on the
-- province: a plan may be made for a province that has since merged (58, 70) and whose unit row
-- a deployment may not hold.
-- Kept in step with migrations/postgres.
CREATE TABLE plans (
    id             TEXT PRIMARY KEY NOT NULL,
    province_code  TEXT NOT NULL,
    from_period    INTEGER NOT NULL,
    to_period      INTEGER NOT NULL,
    title_vi       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    source         TEXT,
    -- draft | published
    status         TEXT NOT NULL,
    supersedes     TEXT REFERENCES plans(id),
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    published_by   TEXT,
    published_at   TIMESTAMP
);
CREATE INDEX plans_province ON plans(province_code, status);

CREATE TABLE plan_targets (
    plan_id  TEXT NOT NULL REFERENCES plans(id),
    seq      INTEGER NOT NULL,
    metric   TEXT NOT NULL,
    grp      TEXT NOT NULL,
    min      REAL,
    max      REAL,
    of_safe  BOOLEAN NOT NULL,
    PRIMARY KEY (plan_id, seq)
);
