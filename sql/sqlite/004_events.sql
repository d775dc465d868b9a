-- 004_events: events with limited seats, registrations and the waitlist.

CREATE TABLE events (
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
	starts_at	INTEGER NOT NULL,
	ends_at		INTEGER NOT NULL CHECK (ends_at >= starts_at),
	timezone	TEXT NOT NULL DEFAULT 'UTC',	-- IANA name, for display
	location	TEXT,
	online_url	TEXT,
	capacity	INTEGER CHECK (capacity IS NULL OR capacity >= 0),
	waitlist	INTEGER NOT NULL DEFAULT 1 CHECK (waitlist IN (0, 1)),
	registration_closes_at INTEGER,
	registered	INTEGER NOT NULL DEFAULT 0,	-- kept in step, never scanned
	reminder_sent_at INTEGER,
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE registrations (
	id		INTEGER PRIMARY KEY,
	event_id	INTEGER NOT NULL REFERENCES events(id),
	status		TEXT NOT NULL CHECK (status IN
			('registered', 'waitlisted', 'cancelled')),
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
	UNIQUE (event_id, email_key)
);
CREATE INDEX registrations_waitlist ON registrations (event_id, waitlist_seq)
	WHERE status = 'waitlisted';
CREATE INDEX registrations_event ON registrations (event_id, status, id);
