DELETE FROM notifications WHERE report_id IS NOT NULL;
ALTER TABLE notifications DROP COLUMN report_id;
DROP TABLE report_statuses;
DROP TABLE reports;
