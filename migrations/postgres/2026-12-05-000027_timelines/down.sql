DROP TABLE direct_posts;
DROP TABLE followed_tags;
DROP TABLE conversation_mutes;
