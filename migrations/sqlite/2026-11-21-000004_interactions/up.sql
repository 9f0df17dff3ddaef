-- Favourites (Like), reblogs (Announce by a member), bookmarks, notifications and read markers.
CREATE TABLE favourites (
    id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    ap_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, post_id)
);
CREATE INDEX favourites_post ON favourites (post_id);

CREATE TABLE reblogs (
    id TEXT PRIMARY KEY,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    ap_id TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    UNIQUE (actor_id, post_id)
);
CREATE INDEX reblogs_post ON reblogs (post_id);

CREATE TABLE bookmarks (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, post_id)
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    from_actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    post_id TEXT REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE markers (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    timeline TEXT NOT NULL,
    last_read_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, timeline)
);
