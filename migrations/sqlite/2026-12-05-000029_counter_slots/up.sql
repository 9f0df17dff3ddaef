-- Counters that every post bumps (the week's statuses, a hashtag's uses overall and per day) get
-- up to 16 rows each, one per slot chosen by the author (`db::slots`), read as their sum (see the
-- PostgreSQL migration of the same name: there an updated row stays locked until its commit is
-- flushed). Existing counts move to slot 0. SQLite cannot change a primary key, so the tables are
-- made again.
CREATE TABLE weekly_activity_slots (
    week BIGINT NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    statuses BIGINT NOT NULL DEFAULT 0,
    logins BIGINT NOT NULL DEFAULT 0,
    registrations BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (week, slot)
);
INSERT INTO weekly_activity_slots (week, slot, statuses, logins, registrations)
SELECT week, 0, statuses, logins, registrations FROM weekly_activity;
DROP TABLE weekly_activity;
ALTER TABLE weekly_activity_slots RENAME TO weekly_activity;

CREATE TABLE tag_days_slots (
    name TEXT NOT NULL,
    day BIGINT NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    uses BIGINT NOT NULL DEFAULT 0,
    accounts BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, day, slot)
);
INSERT INTO tag_days_slots (name, day, slot, uses, accounts)
SELECT name, day, 0, uses, accounts FROM tag_days;
DROP TABLE tag_days;
ALTER TABLE tag_days_slots RENAME TO tag_days;

CREATE TABLE tag_stats_slots (
    name TEXT NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    uses BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (name, slot)
);
INSERT INTO tag_stats_slots (name, slot, uses) SELECT name, 0, uses FROM tag_stats;
DROP TABLE tag_stats;
ALTER TABLE tag_stats_slots RENAME TO tag_stats;
