DROP TABLE post_versions;
ALTER TABLE posts DROP COLUMN language;
