/*
 * store_event_details.h: an event's agenda and speakers (event_agenda,
 * event_speakers of sql/sqlite/010). Implemented in store_event_details.c;
 * the connection and the types every table shares are in store.h.
 */
#ifndef ICOMMIT_STORE_EVENT_DETAILS_H
#define ICOMMIT_STORE_EVENT_DETAILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One item of an event's agenda. Texts are never NULL ("" when missing). */
struct agenda_item {
	int64_t	    starts_at;
	bool	    has_ends_at;
	int64_t	    ends_at;
	const char *title[LANG__MAX];
	const char *description[LANG__MAX];
};

/* One speaker. role texts are never NULL; organisation, photo may be. */
struct speaker {
	const char *name;
	const char *role[LANG__MAX];
	const char *organisation;
	const char *photo;	/* a path of the site: "/img/speakers/a.jpg" */
};

/* An event's agenda and speakers in their order, from an arena. */
struct event_details {
	struct agenda_item *agenda;
	size_t		    nagenda;
	struct speaker	   *speakers;
	size_t		    nspeakers;
};

/* Reads both lists of event event_id into *out (strings in arena). */
enum db_err store_event_details_get(struct store *s, struct arena *arena,
	    int64_t event_id, struct event_details *out);
/* Replaces the agenda of event_id with items[0..n), in that order.
 * Inside a transaction. */
enum db_err store_agenda_set(struct store *s, int64_t event_id,
	    const struct agenda_item *items, size_t n);
/* Replaces the speakers of event_id with sp[0..n). Inside a transaction. */
enum db_err store_speakers_set(struct store *s, int64_t event_id,
	    const struct speaker *sp, size_t n);

#endif
