-- The unique index on local usernames names the column itself (`WHERE local`) so that lookups
-- written `WHERE local` can use it without a bound parameter: compared against a partial index's
-- condition, a bound `local = ?` made SQLite prepare the statement again on every execution.
DROP INDEX actors_local_username;
CREATE UNIQUE INDEX actors_local_username ON actors (username) WHERE local;
