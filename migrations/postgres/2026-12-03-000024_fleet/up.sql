-- Running as a fleet (issue 21): several instances on one database.
--
-- `job_runs`: when each scheduled job last ran, anywhere in the fleet. An instance runs a job
-- only after moving its row forward in one compare-and-set (`app::jobs::claim`), so a purge runs
-- once per period across the fleet, not once per instance.
CREATE TABLE job_runs (
    name    TEXT PRIMARY KEY,
    ran_at  TIMESTAMP NOT NULL
);

-- `rate_counts`: the fixed-window counters of the rate limits, shared by every instance
-- (`infra::ratelimit::fleet`). Unlogged: no WAL, not replicated, emptied after a crash, which at
-- worst gives a client a fresh window. `client` is a keyed hash of the client address or the
-- account name, never the address itself.
CREATE UNLOGGED TABLE rate_counts (
    limiter  TEXT NOT NULL,
    scope    TEXT NOT NULL,
    client   TEXT NOT NULL,
    win      BIGINT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (limiter, scope, client, win)
);

-- The shared limit's rule in one round trip (`infra::ratelimit::fleet::Shared`, the database form
-- of `SharedLimiter`): the scope's total is the row of client '*', locked first, so concurrent
-- hits on any instance take their turn; once the total is reached only clients who already used
-- some of it are refused, and no client counts for more than its share.
CREATE FUNCTION rate_shared_hit(p_limiter TEXT, p_scope TEXT, p_client TEXT, p_win BIGINT,
                                p_limit INTEGER, p_per_key INTEGER)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    total INTEGER;
    mine  INTEGER;
BEGIN
    INSERT INTO rate_counts (limiter, scope, client, win, n) VALUES (p_limiter, p_scope, '*', p_win, 0)
        ON CONFLICT (limiter, scope, client, win) DO UPDATE SET n = rate_counts.n
        RETURNING n INTO total;
    SELECT n INTO mine FROM rate_counts
        WHERE limiter = p_limiter AND scope = p_scope AND client = p_client AND win = p_win;
    mine := COALESCE(mine, 0);
    IF total >= p_limit AND mine > 0 THEN
        RETURN FALSE;
    END IF;
    IF mine < p_per_key THEN
        INSERT INTO rate_counts (limiter, scope, client, win, n) VALUES (p_limiter, p_scope, p_client, p_win, 1)
            ON CONFLICT (limiter, scope, client, win) DO UPDATE SET n = rate_counts.n + 1;
        UPDATE rate_counts SET n = n + 1
            WHERE limiter = p_limiter AND scope = p_scope AND client = '*' AND win = p_win;
    END IF;
    RETURN TRUE;
END $$;

-- Gives back one event of a client in a shared limit (an attempt that succeeded).
CREATE FUNCTION rate_shared_release(p_limiter TEXT, p_scope TEXT, p_client TEXT, p_win BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM rate_counts
        WHERE limiter = p_limiter AND scope = p_scope AND client = '*' AND win = p_win FOR UPDATE;
    UPDATE rate_counts SET n = n - 1
        WHERE limiter = p_limiter AND scope = p_scope AND client = p_client AND win = p_win AND n > 0;
    IF FOUND THEN
        UPDATE rate_counts SET n = n - 1
            WHERE limiter = p_limiter AND scope = p_scope AND client = '*' AND win = p_win AND n > 0;
    END IF;
END $$;
