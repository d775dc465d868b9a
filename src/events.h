/*
 * events.h: the events resource, in three files: events.c (events, their
 * .ics, the staff's editing, the door), event_details.c (the agenda and
 * speakers, the staff's form of an event with the venue's wall-clock
 * times) and registrations.c (registering, cancelling, the waitlist,
 * reminders, the CSV). What they share with each other, the scheduler and
 * icommitctl.
 */
#ifndef ICOMMIT_EVENTS_H
#define ICOMMIT_EVENTS_H

#include <jansson.h>

#include "config.h"
#include "download.h"
#include "fields.h"
#include "store.h"
#include "store_event_details.h"
#include "store_events.h"
#include "writer.h"

/* EVENT of API.md as a new reference. */
json_t	*event_json(const struct event *e, int64_t now);

/*
 * Reads the EVENT fields present in f over e (for an update e holds the
 * current values; create requires slug, title, starts_at, ends_at). Times
 * may be given as the wall clock of the event's zone (KEY_local, see
 * field_time_zoned); a timezone given must be one the system knows.
 */
void	event_fields(struct fields *f, struct event *e, bool create);

/* An agenda and speakers as a staff body gives them: a list given
 * (even empty or null) replaces the stored one; one not given stays. */
struct event_details_input {
	bool		     agenda_given, speakers_given;
	struct event_details d;
};

/*
 * Reads "agenda" and "speakers" of f into *in (strings in f's arena),
 * recording reasons as "agenda.2.title.es". Agenda times may be given in
 * ev's zone and must fall within ev's start and end (ev as event_fields
 * left it).
 */
void	event_details_fields(struct fields *f, const struct event *ev,
	    struct event_details_input *in);
/* Stores the lists in (those given) as event_id's. Inside a transaction. */
enum db_err event_details_save(struct store *s, int64_t event_id,
	    const struct event_details_input *in);
/* Adds "agenda" and "speakers" of d to EVENT o; staff adds each item's
 * times in ev's zone (starts_at_local, ends_at_local). */
void	event_details_json(json_t *o, const struct event *ev,
	    const struct event_details *d, bool staff);
/* Adds the staff's fields to EVENT o: starts_at_local, ends_at_local,
 * registration_closes_at_local ("2026-12-03T10:00" in ev's zone, null if
 * none or the zone is unknown here) and waitlisted (how many wait). */
void	event_staff_json(json_t *o, const struct event *ev,
	    int64_t waitlisted);

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
