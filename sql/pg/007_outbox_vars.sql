-- 007_outbox_vars: a mail written from a template is queued as its
-- variables and rendered by the mailer when it is sent, not as a whole
-- message; and the pledges' e-mail lookups use the (campaign_id,
-- email_key) key that every pledge already has (PostgreSQL; the
-- translation of sql/007_outbox_vars.sql).

-- The template mail's kind is outbox.kind; vars is a JSON object with its
-- language and the values of its placeholders, e.g.
-- {"lang": "es", "name": "Ana", "campaign": "I COMMIT", "link": "https://..."}.
-- A row has message (staff-written mail, or one with an attachment) or
-- vars; both are cleared once the mail is sent. Text, as in SQLite: the
-- mailer parses it, no statement looks inside.
ALTER TABLE outbox ADD COLUMN vars text;

-- Every look-up by address alone reads
-- "campaign_id IN (SELECT id FROM campaigns) AND email_key = $1", one
-- probe of the UNIQUE (campaign_id, email_key) index per campaign.
DROP INDEX pledges_email_key;
