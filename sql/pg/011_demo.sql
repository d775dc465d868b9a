-- 011_demo (PostgreSQL): the twin of sql/sqlite/011_demo.sql. Demo
-- content (icommitctl demo load / demo remove) is marked, so that removing
-- it deletes exactly what was loaded and leaves real data alone. A demo
-- pledge or event has demo = 1; everything that hangs off a demo event
-- (its registrations, their tokens, consents and mails) goes with it.
-- demo_campaigns remembers the goal a campaign had before the demo set its
-- own, to give it back on removal.

ALTER TABLE pledges ADD COLUMN demo integer NOT NULL DEFAULT 0
	CHECK (demo IN (0, 1));
ALTER TABLE events ADD COLUMN demo integer NOT NULL DEFAULT 0
	CHECK (demo IN (0, 1));

-- Finding the demo rows without a scan; real rows (demo = 0) are not in
-- these indexes, so a pledge's insert writes nothing more.
CREATE INDEX pledges_demo ON pledges (id) WHERE demo = 1;
CREATE INDEX events_demo ON events (id) WHERE demo = 1;

CREATE TABLE demo_campaigns (
	campaign_id	bigint PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,
	goal_before	bigint,			-- NULL: the campaign had no goal
	goal_demo	bigint NOT NULL,	-- the goal the demo set
	loaded_at	bigint NOT NULL
);
