-- BLTTHS 2015 art. 134 cl. 1: a period in days ends at 24:00 of its last day, even on a day off
-- (only a period in months moves to the next working day). Deadlines of open tips still on their
-- first period were moved off weekends and holidays by the earlier counting: set them to the
-- 20th day after receipt. Extended periods (in months) were counted correctly and stay.
UPDATE tips SET deadline = received_on + 20
WHERE extensions = 0 AND status IN ('received', 'verifying');
