ALTER TABLE media DROP COLUMN duration_ms;
ALTER TABLE actors DROP COLUMN header_url;
ALTER TABLE actors DROP COLUMN avatar_url;
