-- Pledges partitioned by the campaign's year (issue 21), so a year can be detached, archived and
-- dropped after its retention without touching the others. PostgreSQL requires the partition key
-- in every unique key: the primary key is (id, year), the receipt is unique within its year, and
-- the one-pledge-per-person key (campaign_id, dedupe_key) gains the year its campaign fixes. The
-- counters (coverage_signed) are not partitioned. A year's partition is made with its first
-- campaign (pledges::store::campaigns::insert_campaign); `pledges_other` (the default) takes
-- nothing in normal use and keeps an insert from failing if one were missing.

-- The disputes point at pledges by id alone; a foreign key to a partitioned table must name its
-- whole key, so on PostgreSQL the link is kept by the code that writes both (in one transaction).
ALTER TABLE pledge_disputes DROP CONSTRAINT IF EXISTS pledge_disputes_pledge_id_fkey;
ALTER TABLE pledge_disputes DROP CONSTRAINT IF EXISTS pledge_disputes_contest_pledge_id_fkey;

CREATE TABLE pledges_by_year (LIKE pledges INCLUDING DEFAULTS, year INTEGER NOT NULL)
    PARTITION BY LIST (year);

DO $$
DECLARE y INTEGER;
BEGIN
    FOR y IN SELECT DISTINCT year FROM campaigns ORDER BY year LOOP
        EXECUTE format('CREATE TABLE pledges_%s PARTITION OF pledges_by_year FOR VALUES IN (%s)', y, y);
    END LOOP;
END $$;
CREATE TABLE pledges_other PARTITION OF pledges_by_year DEFAULT;

INSERT INTO pledges_by_year
SELECT p.*, c.year FROM pledges p JOIN campaigns c ON c.id = p.campaign_id;

DROP TABLE pledges;
ALTER TABLE pledges_by_year RENAME TO pledges;

ALTER TABLE pledges ADD PRIMARY KEY (id, year);
ALTER TABLE pledges ADD CONSTRAINT pledges_receipt_key UNIQUE (receipt, year);
ALTER TABLE pledges ADD CONSTRAINT pledges_campaign_id_dedupe_key_key UNIQUE (campaign_id, dedupe_key, year);
ALTER TABLE pledges ADD CONSTRAINT pledges_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
ALTER TABLE pledges ADD CONSTRAINT pledges_unit_code_fkey FOREIGN KEY (unit_code) REFERENCES units(code);
ALTER TABLE pledges ADD CONSTRAINT pledges_roster_entry_id_fkey FOREIGN KEY (roster_entry_id) REFERENCES roster_entries(id);
CREATE INDEX pledges_campaign ON pledges(campaign_id, id);
-- Lookups by id alone (a dispute, an officer's verify or void) search each year's key.
