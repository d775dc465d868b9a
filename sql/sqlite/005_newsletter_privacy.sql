-- 005_newsletter_privacy: newsletter subscribers and issues, consent
-- records, and what the self-service privacy requests need.

-- One row per mailbox (normalised address): a second sign-up reuses it.
-- AUTOINCREMENT: ids are never reused, so a link (token → id) made for a
-- deleted subscription can never reach a later one.
CREATE TABLE subscribers (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	email		TEXT NOT NULL,		-- as given (lower-cased)
	email_key	TEXT NOT NULL UNIQUE,	-- normalised, for repeats
	name		TEXT,
	language	TEXT NOT NULL DEFAULT 'es',
	status		TEXT NOT NULL CHECK (status IN
			('pending_confirmation', 'subscribed', 'unsubscribed')),
	created_at	INTEGER NOT NULL,
	confirmed_at	INTEGER,
	unsubscribed_at	INTEGER
);
CREATE INDEX subscribers_status ON subscribers (status, id);

-- Proof of consent: when, from which client address, to which version of
-- the privacy notice, in which language and on which page. subject names
-- the table of ref_id ('pledge', 'registration', 'newsletter', ...).
CREATE TABLE consents (
	id		INTEGER PRIMARY KEY,
	subject		TEXT NOT NULL,
	ref_id		INTEGER NOT NULL,
	given_at	INTEGER NOT NULL,
	client_ip	TEXT,
	notice_version	TEXT NOT NULL,
	language	TEXT NOT NULL,
	source		TEXT,
	withdrawn_at	INTEGER
);
CREATE INDEX consents_ref ON consents (subject, ref_id);

-- Issues of the newsletter. Sending walks the subscribers in id order;
-- cursor is the last subscriber queued, advanced in the same transaction
-- as their mail, so a crash resumes without sending anyone twice.
CREATE TABLE newsletters (
	id		INTEGER PRIMARY KEY,
	subject_es	TEXT NOT NULL,
	subject_en	TEXT,
	subject_pt	TEXT,
	subject_fr	TEXT,
	body_es		TEXT NOT NULL,
	body_en		TEXT,
	body_pt		TEXT,
	body_fr		TEXT,
	status		TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
			('draft', 'sending', 'sent')),
	created_at	INTEGER NOT NULL,
	created_by	TEXT,
	send_started_at	INTEGER,
	sent_at		INTEGER,
	recipients	INTEGER NOT NULL DEFAULT 0,	-- subscribed at send time
	queued		INTEGER NOT NULL DEFAULT 0,
	cursor		INTEGER NOT NULL DEFAULT 0
);

-- A request for one's own data: the mailed token points here.
CREATE TABLE privacy_requests (
	id		INTEGER PRIMARY KEY AUTOINCREMENT,
	email		TEXT NOT NULL,
	email_key	TEXT NOT NULL,
	created_at	INTEGER NOT NULL
);

-- Finding everything about one mailbox without a scan.
CREATE INDEX pledges_email_key ON pledges (email_key);
CREATE INDEX registrations_email_key ON registrations (email_key);
CREATE INDEX outbox_recipient ON outbox (recipient);
CREATE INDEX pledges_created ON pledges (created_at) WHERE status = 'pending_confirmation';

-- When a pledge or registration lost its personal fields (erasure or
-- retention); NULL while they are held.
ALTER TABLE pledges ADD COLUMN erased_at INTEGER;
ALTER TABLE registrations ADD COLUMN erased_at INTEGER;
