-- Polls (ActivityPub Question, FEP-9967) and votes.
CREATE TABLE polls (
    post_id TEXT PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    multiple BOOLEAN NOT NULL,
    options TEXT NOT NULL,
    remote_counts TEXT,
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE poll_votes (
    id TEXT PRIMARY KEY,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    voter_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    choice INTEGER NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id, voter_id, choice)
);
CREATE INDEX poll_votes_post ON poll_votes (post_id);
