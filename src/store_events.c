/*
 * store_events.c: events (see store_events.h). The seat count lives in
 * events.registered, changed only in the writer's transactions
 * (store_registrations.c's callers), so capacity checks never scan; they
 * never race either: one writer on SQLite, and on PostgreSQL, where each
 * node has its writer, each of those transactions holds the event's row
 * first (store_event_lock). icommitctl recount checks it against the
 * registrations (store_event_recount).
 */
#include <string.h>

#include "store_events.h"
#include "store_impl.h"

#define EVENT_COLUMNS \
	"id, slug, title_es, title_en, title_pt, title_fr, description_es, " \
	"description_en, description_pt, description_fr, starts_at, ends_at, " \
	"timezone, location, online_url, capacity, waitlist, " \
	"registration_closes_at, registered "

#define EVENT_GET_ID_SQL "SELECT " EVENT_COLUMNS "FROM events WHERE id = ?"
#define EVENT_ADD_SQL \
	"INSERT INTO events (slug, title_es, title_en, title_pt, title_fr, " \
	"description_es, description_en, description_pt, description_fr, " \
	"starts_at, ends_at, timezone, location, online_url, capacity, " \
	"waitlist, registration_closes_at, created_at, updated_at) " \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, " \
	"?15, ?16, ?17, ?18, ?18)"
/* The registrations that hold a seat of the event whose id is e: what
 * events.registered counts. */
#define SEATS_OF(e) \
	"(SELECT count(*) FROM registrations r WHERE r.event_id = " e \
	" AND r.status = 'registered')"

enum event_stmt {
	EVENT_GET,
	EVENT_GET_ID,
	EVENT_LOCK,
	EVENT_UPCOMING,
	EVENT_PAST,
	EVENT_ALL,
	EVENT_ADD,
	EVENT_UPDATE,
	EVENT_REGISTERED_ADD,
	EVENT_REMINDER_DUE,
	EVENT_REMINDED,
	EVENT_RECOUNT_LOCK,
	EVENT_RECOUNT_DRIFT,
	EVENT_RECOUNT_FIX,
	EVENT__MAX
};

static const char *const sql[EVENT__MAX] = {
	[EVENT_GET] = "SELECT " EVENT_COLUMNS "FROM events WHERE slug = ?",
	[EVENT_GET_ID] = EVENT_GET_ID_SQL,
	[EVENT_LOCK] = EVENT_GET_ID_SQL,
	[EVENT_UPCOMING] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE ends_at >= ? ORDER BY starts_at, id",
	[EVENT_PAST] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE ends_at < ? ORDER BY starts_at DESC, id",
	/* Not ended yet soonest first, then ended latest first. */
	[EVENT_ALL] = "SELECT " EVENT_COLUMNS "FROM events ORDER BY "
	    "CASE WHEN ends_at < ?1 THEN 1 ELSE 0 END, "
	    "CASE WHEN ends_at < ?1 THEN -starts_at ELSE starts_at END, id",
	[EVENT_ADD] = EVENT_ADD_SQL,
	[EVENT_UPDATE] = "UPDATE events SET title_es = ?2, title_en = ?3, "
	    "title_pt = ?4, title_fr = ?5, description_es = ?6, "
	    "description_en = ?7, description_pt = ?8, description_fr = ?9, "
	    "starts_at = ?10, ends_at = ?11, timezone = ?12, location = ?13, "
	    "online_url = ?14, capacity = ?15, waitlist = ?16, "
	    "registration_closes_at = ?17, updated_at = ?18 WHERE slug = ?1",
	[EVENT_REGISTERED_ADD] = "UPDATE events SET registered = "
	    "registered + ?2 WHERE id = ?1",
	[EVENT_REMINDER_DUE] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE reminder_sent_at IS NULL AND starts_at > ?1 "
	    "AND starts_at <= ?1 + 86400 ORDER BY starts_at LIMIT 1",
	[EVENT_REMINDED] = "UPDATE events SET reminder_sent_at = ?2 "
	    "WHERE id = ?1",
	/* SQLite: the one writer is this transaction's already. */
	[EVENT_RECOUNT_LOCK] = "SELECT 1",
	[EVENT_RECOUNT_DRIFT] = "SELECT slug, registered, " SEATS_OF("e.id")
	    " FROM events e WHERE registered != " SEATS_OF("e.id")
	    " ORDER BY id",
	[EVENT_RECOUNT_FIX] = "UPDATE events SET registered = "
	    SEATS_OF("events.id") " WHERE registered != "
	    SEATS_OF("events.id"),
};

/* PostgreSQL: the event's row held (store_event_lock), the new id back. */
static const char *const sql_pg[EVENT__MAX] = {
	[EVENT_LOCK] = EVENT_GET_ID_SQL " FOR UPDATE",
	[EVENT_ADD] = EVENT_ADD_SQL " RETURNING id",
	/* Held by the round that queues the reminders: a second node's
	 * round (a leader's handover) waits, then finds them sent. */
	[EVENT_REMINDER_DUE] = "SELECT " EVENT_COLUMNS "FROM events "
	    "WHERE reminder_sent_at IS NULL AND starts_at > ?1 "
	    "AND starts_at <= ?1 + 86400 ORDER BY starts_at LIMIT 1 "
	    "FOR UPDATE",
	/* Every event's row, in the order a writer's batch takes them
	 * (writer.h), before the seats are counted: a registration or
	 * cancel holds its event's row while it changes them. Without it,
	 * EVENT_RECOUNT_FIX waiting for a row that a writer changed would
	 * count with the registrations of before that writer's commit. */
	[EVENT_RECOUNT_LOCK] = "SELECT count(*) FROM (SELECT id FROM events "
	    "ORDER BY id FOR UPDATE) AS held",
};

const struct stmt_set store_events_set = { "events", sql, sql_pg,
	EVENT__MAX };

static struct stmt *
q(struct store *s, enum event_stmt id)
{
	return store_stmt(s, SET_EVENTS, id);
}

const char *
event_status(const struct event *e, int64_t now)
{
	if (now >= e->starts_at ||
	    (e->has_closes_at && now >= e->registration_closes_at))
		return "closed";
	if (e->has_capacity && e->registered >= e->capacity)
		return "full";
	return "open";
}

/* Reads one row of EVENT_COLUMNS. */
static void
event_read(struct arena *arena, struct stmt *st, void *row)
{
	struct event *e = row;

	memset(e, 0, sizeof(*e));
	e->id = col_int64(st, 0);
	e->slug = col_text(arena, st, 1);
	for (int l = 0; l < LANG__MAX; l++) {
		e->title[l] = col_text(arena, st, 2 + l);
		e->description[l] = col_text(arena, st, 6 + l);
	}
	e->starts_at = col_int64(st, 10);
	e->ends_at = col_int64(st, 11);
	e->timezone = col_text(arena, st, 12);
	e->location = col_text(arena, st, 13);
	e->online_url = col_text(arena, st, 14);
	e->has_capacity = !col_null(st, 15);
	e->capacity = col_int64(st, 15);
	e->waitlist = col_int(st, 16) != 0;
	e->has_closes_at = !col_null(st, 17);
	e->registration_closes_at = col_int64(st, 17);
	e->registered = col_int64(st, 18);
}

enum db_err
store_event_get(struct store *s, struct arena *arena, const char *slug,
    struct event *out)
{
	struct stmt *st = q(s, EVENT_GET);

	bind_text(st, 1, slug);
	return store_one(s, st, arena, event_read, out, "event get");
}

enum db_err
store_event_get_id(struct store *s, struct arena *arena, int64_t id,
    struct event *out)
{
	struct stmt *st = q(s, EVENT_GET_ID);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, event_read, out, "event get");
}

enum db_err
store_event_lock(struct store *s, struct arena *arena, int64_t id,
    struct event *out)
{
	struct stmt *st = q(s, EVENT_LOCK);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, event_read, out, "event lock");
}

/* Calls fn for each row of list statement id (?1 now). */
static enum db_err
event_list(struct store *s, struct arena *arena, enum event_stmt id,
    int64_t now, store_event_fn fn, void *arg)
{
	struct stmt  *st = q(s, id);
	struct event  ev;
	enum db_err   e = DB_OK;

	bind_int64(st, 1, now);
	while (store_next(s, st, &e, "event list")) {
		event_read(arena, st, &ev);
		if (fn(&ev, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_event_list(struct store *s, struct arena *arena, bool past, int64_t now,
    store_event_fn fn, void *arg)
{
	return event_list(s, arena, past ? EVENT_PAST : EVENT_UPCOMING, now,
	    fn, arg);
}

enum db_err
store_event_list_all(struct store *s, struct arena *arena, int64_t now,
    store_event_fn fn, void *arg)
{
	return event_list(s, arena, EVENT_ALL, now, fn, arg);
}

/* Binds ?1..?17 of EVENT_ADD and EVENT_UPDATE from e, ?18 now. */
static void
event_bind(struct stmt *st, const struct event *e)
{
	bind_text(st, 1, e->slug);
	for (int l = 0; l < LANG__MAX; l++) {
		bind_text(st, 2 + l, e->title[l]);
		bind_text(st, 6 + l, e->description[l] ? e->description[l] : "");
	}
	bind_int64(st, 10, e->starts_at);
	bind_int64(st, 11, e->ends_at);
	bind_text(st, 12, e->timezone ? e->timezone : "UTC");
	bind_text(st, 13, e->location);
	bind_text(st, 14, e->online_url);
	bind_opt_int64(st, 15, e->has_capacity, e->capacity);
	bind_int64(st, 16, e->waitlist);
	bind_opt_int64(st, 17, e->has_closes_at, e->registration_closes_at);
	bind_int64(st, 18, now_unix());
}

enum db_err
store_event_add(struct store *s, struct event *e)
{
	struct stmt *st = q(s, EVENT_ADD);

	event_bind(st, e);
	return store_insert(s, st, &e->id, "event add");
}

enum db_err
store_event_update(struct store *s, const struct event *e)
{
	struct stmt *st = q(s, EVENT_UPDATE);

	event_bind(st, e);
	return store_exec_changed(s, st, "event update");
}

enum db_err
store_event_registered_add(struct store *s, int64_t event_id, int delta)
{
	struct stmt *st = q(s, EVENT_REGISTERED_ADD);

	bind_int64(st, 1, event_id);
	bind_int64(st, 2, delta);
	return store_exec(s, st, "event registered");
}

enum db_err
store_event_recount(struct store *s, store_drift_fn fn, void *arg)
{
	struct stmt  *st = q(s, EVENT_RECOUNT_DRIFT);
	enum db_err   e;

	if ((e = store_exec(s, q(s, EVENT_RECOUNT_LOCK), "seat recount")) !=
	    DB_OK)
		return e;
	while (store_next(s, st, &e, "seat recount"))
		fn(col_text_ref(st, 0), col_int64(st, 1), col_int64(st, 2), arg);
	if (e != DB_OK)
		return e;
	return store_exec(s, q(s, EVENT_RECOUNT_FIX), "seat recount");
}

enum db_err
store_event_reminder_due(struct store *s, struct arena *arena, int64_t now,
    struct event *out)
{
	struct stmt *st = q(s, EVENT_REMINDER_DUE);

	bind_int64(st, 1, now);
	return store_one(s, st, arena, event_read, out, "reminder due");
}

enum db_err
store_event_reminded(struct store *s, int64_t id, int64_t now)
{
	struct stmt *st = q(s, EVENT_REMINDED);

	bind_int64(st, 1, id);
	bind_int64(st, 2, now);
	return store_exec(s, st, "event reminded");
}
