DROP INDEX polls_dirty;
DROP INDEX polls_open;
ALTER TABLE polls DROP COLUMN closed;
ALTER TABLE polls DROP COLUMN results_dirty;
ALTER TABLE polls DROP COLUMN remote_voters;
ALTER TABLE follows DROP COLUMN notify;
