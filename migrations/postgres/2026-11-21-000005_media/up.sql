-- Media attachments: files uploaded by members (stored under the data dir) and remote attachments.
CREATE TABLE media (
    id TEXT PRIMARY KEY,
    owner_id TEXT REFERENCES actors (id) ON DELETE CASCADE,
    post_id TEXT REFERENCES posts (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    mime TEXT NOT NULL,
    file_name TEXT,
    remote_url TEXT,
    size BIGINT NOT NULL,
    width INTEGER,
    height INTEGER,
    description TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX media_post ON media (post_id);
