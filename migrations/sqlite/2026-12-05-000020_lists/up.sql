-- A member's lists of followed accounts, their filters and their direct conversations.

CREATE TABLE lists (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    replies_policy TEXT NOT NULL,
    exclusive BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX lists_user ON lists (user_id, id);

CREATE TABLE list_accounts (
    list_id TEXT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, actor_id)
);
CREATE INDEX list_accounts_actor ON list_accounts (actor_id, list_id);

CREATE TABLE filters (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    context TEXT NOT NULL,
    filter_action TEXT NOT NULL,
    expires_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX filters_user ON filters (user_id, id);

CREATE TABLE filter_keywords (
    id TEXT PRIMARY KEY,
    filter_id TEXT NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
    keyword TEXT NOT NULL,
    whole_word BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX filter_keywords_filter ON filter_keywords (filter_id, id);

CREATE TABLE filter_statuses (
    id TEXT PRIMARY KEY,
    filter_id TEXT NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    UNIQUE (filter_id, post_id)
);

-- One row per member and thread of direct posts they take part in; `last_post_id` orders them.
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread TEXT NOT NULL,
    last_post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    unread BOOLEAN NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (user_id, thread)
);
CREATE INDEX conversations_user ON conversations (user_id, last_post_id);
