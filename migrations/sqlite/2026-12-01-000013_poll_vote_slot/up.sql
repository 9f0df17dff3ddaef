-- One vote per member in a single-choice poll, enforced by the database so that concurrent votes
-- count once: every vote of a single-choice poll takes slot 0, a vote of a multiple-choice poll
-- the slot of its option (choice + 1). Earlier duplicates in single-choice polls keep the first.
ALTER TABLE poll_votes ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
UPDATE poll_votes SET slot = choice + 1
    WHERE post_id IN (SELECT post_id FROM polls WHERE multiple);
DELETE FROM poll_votes
    WHERE slot = 0 AND EXISTS (
        SELECT 1 FROM poll_votes AS earlier
        WHERE earlier.post_id = poll_votes.post_id
          AND earlier.voter_id = poll_votes.voter_id
          AND earlier.slot = 0
          AND (earlier.created_at < poll_votes.created_at
               OR (earlier.created_at = poll_votes.created_at AND earlier.id < poll_votes.id)));
CREATE UNIQUE INDEX poll_votes_one_per_slot ON poll_votes (post_id, voter_id, slot);
