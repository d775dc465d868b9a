-- 014_pledges_created: the purge finds unconfirmed pledges through the
-- pledges_status (campaign_id, status, id) index every pledge is in
-- already ("campaign_id IN (SELECT id FROM campaigns) AND status =
-- 'pending_confirmation'", then their created_at), so this partial index
-- on created_at, one more B-tree written with every new pledge and again
-- at its confirmation, goes. The purge runs once a day and reads the
-- pending pledges; the index cost every pledge a write.

DROP INDEX pledges_created;
