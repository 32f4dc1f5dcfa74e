-- Existing tips move to the procedure's stages with their dates; their history stays as it was.
-- What a commune still holds runs the commune's transfer clock from the receipt (TT 28/2020
-- art. 7): 24 hours for a tip marked dangerous to life (the safe reading before any
-- classification), 7 days otherwise, counted in days to 24:00 Vietnam time (17:00 UTC). A tip the
-- ward transferred went to the investigating body, which has not yet recorded its receipt here.
-- Closed tips keep their status. Only rows not yet moved are touched, so it can run again.
UPDATE tips SET period = 'transfer', transfer_class = 'urgent', rule = 'transfer_urgent',
    due_at = datetime(received_at, '+24 hours'),
    deadline = date(received_at, '+31 hours')
WHERE status IN ('received', 'verifying') AND priority = 0 AND period IS NULL;
UPDATE tips SET period = 'transfer', transfer_class = 'ordinary', rule = 'transfer_ordinary',
    due_at = datetime(received_on, '+7 days', '+17 hours'),
    deadline = date(received_on, '+7 days')
WHERE status IN ('received', 'verifying') AND period IS NULL;
UPDATE tips SET holder = 'investigating_body'
WHERE status = 'transferred' AND holder = 'commune';
