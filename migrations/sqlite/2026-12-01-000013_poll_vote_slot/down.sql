DROP INDEX poll_votes_one_per_slot;
ALTER TABLE poll_votes DROP COLUMN slot;
