-- Fraud indicators (issue 17): the suspect's phone numbers, accounts, links and social-media
-- accounts a reporter gave with a fraud tip. The values are sealed in the tip's content; this
-- table holds only a keyed hash of each normalised value (HMAC-SHA256 under the tip key's MAC
-- key, the key of the tip's content: `bvantq tips rekey` recomputes both), so tips naming the
-- same number can be matched and a copy of the database gives back no number.
-- Kept in step with migrations/postgres.
CREATE TABLE tip_indicators (
    tip_id  TEXT NOT NULL REFERENCES tips(id),
    -- phone | bank_account | link | social
    kind    TEXT NOT NULL,
    hash    TEXT NOT NULL,
    PRIMARY KEY (tip_id, hash)
);
CREATE INDEX tip_indicators_hash ON tip_indicators(hash);
