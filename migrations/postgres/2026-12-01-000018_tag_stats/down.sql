DROP TABLE tag_stats;
