ALTER TABLE assessments DROP COLUMN decision_signer;
ALTER TABLE assessments DROP COLUMN decision_date;
ALTER TABLE assessments DROP COLUMN decision_number;
