-- The post an authored activity carries (Create, Update, Delete, Announce of a post, or a member's
-- Like of it), so that serving the activity by id or in an outbox asks the audience rule about that
-- post. NULL for activities that carry no post (profile updates, follows and their answers).
ALTER TABLE activities ADD COLUMN post_id TEXT;
UPDATE activities SET post_id = (SELECT posts.id FROM posts WHERE posts.ap_id = activities.object_ap_id);
