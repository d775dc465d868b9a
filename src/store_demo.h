/*
 * store_demo.h: the marks of demo content (migration 011): which pledges
 * and events `icommitctl demo load` made, the campaign goal it replaced,
 * and removing all of it with what hangs off it. Implemented in
 * store_demo.c; the connection and the types every table shares are in
 * store.h. The rows themselves are made by each table's own functions
 * (store_pledge_insert, store_event_add, ...) and then marked here.
 */
#ifndef ICOMMIT_STORE_DEMO_H
#define ICOMMIT_STORE_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* Marks pledge id as demo content; an approved or rejected one gets
 * moderated_at = at. */
enum db_err store_demo_mark_pledge(struct store *s, int64_t id, int64_t at);
/* Marks event id as demo content. */
enum db_err store_demo_mark_event(struct store *s, int64_t id);
/* Whether event id is demo content (DB_NOTFOUND: no such event). */
enum db_err store_demo_event_is(struct store *s, int64_t id, bool *demo);

/*
 * Gives campaign_id the demo's goal, remembering the goal it had, unless
 * the demo did so already (then *set is false and nothing changes, so a
 * second load keeps what staff may have set since).
 */
enum db_err store_demo_goal_set(struct store *s, int64_t campaign_id,
	    int64_t goal, int64_t now, bool *set);
/* Sets the counter's time of campaign_id to now (the demo's pledges are
 * dated in the past; their counting should not date the counter). */
enum db_err store_demo_counter_touch(struct store *s, int64_t campaign_id,
	    int64_t now);

/* The ids of the demo pledges, in order, into *ids (from arena). */
enum db_err store_demo_pledge_ids(struct store *s, struct arena *arena,
	    int64_t **ids, size_t *n);

/* What a removal took away. */
struct demo_removed {
	int64_t pledges, events, registrations, tokens, consents, mails;
	int64_t goals;		/* campaigns given their goal back */
};

/*
 * Deletes the tokens, consent records and mails of the demo pledges
 * (the pledges themselves go through store_pledge_delete, which keeps the
 * counters), then the demo events with their registrations and the
 * registrations' tokens, consents and event mails (a mail of an event
 * kind to someone registered only for demo events), and gives each
 * campaign back the goal it had, unless staff changed it since. Adds to
 * *r. Call inside a transaction.
 */
enum db_err store_demo_remove_pledge_links(struct store *s,
	    struct demo_removed *r);
enum db_err store_demo_remove_events(struct store *s, int64_t now,
	    struct demo_removed *r);

#endif
