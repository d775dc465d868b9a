/*
 * store_demo.c: the marks of demo content and its removal (see
 * store_demo.h). Like store_privacy.c it reaches across tables (pledges,
 * events, registrations, tokens, consents, outbox, campaigns) on purpose:
 * it is the one place that knows what a demo row drags along.
 */
#include <string.h>

#include "store_demo.h"
#include "store_impl.h"

#define DEMO_REGISTRATIONS "SELECT r.id FROM registrations r " \
	"JOIN events e ON e.id = r.event_id WHERE e.demo = 1"
/* The kinds of mail an event registration causes (mail_kind_names). */
#define EVENT_MAIL_KINDS "('event_registered', 'event_waitlisted', " \
	"'event_promoted', 'event_cancelled', 'event_reminder')"
#define PLEDGE_MAIL_KINDS "('pledge_confirm', 'pledge_already', " \
	"'pledge_already_pending')"

enum demo_stmt {
	DEMO_PLEDGE_MARK,
	DEMO_EVENT_MARK,
	DEMO_EVENT_IS,
	DEMO_GOAL_SAVE,
	DEMO_GOAL_SET,
	DEMO_COUNTER_TOUCH,
	DEMO_PLEDGE_IDS,
	DEMO_PLEDGE_TOKENS_DELETE,
	DEMO_PLEDGE_CONSENTS_DELETE,
	DEMO_PLEDGE_MAILS_DELETE,
	DEMO_REG_TOKENS_DELETE,
	DEMO_REG_CONSENTS_DELETE,
	DEMO_REG_MAILS_DELETE,
	DEMO_REG_DELETE,
	DEMO_EVENT_DELETE,
	DEMO_GOAL_RESTORE,
	DEMO_GOAL_FORGET,
	DEMO__MAX
};

static const char *const sql[DEMO__MAX] = {
	[DEMO_PLEDGE_MARK] = "UPDATE pledges SET demo = 1, moderated_at = "
	    "CASE WHEN status IN ('approved', 'rejected') THEN ?2 "
	    "ELSE moderated_at END WHERE id = ?1",
	[DEMO_EVENT_MARK] = "UPDATE events SET demo = 1 WHERE id = ?1",
	[DEMO_EVENT_IS] = "SELECT demo FROM events WHERE id = ?1",
	/* Only the first load remembers: a second one finds the row. */
	[DEMO_GOAL_SAVE] = "INSERT INTO demo_campaigns (campaign_id, "
	    "goal_before, goal_demo, loaded_at) SELECT id, goal, ?2, ?3 "
	    "FROM campaigns WHERE id = ?1 ON CONFLICT DO NOTHING",
	[DEMO_GOAL_SET] = "UPDATE campaigns SET goal = ?2, updated_at = ?3 "
	    "WHERE id = ?1",
	[DEMO_COUNTER_TOUCH] = "UPDATE campaign_counters SET updated_at = ?2 "
	    "WHERE campaign_id = ?1",
	[DEMO_PLEDGE_IDS] = "SELECT id FROM pledges WHERE demo = 1 ORDER BY id",
	[DEMO_PLEDGE_TOKENS_DELETE] = "DELETE FROM tokens WHERE "
	    "kind = 'pledge' AND ref_id IN (SELECT id FROM pledges "
	    "WHERE demo = 1)",
	[DEMO_PLEDGE_CONSENTS_DELETE] = "DELETE FROM consents WHERE "
	    "subject = 'pledge' AND ref_id IN (SELECT id FROM pledges "
	    "WHERE demo = 1)",
	/* The demo's addresses are its own (example.org): any pledge mail
	 * to one was caused by a demo pledge. */
	[DEMO_PLEDGE_MAILS_DELETE] = "DELETE FROM outbox WHERE kind IN "
	    PLEDGE_MAIL_KINDS " AND recipient IN (SELECT email FROM pledges "
	    "WHERE demo = 1)",
	[DEMO_REG_TOKENS_DELETE] = "DELETE FROM tokens WHERE "
	    "kind = 'registration' AND ref_id IN (" DEMO_REGISTRATIONS ")",
	[DEMO_REG_CONSENTS_DELETE] = "DELETE FROM consents WHERE "
	    "subject = 'registration' AND ref_id IN (" DEMO_REGISTRATIONS ")",
	/* Someone who tried the demo by registering for a demo event: the
	 * event mails to them, unless they are also registered for a real
	 * event (whose mails look the same). */
	[DEMO_REG_MAILS_DELETE] = "DELETE FROM outbox WHERE kind IN "
	    EVENT_MAIL_KINDS " AND recipient IN (SELECT r.email FROM "
	    "registrations r JOIN events e ON e.id = r.event_id "
	    "WHERE e.demo = 1) AND recipient NOT IN (SELECT r.email FROM "
	    "registrations r JOIN events e ON e.id = r.event_id "
	    "WHERE e.demo = 0)",
	[DEMO_REG_DELETE] = "DELETE FROM registrations WHERE event_id IN "
	    "(SELECT id FROM events WHERE demo = 1)",
	/* Hook: tables that hang off an event (an agenda, speakers) are
	 * emptied of the demo events' rows before this. */
	[DEMO_EVENT_DELETE] = "DELETE FROM events WHERE demo = 1",
	/* The goal comes back only where it is still the demo's. */
	[DEMO_GOAL_RESTORE] = "UPDATE campaigns SET goal = (SELECT "
	    "d.goal_before FROM demo_campaigns d WHERE d.campaign_id = "
	    "campaigns.id), updated_at = ?1 WHERE id IN (SELECT d.campaign_id "
	    "FROM demo_campaigns d WHERE d.goal_demo = campaigns.goal)",
	[DEMO_GOAL_FORGET] = "DELETE FROM demo_campaigns",
};

const struct stmt_set store_demo_set = { "demo", sql, NULL, DEMO__MAX };

static struct stmt *
q(struct store *s, enum demo_stmt id)
{
	return store_stmt(s, SET_DEMO, id);
}

enum db_err
store_demo_mark_pledge(struct store *s, int64_t id, int64_t at)
{
	struct stmt *st = q(s, DEMO_PLEDGE_MARK);

	bind_int64(st, 1, id);
	bind_int64(st, 2, at);
	return store_exec_changed(s, st, "demo mark pledge");
}

enum db_err
store_demo_mark_event(struct store *s, int64_t id)
{
	struct stmt *st = q(s, DEMO_EVENT_MARK);

	bind_int64(st, 1, id);
	return store_exec_changed(s, st, "demo mark event");
}

enum db_err
store_demo_event_is(struct store *s, int64_t id, bool *demo)
{
	struct stmt *st = q(s, DEMO_EVENT_IS);

	bind_int64(st, 1, id);
	return store_bool(s, st, demo, "demo event");
}

enum db_err
store_demo_goal_set(struct store *s, int64_t campaign_id, int64_t goal,
    int64_t now, bool *set)
{
	struct stmt *st = q(s, DEMO_GOAL_SAVE);
	enum db_err  e;

	*set = false;
	bind_int64(st, 1, campaign_id);
	bind_int64(st, 2, goal);
	bind_int64(st, 3, now);
	if ((e = store_exec(s, st, "demo goal save")) != DB_OK ||
	    store_changes(s) == 0)
		return e;
	st = q(s, DEMO_GOAL_SET);
	bind_int64(st, 1, campaign_id);
	bind_int64(st, 2, goal);
	bind_int64(st, 3, now);
	if ((e = store_exec_changed(s, st, "demo goal set")) == DB_OK)
		*set = true;
	return e;
}

enum db_err
store_demo_counter_touch(struct store *s, int64_t campaign_id, int64_t now)
{
	struct stmt *st = q(s, DEMO_COUNTER_TOUCH);

	bind_int64(st, 1, campaign_id);
	bind_int64(st, 2, now);
	return store_exec(s, st, "demo counter touch");
}

enum db_err
store_demo_pledge_ids(struct store *s, struct arena *arena, int64_t **ids,
    size_t *n)
{
	struct stmt *st = q(s, DEMO_PLEDGE_IDS);
	size_t	     cap = 0;
	enum db_err  e = DB_OK;

	*ids = NULL;
	*n = 0;
	while (store_next(s, st, &e, "demo pledges")) {
		if (*n == cap) {
			int64_t *more;

			cap = cap ? cap * 2 : 64;
			more = arena_alloc(arena, cap * sizeof(*more));
			if (*n > 0)
				memcpy(more, *ids, *n * sizeof(*more));
			*ids = more;
		}
		(*ids)[(*n)++] = col_int64(st, 0);
	}
	return e;
}

/* Runs the statements of list in order, adding each one's changes to the
 * counter at the same index of counts (NULL: not counted). */
static enum db_err
demo_run(struct store *s, const enum demo_stmt *list, int64_t *const *counts,
    size_t n, int64_t now)
{
	enum db_err e = DB_OK;

	for (size_t i = 0; e == DB_OK && i < n; i++) {
		struct stmt *st = q(s, list[i]);

		if (list[i] == DEMO_GOAL_RESTORE)
			bind_int64(st, 1, now);
		if ((e = store_exec(s, st, "demo remove")) == DB_OK &&
		    counts[i] != NULL)
			*counts[i] += store_changes(s);
	}
	return e;
}

enum db_err
store_demo_remove_pledge_links(struct store *s, struct demo_removed *r)
{
	static const enum demo_stmt list[] = { DEMO_PLEDGE_TOKENS_DELETE,
		DEMO_PLEDGE_CONSENTS_DELETE, DEMO_PLEDGE_MAILS_DELETE };
	int64_t *const counts[] = { &r->tokens, &r->consents, &r->mails };

	return demo_run(s, list, counts, sizeof(list) / sizeof(list[0]), 0);
}

enum db_err
store_demo_remove_events(struct store *s, int64_t now, struct demo_removed *r)
{
	static const enum demo_stmt list[] = { DEMO_REG_TOKENS_DELETE,
		DEMO_REG_CONSENTS_DELETE, DEMO_REG_MAILS_DELETE,
		DEMO_REG_DELETE, DEMO_EVENT_DELETE, DEMO_GOAL_RESTORE,
		DEMO_GOAL_FORGET };
	int64_t *const counts[] = { &r->tokens, &r->consents, &r->mails,
		&r->registrations, &r->events, &r->goals, NULL };

	return demo_run(s, list, counts, sizeof(list) / sizeof(list[0]), now);
}
