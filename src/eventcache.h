/*
 * eventcache.h: events kept in memory for the registration POST, so that
 * every registration does not open a read transaction of its own (after
 * each commit a SQLite reader's pages are stale and read again). An entry
 * stays good until this process commits a write of an event that a
 * registration's worker reads (eventcache_changed, called by the writer
 * after such a commit: see store_events_written; a registration's seat
 * count is not one) and for at most EVENTCACHE_TTL_MS, which bounds how
 * long a change by another process or node goes unseen. Its seat count may
 * be old: the writer decides a registration on the event's row as it
 * locks it (register_tx), never on what the worker read.
 */
#ifndef ICOMMIT_EVENTCACHE_H
#define ICOMMIT_EVENTCACHE_H

#include "arena.h"
#include "db.h"
#include "store.h"
#include "store_events.h"

#define EVENTCACHE_TTL_MS 1000

/*
 * The event slug, like store_event_get: from memory when an entry is good,
 * otherwise read with s (the calling thread's store) and remembered.
 * Strings in *out are copies in arena; out->registered may be out of date
 * (see above). DB_NOTFOUND for an unknown slug (not remembered); other
 * errors as store_event_get. Thread-safe.
 */
enum db_err eventcache_get(struct store *s, struct arena *arena,
	    const char *slug, struct event *out);

/* Marks every entry stale: call after this process committed a write of
 * an event (store_events_written). */
void	eventcache_changed(void);

/* Frees every entry (at exit, so that leak checkers see nothing left). */
void	eventcache_clear(void);

#endif
