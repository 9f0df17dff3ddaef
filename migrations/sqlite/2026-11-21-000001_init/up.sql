-- Cohort initial schema. Timestamps are BIGINT milliseconds since the Unix epoch; ids are ULID text.
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    domain TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    outbox TEXT,
    followers_url TEXT,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    ed25519_public TEXT,
    ed25519_private TEXT,
    manually_approves BOOLEAN NOT NULL DEFAULT FALSE,
    visibility TEXT NOT NULL DEFAULT 'public',
    speaks_cohort BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_refreshed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX actors_local_username ON actors (username) WHERE local = 1;
CREATE INDEX actors_username_domain ON actors (username, domain);

CREATE TABLE users (
    id TEXT PRIMARY KEY REFERENCES actors (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE follows (
    id TEXT PRIMARY KEY,
    follower_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    activity_ap_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (follower_id, target_id)
);
CREATE INDEX follows_target ON follows (target_id, state);

CREATE TABLE group_moderators (
    group_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, actor_id)
);

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    group_id TEXT REFERENCES actors (id) ON DELETE SET NULL,
    in_reply_to TEXT,
    name TEXT,
    summary TEXT,
    content TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT FALSE,
    visibility TEXT NOT NULL,
    local BOOLEAN NOT NULL,
    published BIGINT NOT NULL,
    updated BIGINT,
    deleted_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX posts_group ON posts (group_id, published);
CREATE INDEX posts_author ON posts (author_id, published);

CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    object_ap_id TEXT,
    payload TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX activities_actor ON activities (actor_id, created_at);

CREATE TABLE received_activities (
    ap_id TEXT PRIMARY KEY,
    received_at BIGINT NOT NULL
);

CREATE TABLE peers (
    domain TEXT PRIMARY KEY,
    level TEXT,
    note TEXT NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    dead_since BIGINT,
    last_success_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    peer TEXT NOT NULL,
    inbox TEXT NOT NULL,
    actor_ap_id TEXT NOT NULL,
    activity_ap_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (inbox, activity_ap_id)
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_peer ON deliveries (peer, status);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    peer TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_peer ON audit_log (peer, created_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
