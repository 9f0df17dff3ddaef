ALTER TABLE actors DROP COLUMN last_status_at;
ALTER TABLE actors DROP COLUMN statuses_count;
DROP INDEX reblogs_actor;
DROP INDEX bookmarks_user;
DROP INDEX favourites_actor;
DROP INDEX posts_visibility_live;
DROP INDEX posts_reply_live;
DROP INDEX posts_group_live;
DROP INDEX posts_author_live;
