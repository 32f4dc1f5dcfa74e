ALTER TABLE tip_events DROP COLUMN due_at;
DROP TABLE team_ratings;
DROP TABLE team_members;
DROP TABLE security_teams;
DROP TABLE model_ratings;
DROP TABLE models;
