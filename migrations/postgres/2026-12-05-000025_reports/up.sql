-- Reports (Mastodon's `Report`, ActivityPub's `Flag`): a member of this node, or a peer's node,
-- reports an account and some of its statuses to this node's admins and to the moderators of
-- the groups the statuses were posted in. `ap_id` is the id of the `Flag` a report arrived
-- with (NULL for reports made here), so a `Flag` is stored once.
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    ap_id TEXT UNIQUE,
    reporter_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    comment TEXT NOT NULL,
    category TEXT NOT NULL,
    -- The instance rules cited, a JSON array of rule ids.
    rule_ids TEXT NOT NULL,
    forwarded BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    action_taken BOOLEAN NOT NULL,
    resolved_at BIGINT,
    resolved_by TEXT REFERENCES actors (id) ON DELETE SET NULL
);
CREATE INDEX reports_open ON reports (resolved_at, id);

-- The statuses a report names.
CREATE TABLE report_statuses (
    report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (report_id, post_id)
);
CREATE INDEX report_statuses_post ON report_statuses (post_id);

-- An `admin.report` notification names its report.
ALTER TABLE notifications ADD COLUMN report_id TEXT REFERENCES reports (id) ON DELETE CASCADE;
