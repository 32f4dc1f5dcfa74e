-- Notices of urgent tips (issue 17): what the commune's officers see at once in the console, the
-- province's escalation when nobody opened it, and the outbox that delivers the same notices to an
-- SMS / Zalo OA / e-mail gateway. No tip content anywhere: a kind, a commune, a time.
-- Kept in step with migrations/sqlite.
CREATE TABLE tip_notices (
    id            TEXT PRIMARY KEY NOT NULL,
    tip_id        TEXT NOT NULL REFERENCES tips(id),
    -- urgent_tip | transfer_due | escalated
    kind          TEXT NOT NULL,
    -- commune (its police) | province (an escalation)
    audience      TEXT NOT NULL,
    -- The tip's commune path: the scope filter (an escalation reaches the province above it).
    unit_path     TEXT NOT NULL,
    commune_code  TEXT NOT NULL REFERENCES units(code),
    created_at    TIMESTAMP NOT NULL,
    -- When an officer of the commune first opened the tip after the notice.
    opened_at     TIMESTAMP,
    escalated_at  TIMESTAMP
);
CREATE INDEX tip_notices_at ON tip_notices(created_at, id);
-- One notice of each kind per tip: two instances running the jobs at once cannot both send it.
CREATE UNIQUE INDEX tip_notices_once ON tip_notices(tip_id, kind);

CREATE TABLE notice_outbox (
    id            TEXT PRIMARY KEY NOT NULL,
    notice_id     TEXT NOT NULL REFERENCES tip_notices(id),
    -- The JSON sent to the gateway (tip::notice::GatewayNotice): no tip content, no tip id.
    payload       TEXT NOT NULL,
    attempts      INTEGER NOT NULL,
    next_at       TIMESTAMP NOT NULL,
    delivered_at  TIMESTAMP,
    -- Set after the last attempt failed: the dead-letter list.
    dead_at       TIMESTAMP,
    last_error    TEXT
);
CREATE INDEX notice_outbox_due ON notice_outbox(next_at);
