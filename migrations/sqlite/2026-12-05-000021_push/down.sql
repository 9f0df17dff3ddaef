DROP TABLE scheduled_statuses;
DROP TABLE push_deliveries;
DROP TABLE push_subscriptions;
DROP INDEX notifications_group;
ALTER TABLE notifications DROP COLUMN group_key;
