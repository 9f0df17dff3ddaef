-- Counters that every post bumps (the week's statuses, a hashtag's uses overall and per day) get
-- up to 16 rows each, one per slot chosen by the author (`db::slots`), read as their sum: an
-- updated row stays locked until its transaction's commit is flushed, so with one row per counter
-- concurrent posts waited for each other's commits. Existing counts move to slot 0.
ALTER TABLE weekly_activity ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE weekly_activity DROP CONSTRAINT weekly_activity_pkey;
ALTER TABLE weekly_activity ADD PRIMARY KEY (week, slot);

ALTER TABLE tag_days ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tag_days DROP CONSTRAINT tag_days_pkey;
ALTER TABLE tag_days ADD PRIMARY KEY (name, day, slot);

ALTER TABLE tag_stats ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tag_stats DROP CONSTRAINT tag_stats_pkey;
ALTER TABLE tag_stats ADD PRIMARY KEY (name, slot);
-- Search orders by the sum of a name's slots, which this index cannot give.
DROP INDEX tag_stats_uses;
