-- 007_outbox_vars: a mail written from a template is queued as its
-- variables and rendered by the mailer when it is sent, not as a whole
-- message (a 2.4 KB MIME text per pledge, written in the pledge's own
-- transaction); and the pledges' e-mail lookups use the
-- (campaign_id, email_key) key that every pledge already has.

-- The template mail's kind is outbox.kind; vars is a JSON object with its
-- language and the values of its placeholders, e.g.
-- {"lang": "es", "name": "Ana", "campaign": "I COMMIT", "link": "https://..."}.
-- A row has message (staff-written mail, or one with an attachment) or
-- vars; both are cleared once the mail is sent.
ALTER TABLE outbox ADD COLUMN vars TEXT;

-- Every look-up by address alone now reads
-- "campaign_id IN (SELECT id FROM campaigns) AND email_key = ?", one probe
-- of the UNIQUE (campaign_id, email_key) index per campaign, so this
-- second index on a random key (one more B-tree page written per pledge)
-- can go.
DROP INDEX pledges_email_key;
