DROP INDEX group_moderators_term_ends_at;
ALTER TABLE group_moderators DROP COLUMN term_ends_at;
