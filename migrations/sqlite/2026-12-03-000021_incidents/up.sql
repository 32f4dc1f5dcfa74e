-- The events of criterion 4 a unit keeps through the year (issue 18; TT 124 art. 4.4 and art. 5):
-- serious crimes, new social evils, fires, explosions, fatal work accidents and other serious
-- incidents, with when they happened and were reported (Vietnam time) and whether they were
-- force majeure — the exception «trừ trường hợp bất khả kháng mà đã kịp thời phát hiện, báo cáo»
-- is evaluated from these (shared::incident). Kept in step with the other database's migration.
CREATE TABLE incidents (
    id            TEXT PRIMARY KEY NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units(code),
    unit_path     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    occurred_at   TIMESTAMP NOT NULL,
    reported_at   TIMESTAMP NOT NULL,
    force_majeure BOOLEAN NOT NULL,
    description   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TIMESTAMP NOT NULL
);

CREATE INDEX incidents_by_path ON incidents (unit_path, occurred_at);
