-- 013_registrations_key: a person's registrations are found by the
-- UNIQUE (event_id, email_key) key that every registration already has,
-- "event_id IN (SELECT id FROM events) AND email_key = ?" (one probe per
-- event, as pledges by campaign since 007), so this second index on a
-- random key, one more B-tree page written with every registration, goes.

DROP INDEX registrations_email_key;
