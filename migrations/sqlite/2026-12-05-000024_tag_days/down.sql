DROP TABLE tag_days;
DROP TABLE tag_day_authors;
