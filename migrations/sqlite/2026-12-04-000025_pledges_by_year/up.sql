-- The campaign's year on each pledge (issue 21): PostgreSQL partitions pledges by it; SQLite keeps
-- one table and the same columns.
ALTER TABLE pledges ADD COLUMN year INTEGER NOT NULL DEFAULT 0;
UPDATE pledges SET year = (SELECT c.year FROM campaigns c WHERE c.id = pledges.campaign_id);
