DROP TABLE featured_tags;
DROP TABLE pins;
DROP TABLE account_notes;
DROP TABLE mutes;
DROP TABLE blocks;
