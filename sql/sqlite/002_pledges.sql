-- 002_pledges: pledges, their tallies, confirmation tokens, the mail outbox
-- and the per-address daily mail quota.

CREATE TABLE pledges (
	id		INTEGER PRIMARY KEY,
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id),
	status		TEXT NOT NULL CHECK (status IN
			('pending_confirmation', 'confirmed', 'approved', 'rejected')),
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
	UNIQUE (campaign_id, email_key)
);

-- The public wall: newest first within a campaign.
CREATE INDEX pledges_wall ON pledges (campaign_id, id)
	WHERE public = 1 AND status IN ('confirmed', 'approved');
CREATE INDEX pledges_status ON pledges (campaign_id, status, id);

-- Counted pledges by dimension ('country', 'actor_type', 'category') and the
-- sum of quantity per unit ('unit'), kept with the counter so /stats never
-- scans.
CREATE TABLE pledge_tallies (
	campaign_id	INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	dimension	TEXT NOT NULL,
	key		TEXT NOT NULL,
	value		INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (campaign_id, dimension, key)
) WITHOUT ROWID;

-- Single-use links mailed to people. Only the SHA-256 of the token is kept.
CREATE TABLE tokens (
	hash		BLOB PRIMARY KEY,
	kind		TEXT NOT NULL,		-- 'pledge', later others
	ref_id		INTEGER NOT NULL,
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tokens_ref ON tokens (kind, ref_id);

-- Mail waiting for (or done with) delivery. The message is the whole
-- RFC 5322 text; it is cleared once sent.
CREATE TABLE outbox (
	id		INTEGER PRIMARY KEY,
	kind		TEXT NOT NULL,
	recipient	TEXT NOT NULL,
	message		BLOB,
	created_at	INTEGER NOT NULL,
	attempts	INTEGER NOT NULL DEFAULT 0,
	next_attempt_at	INTEGER NOT NULL,
	sent_at		INTEGER,
	last_error	TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- How many mails each address got per day (at most 5), keyed by the
-- SHA-256 of the normalised address so the table holds no address.
CREATE TABLE mail_quota (
	address_hash	BLOB NOT NULL,
	day		INTEGER NOT NULL,
	count		INTEGER NOT NULL,
	PRIMARY KEY (address_hash, day)
) WITHOUT ROWID;
