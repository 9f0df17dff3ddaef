-- Follows with notify=true ("ring the bell"): a `status` notification for each new post of the
-- followed account (or, for a group, each new post in it).
ALTER TABLE follows ADD COLUMN notify BOOLEAN NOT NULL DEFAULT FALSE;

-- Polls: the voter count a remote poll's origin reports; whether a local poll's results changed
-- since they were last federated (Update(Question)); whether its end has been handled (final
-- results sent, `poll` notifications raised).
ALTER TABLE polls ADD COLUMN remote_voters BIGINT;
ALTER TABLE polls ADD COLUMN results_dirty BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE polls ADD COLUMN closed BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX polls_open ON polls (closed, expires_at);
CREATE INDEX polls_dirty ON polls (results_dirty);
