-- The recognition decision of an approved assessment (issue 18; TT 124 arts. 9–10): a unit is
-- recognised «An toàn về an ninh, trật tự» by a decision with its number, date and signer,
-- which the authority approving the assessment records. Kept in step with the other database's
-- migration.
ALTER TABLE assessments ADD COLUMN decision_number TEXT;
ALTER TABLE assessments ADD COLUMN decision_date DATE;
ALTER TABLE assessments ADD COLUMN decision_signer TEXT;
