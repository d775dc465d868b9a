-- 015_status_checks: the status CHECKs of pledges and registrations
-- written as comparisons joined by OR instead of "status IN (three or more
-- values)". The same rule; but SQLite evaluates an IN list of three or
-- more constants by building a temporary B-tree of its values (a pager,
-- a page cache, a transaction on it), and a CHECK runs at every insert:
-- a seventh of the writer's CPU per pledge and per registration in
-- bench/run (docs/performance.md, session 8). PostgreSQL's twin changes
-- nothing.
--
-- A CHECK cannot be altered in place, so each table is built again under
-- its own name, with the same columns in the same order, the same
-- constraints and indexes, and its rows copied with their ids (nothing
-- references either table by foreign key; secure_delete zeroes the old
-- pages).

CREATE TABLE pledges_new (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	status		TEXT NOT NULL CHECK (status = 'pending_confirmation'
			OR status = 'confirmed' OR status = 'approved'
			OR status = 'rejected'),
	-- whether it is counted: confirmed at least once and not rejected
	confirmed_at	INTEGER,
	name		TEXT NOT NULL,
	email		TEXT NOT NULL,		-- as given (lower-cased)
	email_key	TEXT NOT NULL,		-- normalised, for repeats
	organisation	TEXT,
	actor_type	TEXT NOT NULL,
	country		TEXT NOT NULL,
	city		TEXT,
	commitment	TEXT NOT NULL,
	category	TEXT,
	quantity	INTEGER,
	unit		TEXT,
	target_year	INTEGER,
	public		INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
	language	TEXT NOT NULL DEFAULT 'es',
	consent_at	INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,
	moderated_at	INTEGER,
	erased_at	INTEGER,
	demo		INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
	UNIQUE (campaign_id, email_key)
);
INSERT INTO pledges_new (id, campaign_id, status, confirmed_at, name, email,
	email_key, organisation, actor_type, country, city, commitment,
	category, quantity, unit, target_year, public, language, consent_at,
	created_at, moderated_at, erased_at, demo)
SELECT id, campaign_id, status, confirmed_at, name, email, email_key,
	organisation, actor_type, country, city, commitment, category,
	quantity, unit, target_year, public, language, consent_at, created_at,
	moderated_at, erased_at, demo
FROM pledges ORDER BY id;
DROP TABLE pledges;
ALTER TABLE pledges_new RENAME TO pledges;
CREATE INDEX pledges_wall ON pledges (campaign_id, id)
	WHERE public = 1 AND status IN ('confirmed', 'approved');
CREATE INDEX pledges_status ON pledges (campaign_id, status, id);
CREATE INDEX pledges_demo ON pledges (id) WHERE demo = 1;

CREATE TABLE registrations_new (
	id		INTEGER PRIMARY KEY,
	event_id	INTEGER NOT NULL REFERENCES events(id),
	status		TEXT NOT NULL CHECK (status = 'registered'
			OR status = 'waitlisted' OR status = 'cancelled'),
	waitlist_seq	INTEGER,		-- order on the waitlist
	name		TEXT NOT NULL,
	email		TEXT NOT NULL,
	email_key	TEXT NOT NULL,
	organisation	TEXT,
	country		TEXT,
	role		TEXT,
	language	TEXT NOT NULL DEFAULT 'es',
	consent_at	INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,
	cancelled_at	INTEGER,
	checked_in_at	INTEGER,
	erased_at	INTEGER,
	UNIQUE (event_id, email_key)
);
INSERT INTO registrations_new (id, event_id, status, waitlist_seq, name,
	email, email_key, organisation, country, role, language, consent_at,
	created_at, cancelled_at, checked_in_at, erased_at)
SELECT id, event_id, status, waitlist_seq, name, email, email_key,
	organisation, country, role, language, consent_at, created_at,
	cancelled_at, checked_in_at, erased_at
FROM registrations ORDER BY id;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE INDEX registrations_waitlist ON registrations (event_id, waitlist_seq)
	WHERE status = 'waitlisted';
CREATE INDEX registrations_event ON registrations (event_id, status, id);
