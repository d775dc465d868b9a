-- 010_event_details: an event's agenda and its speakers, shown on the
-- event's page. Words in the four languages as columns, like events'
-- title_xx: a missing translation is '' (the site then shows Spanish).
-- Staff send the whole list with the event (PUT replaces it), so a list
-- is rewritten in one transaction: position is the order shown, from 0.

CREATE TABLE event_agenda (
	id		INTEGER PRIMARY KEY,
	event_id	INTEGER NOT NULL REFERENCES events(id),
	position	INTEGER NOT NULL CHECK (position >= 0),
	starts_at	INTEGER NOT NULL,
	ends_at		INTEGER CHECK (ends_at IS NULL OR ends_at >= starts_at),
	title_es	TEXT NOT NULL,
	title_en	TEXT NOT NULL,
	title_pt	TEXT NOT NULL,
	title_fr	TEXT NOT NULL,
	description_es	TEXT NOT NULL DEFAULT '',
	description_en	TEXT NOT NULL DEFAULT '',
	description_pt	TEXT NOT NULL DEFAULT '',
	description_fr	TEXT NOT NULL DEFAULT '',
	UNIQUE (event_id, position)
);

-- A speaker's name and organisation are shown as given; the role
-- ("Minister of Transport") per language; photo a path of the site
-- ("/img/speakers/ana.jpg": the page's CSP allows only its own images).
CREATE TABLE event_speakers (
	id		INTEGER PRIMARY KEY,
	event_id	INTEGER NOT NULL REFERENCES events(id),
	position	INTEGER NOT NULL CHECK (position >= 0),
	name		TEXT NOT NULL,
	role_es		TEXT NOT NULL DEFAULT '',
	role_en		TEXT NOT NULL DEFAULT '',
	role_pt		TEXT NOT NULL DEFAULT '',
	role_fr		TEXT NOT NULL DEFAULT '',
	organisation	TEXT,
	photo		TEXT,
	UNIQUE (event_id, position)
);
