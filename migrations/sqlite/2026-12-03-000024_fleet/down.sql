DROP TABLE rate_counts;
DROP TABLE job_runs;
