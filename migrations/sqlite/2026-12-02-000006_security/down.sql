DROP TABLE pledge_disputes;
DROP TABLE key_state;
ALTER TABLE pledges DROP COLUMN flags;
ALTER TABLE pledge_templates DROP COLUMN retired_at;
ALTER TABLE pledge_templates DROP COLUMN owner_unit;
ALTER TABLE refresh_tokens DROP COLUMN family_started_at;
