/*
 * events.h: event logic shared by the HTTP handlers, the mailer's reminder
 * job and icommitctl.
 */
#ifndef ICOMMIT_EVENTS_H
#define ICOMMIT_EVENTS_H

#include <jansson.h>

#include "config.h"
#include "store.h"
#include "validate.h"

/* EVENT of API.md as a new reference. */
json_t	*event_json(const struct event *e, int64_t now);

/*
 * Reads the EVENT fields present in f over e (for an update e holds the
 * current values; create requires slug, title, starts_at, ends_at).
 */
void	event_fields(struct fields *f, struct event *e, bool create);

/* Queues the day-before reminders of one due event, if any, in its own
 * transaction on s. Returns how many mails were queued (or -1). */
int	events_send_reminders(struct store *s, struct arena *arena,
	    const struct config *cfg);

#endif
