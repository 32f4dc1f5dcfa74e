DROP TABLE audit_log;
DROP TABLE tip_events;
DROP TABLE tip_photos;
DROP TABLE tip_messages;
DROP TABLE tips;
