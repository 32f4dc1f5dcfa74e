DROP TABLE notice_outbox;
DROP TABLE tip_notices;
