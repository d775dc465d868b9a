-- 012_outbox_email_key: the outbox knows whose mail it holds by the same
-- normalised address as every other table (email_key), and which of its
-- mails count against the daily limit per address (quota = 1); the
-- mail_quota table goes (PostgreSQL; the translation of
-- sql/sqlite/012_outbox_email_key.sql, instr() being strpos() here). With
-- several nodes, the statement that counts today's mails of a key first
-- takes a transaction-level advisory lock on the key, so that two nodes
-- cannot both see four mails and send a sixth.

ALTER TABLE outbox ADD COLUMN email_key text;
ALTER TABLE outbox ADD COLUMN quota integer NOT NULL DEFAULT 0
	CHECK (quota IN (0, 1));

UPDATE outbox SET email_key = lower(CASE
	WHEN strpos(substr(recipient, 1, strpos(recipient, '@') - 1), '+') > 0
	THEN substr(recipient, 1, strpos(recipient, '+') - 1) ||
	    substr(recipient, strpos(recipient, '@'))
	ELSE recipient END) WHERE recipient LIKE '%@%';
-- The kinds that src/mailtext.c's mail_kind_limited names.
UPDATE outbox SET quota = 1 WHERE kind IN ('pledge_confirm',
	'pledge_already', 'pledge_already_pending', 'newsletter_confirm',
	'newsletter_already', 'privacy_link', 'consultant_confirm');

DROP INDEX outbox_recipient;
CREATE INDEX outbox_email_key ON outbox (email_key, created_at)
	WHERE email_key IS NOT NULL;
DROP TABLE mail_quota;
