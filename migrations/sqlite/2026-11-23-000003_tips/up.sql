-- Tips (tố giác, tin báo về tội phạm): sealed content, the triage history, the audit log.
-- Kept in step with migrations/postgres. Reporter-side times are stored to the minute; no IP
-- address or user agent is stored anywhere.

CREATE TABLE tips (
    id            TEXT PRIMARY KEY NOT NULL,
    -- SHA-256 of the receipt code (the code itself is never stored); NULL once purged.
    receipt_hash  TEXT UNIQUE,
    commune_code  TEXT NOT NULL REFERENCES units(code),
    -- The commune's path in the unit tree, for scope filters.
    unit_path     TEXT NOT NULL,
    category      TEXT NOT NULL,
    status        TEXT NOT NULL,
    -- 0 life_safety, 1 high, 2 normal: the queue sorts on it.
    priority      INTEGER NOT NULL,
    anonymous     BOOLEAN NOT NULL,
    received_at   TIMESTAMP NOT NULL,
    -- The Vietnam date of receipt and the decision deadline (BLTTHS art. 147).
    received_on   DATE NOT NULL,
    deadline      DATE NOT NULL,
    extensions    INTEGER NOT NULL,
    assigned_to   TEXT REFERENCES users(id),
    merged_into   TEXT REFERENCES tips(id),
    closed_at     TIMESTAMP,
    -- Sealed JSON of description, place, coordinates, incident time, contact; key id beside it.
    key_id        TEXT,
    content       BLOB,
    photos        INTEGER NOT NULL,
    -- Last sequence number used by the tip's events and messages.
    seq           INTEGER NOT NULL,
    purged_at     TIMESTAMP
);
CREATE INDEX tips_queue ON tips(unit_path, priority, deadline);
CREATE INDEX tips_open ON tips(status, deadline);
CREATE INDEX tips_closed ON tips(closed_at);

CREATE TABLE tip_messages (
    id          TEXT PRIMARY KEY NOT NULL,
    tip_id      TEXT NOT NULL REFERENCES tips(id),
    seq         INTEGER NOT NULL,
    -- reporter | officer | note (internal, never shown to the reporter)
    kind        TEXT NOT NULL,
    author_id   TEXT REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL,
    key_id      TEXT NOT NULL,
    body        BLOB NOT NULL,
    UNIQUE (tip_id, seq)
);

CREATE TABLE tip_photos (
    id           TEXT PRIMARY KEY NOT NULL,
    tip_id       TEXT NOT NULL REFERENCES tips(id),
    message_id   TEXT REFERENCES tip_messages(id),
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    key_id       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX tip_photos_tip ON tip_photos(tip_id);

-- The tip's history: creation, transitions, assignment, priority, extensions, merges, messages.
CREATE TABLE tip_events (
    tip_id      TEXT NOT NULL REFERENCES tips(id),
    seq         INTEGER NOT NULL,
    at          TIMESTAMP NOT NULL,
    -- a user id, or 'reporter'
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    detail      TEXT,
    reason      TEXT,
    PRIMARY KEY (tip_id, seq)
);

-- Who did or read what, when. Never holds content.
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY NOT NULL,
    at         TIMESTAMP NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    action     TEXT NOT NULL,
    tip_id     TEXT,
    unit_path  TEXT,
    detail     TEXT
);
CREATE INDEX audit_log_tip ON audit_log(tip_id, at);
CREATE INDEX audit_log_at ON audit_log(at);
