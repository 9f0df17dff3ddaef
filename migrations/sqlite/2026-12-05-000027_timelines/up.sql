-- Conversation mutes, followed hashtags and the direct timeline.

-- A member mutes a thread (by its key: the ActivityPub id of its first known post): no more
-- notifications about posts in it.
CREATE TABLE conversation_mutes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread)
);

-- A member follows a hashtag: public posts with it come to their home timeline.
CREATE TABLE followed_tags (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX followed_tags_user_name ON followed_tags (user_id, name);
CREATE INDEX followed_tags_user ON followed_tags (user_id, id);

-- The direct timeline: every direct post a member of this node wrote or is addressed in, kept
-- with their conversations when a post is stored, read by one seek per page.
CREATE TABLE direct_posts (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, post_id)
);
INSERT INTO direct_posts (user_id, post_id)
SELECT p.author_id, p.id FROM posts p JOIN users u ON u.id = p.author_id
WHERE p.visibility = 'direct'
UNION
SELECT m.actor_id, p.id FROM posts p
JOIN post_mentions m ON m.post_id = p.id
JOIN users u ON u.id = m.actor_id
WHERE p.visibility = 'direct';
