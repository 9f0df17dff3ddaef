ALTER TABLE activities DROP COLUMN post_id;
