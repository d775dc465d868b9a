/*
 * events.h: the events resource, in two files: events.c (events, their
 * .ics, the staff's editing, the door) and registrations.c (registering,
 * cancelling, the waitlist, reminders, the CSV). What they share with each
 * other, the scheduler and icommitctl.
 */
#ifndef ICOMMIT_EVENTS_H
#define ICOMMIT_EVENTS_H

#include <jansson.h>

#include "config.h"
#include "download.h"
#include "fields.h"
#include "store.h"
#include "store_events.h"
#include "writer.h"

/* EVENT of API.md as a new reference. */
json_t	*event_json(const struct event *e, int64_t now);

/*
 * Reads the EVENT fields present in f over e (for an update e holds the
 * current values; create requires slug, title, starts_at, ends_at).
 */
void	event_fields(struct fields *f, struct event *e, bool create);

/*
 * Gives the free seats of ev to the first on its waitlist, in order, and
 * mails them; nothing once the event has started. Updates ev->registered.
 * Inside a transaction (a writer job).
 */
enum db_err registrations_promote(struct store *s, struct arena *arena,
	    const struct config *cfg, struct event *ev);

/*
 * Queues the day-before reminders of one due event, if any (looked up on
 * s), in one job of the writer w that also marks the event reminded.
 * Returns how many mails were queued, or -1. The scheduler calls it.
 */
int	registrations_remind(struct store *s, struct writer *w,
	    struct arena *arena, const struct config *cfg);

/* The registrations CSV of one event (?event=SLUG, required). */
extern const struct export registrations_export;

#endif
