-- Grouped notifications (API v2): the key of the group each notification belongs to. Favourites
-- and boosts of one post form one group, follows of one UTC day another; every other notification
-- is a group of its own.
ALTER TABLE notifications ADD COLUMN group_key TEXT NOT NULL DEFAULT '';
UPDATE notifications SET group_key = CASE
    WHEN kind IN ('favourite', 'reblog') AND post_id IS NOT NULL THEN kind || '-' || post_id
    WHEN kind = 'follow' THEN 'follow-' || CAST(created_at / 86400000 AS TEXT)
    ELSE 'ungrouped-' || id
END;
CREATE INDEX notifications_group ON notifications (user_id, group_key, id);

-- Web Push: one subscription per access token (as Mastodon). The token itself is kept because
-- every push message carries it (encrypted for the subscriber's browser only).
CREATE TABLE push_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    token_id TEXT NOT NULL UNIQUE REFERENCES oauth_tokens (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    access_token TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    alerts TEXT NOT NULL,
    policy TEXT NOT NULL,
    standard BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- The push queue: one row per subscription and notification, queued with the notification.
CREATE TABLE push_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    notification_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_status INTEGER,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (subscription_id, notification_id)
);
CREATE INDEX push_deliveries_due ON push_deliveries (status, next_attempt_at);

-- Statuses a member scheduled: the form as posted, published by the scheduler when due.
CREATE TABLE scheduled_statuses (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scheduled_at BIGINT NOT NULL,
    params TEXT NOT NULL,
    locked_until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX scheduled_statuses_user ON scheduled_statuses (user_id, id);
CREATE INDEX scheduled_statuses_due ON scheduled_statuses (scheduled_at);
