-- Running as a fleet (issue 21). Kept in step with the other database's migration.
--
-- `job_runs`: when each scheduled job last ran (`app::jobs::claim`).
CREATE TABLE job_runs (
    name    TEXT PRIMARY KEY NOT NULL,
    ran_at  TIMESTAMP NOT NULL
);

-- `rate_counts`: on PostgreSQL, the rate limits' counters shared by the fleet. A SQLite database
-- has one server, which counts in its own memory (`infra::ratelimit`), so this table stays empty
-- here; it exists so that both databases have the one schema `db::schema` declares.
CREATE TABLE rate_counts (
    limiter  TEXT NOT NULL,
    scope    TEXT NOT NULL,
    client   TEXT NOT NULL,
    win      BIGINT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (limiter, scope, client, win)
);
