-- Privacy and security (issue 15). Kept in step with migrations/sqlite.

-- Idempotency records written before their fingerprints were keyed: an unkeyed SHA-256 of a
-- signing's body gives back its CCCD with a few thousand guesses. They are short-lived replay
-- records (kept 24 h), so they go.
DELETE FROM idempotency_keys;

-- What the database knows about the keys its values were written under (never the keys).
CREATE TABLE key_state (
    name       TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Pledge templates have an owner: NULL for a national template (set by an administrator), else
-- the province whose officers edit, publish and retire it.
ALTER TABLE pledge_templates ADD COLUMN owner_unit TEXT REFERENCES units(code);
ALTER TABLE pledge_templates ADD COLUMN retired_at TIMESTAMP;

-- Why an officer should look at a pledge: 'burst' (one address signed many in a short time),
-- 'off_roster' (the unit has a roster and the signer is not on it); comma-separated.
ALTER TABLE pledges ADD COLUMN flags TEXT;

-- A household contesting the pledge signed on its address: both pledges kept, neither counted,
-- until the ward decides which stands.
CREATE TABLE pledge_disputes (
    id                TEXT PRIMARY KEY NOT NULL,
    campaign_id       TEXT NOT NULL REFERENCES campaigns(id),
    pledge_id         TEXT NOT NULL REFERENCES pledges(id),
    contest_pledge_id TEXT NOT NULL REFERENCES pledges(id),
    status            TEXT NOT NULL,
    resolution        TEXT,
    resolved_by       TEXT,
    resolved_at       TIMESTAMP,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX pledge_disputes_campaign ON pledge_disputes(campaign_id, status);
CREATE INDEX pledge_disputes_pledge ON pledge_disputes(pledge_id);

-- A session (refresh token family) has an absolute lifetime from its login.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at TIMESTAMP;
UPDATE refresh_tokens SET family_started_at =
    (SELECT MIN(r.issued_at) FROM refresh_tokens r WHERE r.family_id = refresh_tokens.family_id);
