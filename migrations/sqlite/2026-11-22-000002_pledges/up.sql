-- Pledges: templates, campaigns, rosters, signatures and coverage counters.
-- Kept in step with migrations/postgres.

CREATE TABLE pledge_templates (
    id           TEXT PRIMARY KEY NOT NULL,
    kind         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    title_vi     TEXT NOT NULL,
    title_en     TEXT,
    -- JSON array of {"vi": …, "en": …}
    commitments  TEXT NOT NULL,
    published_at TIMESTAMP,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (kind, version)
);

CREATE TABLE campaigns (
    id          TEXT PRIMARY KEY NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    owner_unit  TEXT NOT NULL REFERENCES units(code),
    template_id TEXT NOT NULL REFERENCES pledge_templates(id),
    opens_on    DATE NOT NULL,
    closes_on   DATE NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_owner ON campaigns(owner_unit);

-- The units a campaign covers (residential areas, classes, departments, or the commune itself),
-- with a declared number of expected signers where no roster was imported.
CREATE TABLE campaign_units (
    campaign_id       TEXT NOT NULL REFERENCES campaigns(id),
    unit_code         TEXT NOT NULL REFERENCES units(code),
    declared_expected INTEGER,
    PRIMARY KEY (campaign_id, unit_code)
);

CREATE TABLE roster_entries (
    id          TEXT PRIMARY KEY NOT NULL,
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    unit_code   TEXT NOT NULL REFERENCES units(code),
    full_name   TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    birth_date  DATE,
    cccd_hmac   TEXT,
    cccd_last4  TEXT,
    address     TEXT,
    members     INTEGER,
    line        INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX roster_match ON roster_entries(campaign_id, unit_code, name_key, birth_date);
CREATE UNIQUE INDEX roster_cccd ON roster_entries(campaign_id, cccd_hmac);

CREATE TABLE pledges (
    id                   TEXT PRIMARY KEY NOT NULL,
    receipt              TEXT NOT NULL UNIQUE,
    campaign_id          TEXT NOT NULL REFERENCES campaigns(id),
    unit_code            TEXT NOT NULL REFERENCES units(code),
    -- One pledge per person (per household) per campaign.
    dedupe_key           TEXT NOT NULL,
    full_name            TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    initials             TEXT NOT NULL,
    birth_date           DATE NOT NULL,
    cccd_hmac            TEXT,
    cccd_last4           TEXT,
    phone                TEXT,
    address              TEXT,
    members              INTEGER,
    guardian_name        TEXT,
    guardian_relation    TEXT,
    guardian_phone       TEXT,
    template_version     INTEGER NOT NULL,
    commitments_accepted TEXT NOT NULL,
    channel              TEXT NOT NULL,
    status               TEXT NOT NULL,
    status_reason        TEXT,
    status_by            TEXT,
    roster_entry_id      TEXT REFERENCES roster_entries(id),
    entered_by           TEXT,
    signed_at            TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, dedupe_key)
);
CREATE INDEX pledges_campaign ON pledges(campaign_id, id);

-- Signed pledges per leaf unit, spread over a few shards so concurrent signers of one class do
-- not queue on one row; coverage sums them up the tree at read time.
CREATE TABLE coverage_signed (
    unit_code TEXT NOT NULL REFERENCES units(code),
    year      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    shard     INTEGER NOT NULL,
    signed    BIGINT NOT NULL,
    PRIMARY KEY (unit_code, year, kind, shard)
);

-- Expected signers per leaf unit: roster rows, or the declared count.
CREATE TABLE coverage_expected (
    unit_code TEXT NOT NULL REFERENCES units(code),
    year      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    expected  BIGINT NOT NULL,
    PRIMARY KEY (unit_code, year, kind)
);
