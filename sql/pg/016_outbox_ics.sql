-- 016_outbox_ics: an event's .ics, the one attachment a template mail
-- carries (a seat's confirmation), is queued in a column of its own
-- instead of as a string inside vars (PostgreSQL; the translation of
-- sql/sqlite/016_outbox_ics.sql). Cleared with message and vars once the
-- mail is sent. Rows queued before keep their .ics in vars, which the
-- mailer still reads.
ALTER TABLE outbox ADD COLUMN ics text;
