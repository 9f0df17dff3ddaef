-- How many live public posts here use each hashtag, kept on every write that tags, untags or
-- deletes a public post, so that hashtag search seeks by name instead of counting every use.
CREATE TABLE tag_stats (
    name TEXT PRIMARY KEY NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0
);
INSERT INTO tag_stats (name, uses)
SELECT t.name, COUNT(*) FROM post_tags t JOIN posts p ON p.id = t.post_id
WHERE p.deleted_at IS NULL AND p.visibility = 'public'
GROUP BY t.name;
CREATE INDEX tag_stats_uses ON tag_stats (uses, name);
-- `LIKE 'prefix%'` seeks whatever the database's collation.
CREATE INDEX tag_stats_prefix ON tag_stats (name text_pattern_ops);
