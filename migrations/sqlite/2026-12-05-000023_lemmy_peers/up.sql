-- Whether a remote actor's server is Lemmy (its documents name Lemmy's JSON-LD context): a group
-- then sends it only the FEP-1b12 relay, never the boost form meant for microblogging servers.
ALTER TABLE actors ADD COLUMN speaks_lemmy BOOLEAN NOT NULL DEFAULT FALSE;
