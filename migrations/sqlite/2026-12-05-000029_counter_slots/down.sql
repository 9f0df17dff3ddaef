CREATE TABLE weekly_activity_one (
    week BIGINT PRIMARY KEY NOT NULL,
    statuses BIGINT NOT NULL DEFAULT 0,
    logins BIGINT NOT NULL DEFAULT 0,
    registrations BIGINT NOT NULL DEFAULT 0
);
INSERT INTO weekly_activity_one
SELECT week, SUM(statuses), SUM(logins), SUM(registrations) FROM weekly_activity GROUP BY week;
DROP TABLE weekly_activity;
ALTER TABLE weekly_activity_one RENAME TO weekly_activity;

CREATE TABLE tag_days_one (
    name TEXT NOT NULL,
    day BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    accounts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, day)
);
INSERT INTO tag_days_one SELECT name, day, SUM(uses), SUM(accounts) FROM tag_days GROUP BY name, day;
DROP TABLE tag_days;
ALTER TABLE tag_days_one RENAME TO tag_days;

CREATE TABLE tag_stats_one (
    name TEXT PRIMARY KEY NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0
);
INSERT INTO tag_stats_one SELECT name, SUM(uses) FROM tag_stats GROUP BY name;
DROP TABLE tag_stats;
ALTER TABLE tag_stats_one RENAME TO tag_stats;
CREATE INDEX tag_stats_uses ON tag_stats (uses, name);
