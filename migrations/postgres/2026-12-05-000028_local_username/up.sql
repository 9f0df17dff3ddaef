-- PostgreSQL already has `WHERE local` (see the SQLite migration of the same name); kept so that
-- both backends list the same migrations.
SELECT 1;
