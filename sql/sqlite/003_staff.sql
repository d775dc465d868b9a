-- 003_staff: staff accounts, their sessions and the audit log.

CREATE TABLE users (
	id		INTEGER PRIMARY KEY,
	username	TEXT NOT NULL UNIQUE,
	password_hash	TEXT NOT NULL,		-- Argon2id, crypto_pwhash_str
	disabled	INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at	INTEGER NOT NULL,
	updated_at	INTEGER NOT NULL
);

-- Only the SHA-256 of the session token is kept; its CSRF token is
-- derived from it (see admin.c).
CREATE TABLE sessions (
	hash		BLOB PRIMARY KEY,
	user_id		INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at	INTEGER NOT NULL,
	expires_at	INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (user_id);

-- Who did what, when: approvals, rejections, edits, exports, erasures.
CREATE TABLE audit (
	id		INTEGER PRIMARY KEY,
	at		INTEGER NOT NULL,
	username	TEXT NOT NULL,
	action		TEXT NOT NULL,
	target		TEXT,
	detail		TEXT
);
