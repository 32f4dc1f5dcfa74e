DROP TABLE coverage_expected;
DROP TABLE coverage_signed;
DROP TABLE pledges;
DROP TABLE roster_entries;
DROP TABLE campaign_units;
DROP TABLE campaigns;
DROP TABLE pledge_templates;
