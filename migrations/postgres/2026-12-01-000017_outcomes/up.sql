-- What a peer answered to a delivery it refused (4xx), kept for the operator.
ALTER TABLE deliveries ADD COLUMN last_status INTEGER;
-- Recent refusals and failures, newest first (`cohort admin deliveries`, `admin peer list`).
CREATE INDEX deliveries_outcome ON deliveries (status, updated_at);
-- An inbound activity is claimed (done = false) before it is processed and marked done after its
-- writes commit: a claim left by a process that died is taken over by the sender's retry.
ALTER TABLE received_activities ADD COLUMN done BOOLEAN NOT NULL DEFAULT TRUE;
