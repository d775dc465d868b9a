-- 012_outbox_email_key: the outbox knows whose mail it holds by the same
-- normalised address as every other table (email_key: lower-cased, "+tag"
-- dropped; email_normalise in src/validate.c), and which of its mails
-- count against the daily limit per address (quota = 1). The limit is
-- then a count of today's rows of that key, read through one index, and
-- the mail_quota table, a row written on a random key with every
-- confirmation mail, goes; the privacy export and erasure find a person's
-- mail by the key (before: by the addresses their other rows held).

ALTER TABLE outbox ADD COLUMN email_key TEXT;
ALTER TABLE outbox ADD COLUMN quota INTEGER NOT NULL DEFAULT 0
	CHECK (quota IN (0, 1));

UPDATE outbox SET email_key = lower(CASE
	WHEN instr(substr(recipient, 1, instr(recipient, '@') - 1), '+') > 0
	THEN substr(recipient, 1, instr(recipient, '+') - 1) ||
	    substr(recipient, instr(recipient, '@'))
	ELSE recipient END) WHERE recipient LIKE '%@%';
-- The kinds that src/mailtext.c's mail_kind_limited names.
UPDATE outbox SET quota = 1 WHERE kind IN ('pledge_confirm',
	'pledge_already', 'pledge_already_pending', 'newsletter_confirm',
	'newsletter_already', 'privacy_link', 'consultant_confirm');

DROP INDEX outbox_recipient;
CREATE INDEX outbox_email_key ON outbox (email_key, created_at)
	WHERE email_key IS NOT NULL;
DROP TABLE mail_quota;
