-- The language of a post (ISO 639 code, as clients send it and peers' contentMap carries it).
ALTER TABLE posts ADD COLUMN language TEXT;

-- Earlier versions of edited posts (the status history apps show), oldest first by created_at.
CREATE TABLE post_versions (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    summary TEXT,
    sensitive BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX post_versions_post ON post_versions (post_id, created_at);
