DROP TABLE weekly_logins;
DROP TABLE weekly_activity;
DROP TABLE suggestion_dismissals;
ALTER TABLE actors DROP COLUMN discoverable;
