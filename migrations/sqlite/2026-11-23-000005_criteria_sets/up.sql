-- A province's own versions of the criteria sets (the national ones ship in the binary). Rows are
-- never updated: a change is a new version, so an assessment's set never moves under it.
CREATE TABLE criteria_sets (
    id         TEXT PRIMARY KEY NOT NULL,
    unit_kind  TEXT NOT NULL,
    province   TEXT NOT NULL REFERENCES units(code),
    version    INTEGER NOT NULL,
    -- The whole set as JSON (shared::assessment::CriteriaSet).
    body       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (unit_kind, province, version)
);
