DROP INDEX actors_local_username;
CREATE UNIQUE INDEX actors_local_username ON actors (username) WHERE local = 1;
