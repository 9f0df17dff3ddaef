ALTER TABLE received_activities DROP COLUMN done;
DROP INDEX deliveries_outcome;
ALTER TABLE deliveries DROP COLUMN last_status;
