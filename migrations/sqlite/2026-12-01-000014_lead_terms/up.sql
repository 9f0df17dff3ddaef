-- Leads (group moderators) serve a term: the lead keeps the role until the end of the UTC day that
-- contains term_ends_at (milliseconds since the epoch). Leads of this node's groups appointed
-- before terms existed get the default term of 365 days, counted from when they became lead.
-- NULL stays only in the copies of remote groups' lists, whose terms their origin keeps.
ALTER TABLE group_moderators ADD COLUMN term_ends_at BIGINT;
UPDATE group_moderators SET term_ends_at = created_at + 31536000000
    WHERE group_id IN (SELECT id FROM actors WHERE local = 1);
CREATE INDEX group_moderators_term_ends_at ON group_moderators (term_ends_at)
    WHERE term_ends_at IS NOT NULL;
