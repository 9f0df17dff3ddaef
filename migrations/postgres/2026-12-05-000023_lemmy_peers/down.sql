ALTER TABLE actors DROP COLUMN speaks_lemmy;
