/*
 * store_events.h: events and their seat count. Implemented in
 * store_events.c; the connection and the types every table shares are in
 * store.h.
 */
#ifndef ICOMMIT_STORE_EVENTS_H
#define ICOMMIT_STORE_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct event {
	int64_t	    id;
	const char *slug;
	const char *title[LANG__MAX];
	const char *description[LANG__MAX];
	int64_t	    starts_at, ends_at;
	const char *timezone;
	const char *location;	/* may be NULL */
	const char *online_url;	/* may be NULL */
	bool	    has_capacity;
	int64_t	    capacity;
	bool	    waitlist;
	bool	    has_closes_at;
	int64_t	    registration_closes_at;
	int64_t	    registered;
};

/* "open", "full" or "closed" at time now. */
const char *event_status(const struct event *e, int64_t now);

enum db_err store_event_get(struct store *s, struct arena *arena,
	    const char *slug, struct event *out);
enum db_err store_event_get_id(struct store *s, struct arena *arena,
	    int64_t id, struct event *out);
/*
 * store_event_get_id inside a writer's transaction that will change the
 * event's seats or its registrations: on PostgreSQL the event's row is
 * held (FOR UPDATE) until the transaction ends, so that registrations on
 * several nodes count seats and number the waitlist one at a time; on
 * SQLite the one writer does that anyway.
 */
enum db_err store_event_lock(struct store *s, struct arena *arena,
	    int64_t id, struct event *out);
typedef int (*store_event_fn)(const struct event *e, void *arg);
/* Upcoming (not yet ended, soonest first) or past (latest first). */
enum db_err store_event_list(struct store *s, struct arena *arena, bool past,
	    int64_t now, store_event_fn fn, void *arg);
/* Every event: those not ended soonest first, then the ended latest first. */
enum db_err store_event_list_all(struct store *s, struct arena *arena,
	    int64_t now, store_event_fn fn, void *arg);
enum db_err store_event_add(struct store *s, struct event *e);
enum db_err store_event_update(struct store *s, const struct event *e);
/* The seat count by delta: the one write of an event the event cache
 * (eventcache.h) does not hear of (see store_events_written). */
enum db_err store_event_registered_add(struct store *s, int64_t event_id,
	    int delta);
/*
 * Sets every event's seat count (registered) to its registrations that
 * hold a seat, in the caller's transaction, and reports each event whose
 * count had drifted: fn(slug, stored, actual, arg). On PostgreSQL every
 * event's row is held first, as a registration holds its event's.
 */
enum db_err store_event_recount(struct store *s, store_drift_fn fn,
	    void *arg);
/* An event starting within the next 24 h whose reminder is not sent. */
enum db_err store_event_reminder_due(struct store *s, struct arena *arena,
	    int64_t now, struct event *out);
enum db_err store_event_reminded(struct store *s, int64_t id, int64_t now);

#endif
