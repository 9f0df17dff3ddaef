-- Read paths that seek instead of scanning, whatever the size of the history.

-- Live posts by author, by group, by thread parent and listed posts, newest id first (keyset pages).
CREATE INDEX posts_author_live ON posts (author_id, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_group_live ON posts (group_id, id) WHERE deleted_at IS NULL;
CREATE INDEX posts_reply_live ON posts (in_reply_to, published) WHERE deleted_at IS NULL;
CREATE INDEX posts_visibility_live ON posts (visibility, id) WHERE deleted_at IS NULL;

-- A member's favourites, bookmarks and boosts, newest first.
CREATE INDEX favourites_actor ON favourites (actor_id, id);
CREATE INDEX bookmarks_user ON bookmarks (user_id, id);
CREATE INDEX reblogs_actor ON reblogs (actor_id, id);

-- Counters an account shows, kept on write instead of counting an author's whole history.
ALTER TABLE actors ADD COLUMN statuses_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN last_status_at BIGINT;
UPDATE actors SET
    statuses_count = (SELECT count(*) FROM posts WHERE posts.author_id = actors.id AND posts.deleted_at IS NULL),
    last_status_at = (SELECT max(published) FROM posts WHERE posts.author_id = actors.id);
