-- 009_pledges_timeline: one more tally of the counted pledges, by the UTC
-- day they count from ('day', key 'YYYY-MM-DD': the day of confirmed_at),
-- for GET .../stats/timeline. store_pledges.c keeps it with the counter
-- from now on; this fills it for the pledges counted before.
INSERT INTO pledge_tallies (campaign_id, dimension, key, value)
SELECT campaign_id, 'day',
    strftime('%Y-%m-%d', coalesce(confirmed_at, created_at), 'unixepoch'),
    count(*)
FROM pledges WHERE status IN ('confirmed', 'approved') GROUP BY 1, 3;
