-- Accounts a post mentions (its `Mention` tags that name known actors), for the status entity's
-- `mentions`, which apps use to address replies.
CREATE TABLE post_mentions (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, actor_id)
);
