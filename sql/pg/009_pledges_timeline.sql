-- 009_pledges_timeline: one more tally of the counted pledges, by the UTC
-- day they count from ('day', key 'YYYY-MM-DD': the day of confirmed_at),
-- for GET .../stats/timeline (PostgreSQL; the translation of
-- sql/sqlite/009_pledges_timeline.sql, strftime being to_char here).
-- store_pledges.c keeps it with the counter from now on; this fills it for
-- the pledges counted before.
INSERT INTO pledge_tallies (campaign_id, dimension, key, value)
SELECT campaign_id, 'day',
    to_char(to_timestamp(coalesce(confirmed_at, created_at))
	AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
    count(*)
FROM pledges WHERE status IN ('confirmed', 'approved') GROUP BY 1, 3;
