-- A remote actor's choice to be listed in directories (Mastodon's `toot:discoverable`), stored
-- each time its actor document is read; FALSE until it says so. This node's own members and
-- groups are always listed, so the column matters for remote actors only.
ALTER TABLE actors ADD COLUMN discoverable BOOLEAN NOT NULL DEFAULT FALSE;

-- Accounts a member asked never to be suggested again (`DELETE /api/v1/suggestions/{id}`).
CREATE TABLE suggestion_dismissals (
    user_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, target_id)
);

-- The node's weekly activity (`GET /api/v1/instance/activity`), one row per week (`week`: the
-- week's Monday 00:00 UTC in milliseconds), counted where the events happen: a local status
-- stored, a member created, a member's first sign-in of the week. Never counted over history.
CREATE TABLE weekly_activity (
    week BIGINT PRIMARY KEY NOT NULL,
    statuses BIGINT NOT NULL DEFAULT 0,
    logins BIGINT NOT NULL DEFAULT 0,
    registrations BIGINT NOT NULL DEFAULT 0
);
-- The members who signed in during a week, so each counts once in its `logins`; weeks older
-- than the twelve shown are dropped as new sign-ins arrive.
CREATE TABLE weekly_logins (
    week BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (week, user_id)
);

-- The weeks before this migration, once: local statuses and members by the week they were made
-- (the Unix epoch fell on a Thursday, so weeks start 4 days after it). Sign-ins were not kept.
INSERT INTO weekly_activity (week, statuses, logins, registrations)
SELECT week, SUM(statuses), 0, SUM(registrations) FROM (
    SELECT published - ((published - 345600000) % 604800000) AS week, 1 AS statuses, 0 AS registrations
    FROM posts WHERE local AND published >= 345600000
    UNION ALL
    SELECT created_at - ((created_at - 345600000) % 604800000) AS week, 0 AS statuses, 1 AS registrations
    FROM users WHERE created_at >= 345600000
) AS events
GROUP BY week;
