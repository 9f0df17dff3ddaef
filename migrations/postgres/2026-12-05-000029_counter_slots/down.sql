CREATE TABLE weekly_activity_one AS
SELECT week, SUM(statuses)::BIGINT AS statuses, SUM(logins)::BIGINT AS logins,
       SUM(registrations)::BIGINT AS registrations
FROM weekly_activity GROUP BY week;
DROP TABLE weekly_activity;
CREATE TABLE weekly_activity (
    week BIGINT PRIMARY KEY NOT NULL,
    statuses BIGINT NOT NULL DEFAULT 0,
    logins BIGINT NOT NULL DEFAULT 0,
    registrations BIGINT NOT NULL DEFAULT 0
);
INSERT INTO weekly_activity SELECT week, statuses, logins, registrations FROM weekly_activity_one;
DROP TABLE weekly_activity_one;

CREATE TABLE tag_days_one AS
SELECT name, day, SUM(uses)::BIGINT AS uses, SUM(accounts)::BIGINT AS accounts
FROM tag_days GROUP BY name, day;
DROP TABLE tag_days;
CREATE TABLE tag_days (
    name TEXT NOT NULL,
    day BIGINT NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0,
    accounts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, day)
);
INSERT INTO tag_days SELECT name, day, uses, accounts FROM tag_days_one;
DROP TABLE tag_days_one;

CREATE TABLE tag_stats_one AS SELECT name, SUM(uses)::BIGINT AS uses FROM tag_stats GROUP BY name;
DROP TABLE tag_stats;
CREATE TABLE tag_stats (
    name TEXT PRIMARY KEY NOT NULL,
    uses BIGINT NOT NULL DEFAULT 0
);
INSERT INTO tag_stats SELECT name, uses FROM tag_stats_one;
DROP TABLE tag_stats_one;
CREATE INDEX tag_stats_uses ON tag_stats (uses, name);
CREATE INDEX tag_stats_prefix ON tag_stats (name text_pattern_ops);
