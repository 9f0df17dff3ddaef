-- A hashtag's daily use by live public posts here (the UTC day a post was published) and the
-- authors behind it, kept on every write that tags, untags or deletes a public post (with
-- tag_stats), so a hashtag's history reads a week of rows instead of every use in the week.
CREATE TABLE tag_day_authors (
    name TEXT NOT NULL,
    day BIGINT NOT NULL,
    author_id TEXT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, day, author_id)
);
CREATE TABLE tag_days (
    name TEXT NOT NULL,
    day BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    accounts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, day)
);
INSERT INTO tag_day_authors (name, day, author_id, uses)
SELECT t.name, p.published - (p.published % 86400000), p.author_id, COUNT(*)
FROM post_tags t JOIN posts p ON p.id = t.post_id
WHERE p.deleted_at IS NULL AND p.visibility = 'public'
GROUP BY t.name, p.published - (p.published % 86400000), p.author_id;
INSERT INTO tag_days (name, day, uses, accounts)
SELECT name, day, SUM(uses), COUNT(*) FROM tag_day_authors GROUP BY name, day;
