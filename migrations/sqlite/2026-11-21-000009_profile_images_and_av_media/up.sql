-- Profile pictures (avatar) and header images of actors: files under the data dir for local
-- members, the `icon` / `image` URLs peers publish for remote actors.
ALTER TABLE actors ADD COLUMN avatar_url TEXT;
ALTER TABLE actors ADD COLUMN header_url TEXT;

-- Length of video and audio attachments.
ALTER TABLE media ADD COLUMN duration_ms BIGINT;
