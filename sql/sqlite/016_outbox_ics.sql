-- 016_outbox_ics: an event's .ics, the one attachment a template mail
-- carries (a seat's confirmation), is queued in a column of its own
-- instead of as a string inside vars: the text goes in as it is, where
-- the JSON encoder escaped each of its line ends (a tenth of the daemon's
-- CPU in a registration burst). Cleared with message and vars once the
-- mail is sent. Rows queued before keep their .ics in vars, which the
-- mailer still reads.
ALTER TABLE outbox ADD COLUMN ics TEXT;
