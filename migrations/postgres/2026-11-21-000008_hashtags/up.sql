-- Hashtags of posts (lower-case names without `#`): local ones parsed from the text, remote ones
-- from the post's `Hashtag` tags. The tag timeline and hashtag search read them.
CREATE TABLE post_tags (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (post_id, name)
);
CREATE INDEX post_tags_name ON post_tags (name, post_id);
