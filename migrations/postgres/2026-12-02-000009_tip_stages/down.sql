-- The stages stay: the columns they live in go with 000008's down.
SELECT 1;
