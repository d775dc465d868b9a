-- 001_init: campaigns and their counters.
-- Times are seconds since the epoch, UTC; the API shows them as RFC 3339.

CREATE TABLE campaigns (
	id		INTEGER PRIMARY KEY,
	slug		TEXT NOT NULL UNIQUE
			CHECK (length(slug) BETWEEN 1 AND 64 AND slug NOT GLOB '*[^a-z0-9-]*'),
	title_es	TEXT NOT NULL,
	title_en	TEXT NOT NULL,
	title_pt	TEXT NOT NULL,
	title_fr	TEXT NOT NULL,
	description_es	TEXT NOT NULL DEFAULT '',
	description_en	TEXT NOT NULL DEFAULT '',
	description_pt	TEXT NOT NULL DEFAULT '',
	description_fr	TEXT NOT NULL DEFAULT '',
	goal		INTEGER CHECK (goal IS NULL OR goal >= 0),
	opens_at	INTEGER,
	closes_at	INTEGER,
	paused		INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

-- The public count of each campaign, kept up to date in the same
-- transaction as the pledge that changes it, so that reading it is one
-- lookup and never a scan of the pledges.
CREATE TABLE campaign_counters (
	campaign_id	INTEGER PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
	count		INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
	updated_at	INTEGER NOT NULL
);

CREATE TRIGGER campaigns_counter_row AFTER INSERT ON campaigns
BEGIN
	INSERT INTO campaign_counters (campaign_id, count, updated_at)
	VALUES (NEW.id, 0, NEW.created_at);
END;
