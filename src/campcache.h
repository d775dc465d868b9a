/*
 * campcache.h: campaigns kept in memory for the daemon's hot paths (the
 * counter and its badge, the campaign read of every pledge), so that these
 * requests do not open a SQLite read transaction each. An entry stays good
 * until this process commits a write of a campaign or its counter
 * (campcache_changed, called by the writer after such a commit: see
 * store_campaigns_written) and for at most CAMPCACHE_TTL_MS, which bounds
 * how long a change made by another process (icommitctl) or another node
 * goes unseen.
 */
#ifndef ICOMMIT_CAMPCACHE_H
#define ICOMMIT_CAMPCACHE_H

#include "arena.h"
#include "db.h"
#include "store.h"
#include "store_campaigns.h"

#define CAMPCACHE_TTL_MS 1000

/*
 * The campaign slug, like store_campaign_get: from memory when an entry is
 * good, otherwise read with s (the calling thread's store) and remembered.
 * Strings in *out are copies in arena. DB_NOTFOUND for an unknown slug
 * (not remembered); other errors as store_campaign_get. Thread-safe.
 */
enum db_err campcache_get(struct store *s, struct arena *arena,
	    const char *slug, struct campaign *out);

/* Its counter only (count, its time, goal): the same without copying the
 * texts. */
enum db_err campcache_counter(struct store *s, const char *slug,
	    struct counter *out);

/* Marks every entry stale: call after this process committed a write of a
 * campaign or its counter. */
void	campcache_changed(void);

/* Frees every entry (at exit, so that leak checkers see nothing left). */
void	campcache_clear(void);

#endif
