DROP TABLE plan_targets;
DROP TABLE plans;
