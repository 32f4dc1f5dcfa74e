-- The administrative unit tree with history, accounts, refresh tokens and idempotency records.
-- Kept in step with migrations/postgres: same tables, columns and constraints.

CREATE TABLE units (
    code        TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    name_ascii  TEXT NOT NULL,
    parent_code TEXT REFERENCES units(code),
    -- Materialised ancestry: '/56/22333/KD-22333-0001/'; scope checks are prefix tests.
    path        TEXT NOT NULL,
    valid_from  DATE,
    valid_to    DATE,
    replaced_by TEXT REFERENCES units(code),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX units_parent ON units(parent_code, code);
CREATE INDEX units_path ON units(path text_pattern_ops);
CREATE INDEX units_name_ascii ON units(name_ascii text_pattern_ops);
CREATE INDEX units_replaced_by ON units(replaced_by);

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope_unit    TEXT NOT NULL REFERENCES units(code),
    phone         TEXT,
    -- CCCD as HMAC-SHA256 under a configured key, and its last 4 digits; never in clear.
    citizen_id_hmac  TEXT UNIQUE,
    citizen_id_last4 TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX users_scope ON users(scope_unit);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    family_id   TEXT NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users(id),
    token_hash  TEXT NOT NULL UNIQUE,
    issued_at   TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);

CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status        INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
