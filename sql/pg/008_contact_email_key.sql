-- 008_contact_email_key: comments and the consultant roster find a person
-- by the same normalised address as pledges, registrations and
-- subscriptions (email_key: lower-cased, "+tag" dropped from the local
-- part; email_normalise in src/validate.c), so that the privacy export and
-- erasure know one key (PostgreSQL; the translation of
-- sql/008_contact_email_key.sql, instr() being strpos() here). Stored
-- addresses have exactly one '@' (email_valid).

ALTER TABLE comments ADD COLUMN email_key text;
ALTER TABLE consultants ADD COLUMN email_key text;
ALTER TABLE consultant_requests ADD COLUMN email_key text;

UPDATE comments SET email_key = lower(CASE
	WHEN strpos(substr(email, 1, strpos(email, '@') - 1), '+') > 0
	THEN substr(email, 1, strpos(email, '+') - 1) ||
	    substr(email, strpos(email, '@'))
	ELSE email END) WHERE email IS NOT NULL;
UPDATE consultants SET email_key = lower(CASE
	WHEN strpos(substr(email, 1, strpos(email, '@') - 1), '+') > 0
	THEN substr(email, 1, strpos(email, '+') - 1) ||
	    substr(email, strpos(email, '@'))
	ELSE email END);
UPDATE consultant_requests SET email_key = lower(CASE
	WHEN strpos(substr(email, 1, strpos(email, '@') - 1), '+') > 0
	THEN substr(email, 1, strpos(email, '+') - 1) ||
	    substr(email, strpos(email, '@'))
	ELSE email END);

DROP INDEX comments_email;
CREATE INDEX comments_email_key ON comments (email_key)
	WHERE email_key IS NOT NULL;
CREATE INDEX consultants_email_key ON consultants (email_key);
CREATE INDEX consultant_requests_email_key ON consultant_requests (email_key);
