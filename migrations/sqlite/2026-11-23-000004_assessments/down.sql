DROP TABLE assessment_files;
DROP TABLE assessment_events;
DROP TABLE assessments;
