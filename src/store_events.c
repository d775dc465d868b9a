/*
 * store_events.c: events and registrations in SQLite (see store.h). The
 * seat count lives in events.registered, changed only in the writer's
 * transactions, so capacity checks never race and never scan.
 */
#include <string.h>

#include "store_impl.h"

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

static void
event_read(struct arena *arena, sqlite3_stmt *st, struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->slug = col_text(arena, st, 1);
	for (int l = 0; l < LANG__MAX; l++) {
		e->title[l] = col_text(arena, st, 2 + l);
		e->description[l] = col_text(arena, st, 6 + l);
	}
	e->starts_at = sqlite3_column_int64(st, 10);
	e->ends_at = sqlite3_column_int64(st, 11);
	e->timezone = col_text(arena, st, 12);
	e->location = col_text(arena, st, 13);
	e->online_url = col_text(arena, st, 14);
	e->has_capacity = sqlite3_column_type(st, 15) != SQLITE_NULL;
	e->capacity = sqlite3_column_int64(st, 15);
	e->waitlist = sqlite3_column_int(st, 16) != 0;
	e->has_closes_at = sqlite3_column_type(st, 17) != SQLITE_NULL;
	e->registration_closes_at = sqlite3_column_int64(st, 17);
	e->registered = sqlite3_column_int64(st, 18);
}

static void
reg_read(struct arena *arena, sqlite3_stmt *st, struct registration *r)
{
	static const char *const statuses[] = { REG_REGISTERED, REG_WAITLISTED,
		REG_CANCELLED };
	const char *status = (const char *)sqlite3_column_text(st, 2);

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->event_id = sqlite3_column_int64(st, 1);
	r->status = REG_CANCELLED;
	for (size_t i = 0; i < 3; i++)
		if (status && strcmp(status, statuses[i]) == 0)
			r->status = statuses[i];
	r->has_waitlist_seq = sqlite3_column_type(st, 3) != SQLITE_NULL;
	r->waitlist_seq = sqlite3_column_int64(st, 3);
	r->name = col_text(arena, st, 4);
	r->email = col_text(arena, st, 5);
	r->email_key = col_text(arena, st, 6);
	r->organisation = col_text(arena, st, 7);
	r->country = col_text(arena, st, 8);
	r->role = col_text(arena, st, 9);
	r->language = col_text(arena, st, 10);
	r->created_at = sqlite3_column_int64(st, 11);
	r->has_checked_in_at = sqlite3_column_type(st, 12) != SQLITE_NULL;
	r->checked_in_at = sqlite3_column_int64(st, 12);
}

/* Steps st (bound by the caller) for one event row into out. */
static enum db_err
event_one(struct store *s, struct arena *arena, sqlite3_stmt *st,
    const char *what, struct event *out)
{
	enum db_err e = store_step_row(s, st, what);

	if (e != DB_OK)
		return e;
	event_read(arena, st, out);
	store_row_done(st);
	return DB_OK;
}

/* The same for one registration row. */
static enum db_err
reg_one(struct store *s, struct arena *arena, sqlite3_stmt *st,
    const char *what, struct registration *out)
{
	enum db_err e = store_step_row(s, st, what);

	if (e != DB_OK)
		return e;
	reg_read(arena, st, out);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_event_get(struct store *s, struct arena *arena, const char *slug,
    struct event *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_GET);

	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	return event_one(s, arena, st, "event get", out);
}

enum db_err
store_event_get_id(struct store *s, struct arena *arena, int64_t id,
    struct event *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_GET_ID);

	sqlite3_bind_int64(st, 1, id);
	return event_one(s, arena, st, "event get", out);
}

enum db_err
store_event_list(struct store *s, struct arena *arena, bool past, int64_t now,
    store_event_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, past ? STMT_EVENT_PAST :
	    STMT_EVENT_UPCOMING);
	struct event  ev;
	int	      rc;

	sqlite3_bind_int64(st, 1, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		event_read(arena, st, &ev);
		if (fn(&ev, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "event list");
	store_row_done(st);
	return DB_OK;
}

static void
event_bind(sqlite3_stmt *st, const struct event *e)
{
	sqlite3_bind_text(st, 1, e->slug, -1, SQLITE_STATIC);
	for (int l = 0; l < LANG__MAX; l++) {
		sqlite3_bind_text(st, 2 + l, e->title[l], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6 + l, e->description[l] ?
		    e->description[l] : "", -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 10, e->starts_at);
	sqlite3_bind_int64(st, 11, e->ends_at);
	sqlite3_bind_text(st, 12, e->timezone ? e->timezone : "UTC", -1,
	    SQLITE_STATIC);
	bind_opt_text(st, 13, e->location);
	bind_opt_text(st, 14, e->online_url);
	bind_opt_int64(st, 15, e->has_capacity, e->capacity);
	sqlite3_bind_int(st, 16, e->waitlist);
	bind_opt_int64(st, 17, e->has_closes_at, e->registration_closes_at);
	sqlite3_bind_int64(st, 18, now_unix());
}

enum db_err
store_event_add(struct store *s, struct event *e)
{
	enum db_err err;

	event_bind(store_stmt(s, STMT_EVENT_ADD), e);
	if ((err = store_exec(s, STMT_EVENT_ADD, "event add")) != DB_OK)
		return err;
	e->id = sqlite3_last_insert_rowid(s->db);
	return DB_OK;
}

enum db_err
store_event_update(struct store *s, const struct event *e)
{
	enum db_err err;

	event_bind(store_stmt(s, STMT_EVENT_UPDATE), e);
	if ((err = store_exec(s, STMT_EVENT_UPDATE, "event update")) != DB_OK)
		return err;
	return sqlite3_changes(s->db) == 0 ? DB_NOTFOUND : DB_OK;
}

enum db_err
store_event_registered_add(struct store *s, int64_t event_id, int delta)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_REGISTERED_ADD);

	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_int(st, 2, delta);
	return store_exec(s, STMT_EVENT_REGISTERED_ADD, "event registered");
}

enum db_err
store_event_reminder_due(struct store *s, struct arena *arena, int64_t now,
    struct event *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_REMINDER_DUE);

	sqlite3_bind_int64(st, 1, now);
	return event_one(s, arena, st, "reminder due", out);
}

enum db_err
store_event_reminded(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EVENT_REMINDED);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return store_exec(s, STMT_EVENT_REMINDED, "event reminded");
}

enum db_err
store_reg_find(struct store *s, struct arena *arena, int64_t event_id,
    const char *email_key, struct registration *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_FIND);

	sqlite3_bind_int64(st, 1, event_id);
	sqlite3_bind_text(st, 2, email_key, -1, SQLITE_STATIC);
	return reg_one(s, arena, st, "registration find", out);
}

enum db_err
store_reg_get(struct store *s, struct arena *arena, int64_t id,
    struct registration *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_GET);

	sqlite3_bind_int64(st, 1, id);
	return reg_one(s, arena, st, "registration get", out);
}

enum db_err
store_reg_insert(struct store *s, struct registration *r)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_INSERT);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, r->event_id);
	sqlite3_bind_text(st, 2, r->status, -1, SQLITE_STATIC);
	bind_opt_int64(st, 3, r->has_waitlist_seq, r->waitlist_seq);
	sqlite3_bind_text(st, 4, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->email_key, -1, SQLITE_STATIC);
	bind_opt_text(st, 7, r->organisation);
	bind_opt_text(st, 8, r->country);
	bind_opt_text(st, 9, r->role);
	sqlite3_bind_text(st, 10, r->language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, r->created_at);
	if ((e = store_exec(s, STMT_REG_INSERT, "registration insert")) != DB_OK)
		return e;
	r->id = sqlite3_last_insert_rowid(s->db);
	return DB_OK;
}

enum db_err
store_reg_set_status(struct store *s, int64_t id, const char *status,
    bool has_seq, int64_t seq)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_SET_STATUS);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	bind_opt_int64(st, 3, has_seq, seq);
	sqlite3_bind_int64(st, 4, now_unix());
	return store_exec(s, STMT_REG_SET_STATUS, "registration status");
}

enum db_err
store_reg_waitlist_first(struct store *s, struct arena *arena,
    int64_t event_id, struct registration *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_WAITLIST_FIRST);

	sqlite3_bind_int64(st, 1, event_id);
	return reg_one(s, arena, st, "waitlist first", out);
}

static enum db_err
scalar(struct store *s, enum stmt id, int64_t a, bool has_b, int64_t b,
    int64_t *out)
{
	sqlite3_stmt *st = store_stmt(s, id);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, a);
	if (has_b)
		sqlite3_bind_int64(st, 2, b);
	if ((e = store_step_row(s, st, "scalar")) != DB_OK)
		return e;
	*out = sqlite3_column_int64(st, 0);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_reg_waitlist_pos(struct store *s, int64_t event_id, int64_t seq,
    int64_t *pos)
{
	return scalar(s, STMT_REG_WAITLIST_POS, event_id, true, seq, pos);
}

enum db_err
store_reg_waitlist_next(struct store *s, int64_t event_id, int64_t *seq)
{
	return scalar(s, STMT_REG_WAITLIST_NEXT, event_id, false, 0, seq);
}

static enum db_err
reg_each(struct store *s, struct arena *arena, enum stmt id,
    store_reg_fn fn, void *arg)
{
	sqlite3_stmt	   *st = store_stmt(s, id);
	struct registration r;
	int		    rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		reg_read(arena, st, &r);
		if (fn(&r, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, "registrations");

		sqlite3_clear_bindings(st);
		return e;
	}
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_reg_search(struct store *s, struct arena *arena, int64_t event_id,
    const char *q, store_reg_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_SEARCH);

	sqlite3_bind_int64(st, 1, event_id);
	if (q != NULL) {
		/* LIKE wildcards in the query match themselves. */
		size_t n = strlen(q);
		char  *esc = arena_alloc(arena, 2 * n + 1), *o = esc;

		for (const char *p = q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o = '\0';
		sqlite3_bind_text(st, 2, esc, -1, SQLITE_STATIC);
	} else
		sqlite3_bind_null(st, 2);
	return reg_each(s, arena, STMT_REG_SEARCH, fn, arg);
}

enum db_err
store_reg_of_event(struct store *s, struct arena *arena, int64_t event_id,
    store_reg_fn fn, void *arg)
{
	sqlite3_bind_int64(store_stmt(s, STMT_REG_OF_EVENT), 1, event_id);
	return reg_each(s, arena, STMT_REG_OF_EVENT, fn, arg);
}

enum db_err
store_reg_checkin(struct store *s, int64_t id, bool has_at, int64_t at)
{
	sqlite3_stmt *st = store_stmt(s, STMT_REG_CHECKIN);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, id);
	bind_opt_int64(st, 2, has_at, at);
	if ((e = store_exec(s, STMT_REG_CHECKIN, "check-in")) != DB_OK)
		return e;
	return sqlite3_changes(s->db) == 0 ? DB_NOTFOUND : DB_OK;
}

enum db_err
store_export_registrations(struct store *s, int64_t event_id,
    store_row_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EXPORT_REGISTRATIONS);

	sqlite3_bind_int64(st, 1, event_id);
	return store_stream_rows(s, st, EXPORT_REG_COLUMNS, fn, arg,
	    "export registrations");
}

enum db_err
store_reg_checked_in(struct store *s, int64_t event_id, int64_t *n)
{
	return scalar(s, STMT_REG_CHECKED_IN, event_id, false, 0, n);
}
