CREATE TABLE pledges_flat (LIKE pledges INCLUDING DEFAULTS);
ALTER TABLE pledges_flat DROP COLUMN year;
INSERT INTO pledges_flat SELECT id, receipt, campaign_id, unit_code, dedupe_key, full_name, name_key,
    initials, birth_date, cccd_hmac, cccd_last4, phone, address, members, guardian_name,
    guardian_relation, guardian_phone, template_version, commitments_accepted, channel, status,
    status_reason, status_by, roster_entry_id, entered_by, signed_at, flags FROM pledges;
DROP TABLE pledges;
ALTER TABLE pledges_flat RENAME TO pledges;
ALTER TABLE pledges ADD PRIMARY KEY (id);
ALTER TABLE pledges ADD CONSTRAINT pledges_receipt_key UNIQUE (receipt);
ALTER TABLE pledges ADD CONSTRAINT pledges_campaign_id_dedupe_key_key UNIQUE (campaign_id, dedupe_key);
ALTER TABLE pledges ADD FOREIGN KEY (campaign_id) REFERENCES campaigns(id);
ALTER TABLE pledges ADD FOREIGN KEY (unit_code) REFERENCES units(code);
ALTER TABLE pledges ADD FOREIGN KEY (roster_entry_id) REFERENCES roster_entries(id);
CREATE INDEX pledges_campaign ON pledges(campaign_id, id);
ALTER TABLE pledge_disputes ADD FOREIGN KEY (pledge_id) REFERENCES pledges(id);
ALTER TABLE pledge_disputes ADD FOREIGN KEY (contest_pledge_id) REFERENCES pledges(id);
