DROP TABLE idempotency_keys;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE units;
