-- Relations a member keeps with other accounts (blocks, mutes, private notes), the statuses an
-- account pins to its profile (its `featured` collection) and the hashtags it features.

-- `actor_id` blocks `target_id`. Either side may be remote: a peer's member can block a local
-- member (its `Block` is stored here) and a local member can block a peer's. `ap_id` is the
-- `Block` activity's id, so its `Undo` can name it.
CREATE TABLE blocks (
    id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    ap_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, target_id)
);
CREATE INDEX blocks_target ON blocks (target_id, actor_id);
CREATE INDEX blocks_actor_page ON blocks (actor_id, id);

-- A local member mutes an account (never federated); `notifications` also hides its
-- notifications; `expires_at` ends the mute (NULL: never).
CREATE TABLE mutes (
    id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    notifications BOOLEAN NOT NULL,
    expires_at BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, target_id)
);
CREATE INDEX mutes_actor_page ON mutes (actor_id, id);

-- A member's private note about another account (Relationship.note).
CREATE TABLE account_notes (
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    comment TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (actor_id, target_id)
);

-- Statuses an account pins to its profile, newest pin first.
CREATE TABLE pins (
    id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id)
);
CREATE INDEX pins_actor ON pins (actor_id, id);

-- Hashtags a member features on their profile.
CREATE TABLE featured_tags (
    id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, name)
);
