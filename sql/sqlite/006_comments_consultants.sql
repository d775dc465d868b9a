-- 006_comments_consultants: comments from the contact page, and the
-- consultant roster with its double opt-in and full-text search.

-- A comment sent through the contact page. name and email are optional;
-- handled_at/handled_by are staff's "dealt with" mark.
CREATE TABLE comments (
	id		INTEGER PRIMARY KEY,
	topic		TEXT NOT NULL CHECK (topic IN ('general', 'pledges',
			'events', 'partnership', 'press', 'other')),
	name		TEXT,
	email		TEXT,			-- lower-cased, or NULL
	message		TEXT NOT NULL,
	language	TEXT NOT NULL DEFAULT 'es',
	consent_at	INTEGER,		-- set when an e-mail was given
	created_at	INTEGER NOT NULL,
	handled_at	INTEGER,
	handled_by	TEXT			-- staff user name
);
CREATE INDEX comments_topic ON comments (topic, id);
CREATE INDEX comments_email ON comments (email) WHERE email IS NOT NULL;

-- Confirmed consultants: one row per address. expertise and languages are
-- JSON arrays of codes (e.g. ["charging","grid"]).
CREATE TABLE consultants (
	id		INTEGER PRIMARY KEY,
	email		TEXT NOT NULL UNIQUE,	-- lower-cased
	name		TEXT NOT NULL,
	country		TEXT,
	organisation	TEXT,
	expertise	TEXT NOT NULL,
	languages	TEXT NOT NULL DEFAULT '[]',
	profile_url	TEXT,
	bio		TEXT NOT NULL,
	language	TEXT NOT NULL DEFAULT 'es',	-- of the mails
	consent_at	INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,	-- first registration
	confirmed_at	INTEGER NOT NULL,	-- last confirmed profile
	updated_at	INTEGER NOT NULL
);
CREATE INDEX consultants_country ON consultants (country, id);

-- Registrations and profile updates waiting for their e-mail confirmation:
-- at most one per address (a repeat replaces it, so only the latest link
-- works). Confirming one copies it into consultants (insert or update) and
-- sets its confirmed_at, so that a second click is a harmless repeat.
-- Tokens of kind 'consultant' point here. icommitctl purge deletes old
-- ones, confirmed or not.
CREATE TABLE consultant_requests (
	-- AUTOINCREMENT: an id is never reused, so a live link to a request
	-- that was replaced, erased or purged can never confirm another one.
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	email		TEXT NOT NULL UNIQUE,
	name		TEXT NOT NULL,
	country		TEXT,
	organisation	TEXT,
	expertise	TEXT NOT NULL,
	languages	TEXT NOT NULL DEFAULT '[]',
	profile_url	TEXT,
	bio		TEXT NOT NULL,
	language	TEXT NOT NULL DEFAULT 'es',
	consent_at	INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,
	confirmed_at	INTEGER
);
CREATE INDEX consultant_requests_created ON consultant_requests (created_at);

-- Staff's free-text search over confirmed consultants; "gestión" and
-- "gestion" are the same word. Kept in step by the triggers below (rowid =
-- consultants.id). SQLite 3.40 has no 'secure-delete' option: erasure runs
-- the 'optimize' command so that no token of an erased person remains.
CREATE VIRTUAL TABLE consultants_fts USING fts5(name, organisation, bio,
	tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER consultants_fts_insert AFTER INSERT ON consultants BEGIN
	INSERT INTO consultants_fts (rowid, name, organisation, bio)
	VALUES (new.id, new.name, coalesce(new.organisation, ''), new.bio);
END;
CREATE TRIGGER consultants_fts_delete AFTER DELETE ON consultants BEGIN
	DELETE FROM consultants_fts WHERE rowid = old.id;
END;
CREATE TRIGGER consultants_fts_update AFTER UPDATE OF name, organisation, bio
ON consultants BEGIN
	DELETE FROM consultants_fts WHERE rowid = old.id;
	INSERT INTO consultants_fts (rowid, name, organisation, bio)
	VALUES (new.id, new.name, coalesce(new.organisation, ''), new.bio);
END;
