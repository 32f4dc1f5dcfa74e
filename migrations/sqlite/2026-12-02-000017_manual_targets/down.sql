DROP TABLE target_figures;
ALTER TABLE plan_targets DROP COLUMN label_en;
ALTER TABLE plan_targets DROP COLUMN label_vi;
