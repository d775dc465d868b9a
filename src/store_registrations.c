/*
 * store_registrations.c: registrations to events (see
 * store_registrations.h): seats and the waitlist (ordered by waitlist_seq),
 * the door list and check-in, and the CSV export. Seats and waitlist
 * places are counted and numbered under the event's row
 * (store_event_lock) by the writer's callers.
 */
#include <string.h>

#include "store_impl.h"
#include "store_registrations.h"

#define REG_COLUMNS \
	"id, event_id, status, waitlist_seq, name, email, email_key, " \
	"organisation, country, role, language, created_at, checked_in_at "

#define REG_INSERT_SQL \
	"INSERT INTO registrations (event_id, status, waitlist_seq, name, " \
	"email, email_key, organisation, country, role, language, " \
	"consent_at, created_at) " \
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)"
/* like: the operator, cast: the cast that names ?2's type (PostgreSQL). */
#define REG_SEARCH_SQL(like, cast) \
	"SELECT " REG_COLUMNS "FROM registrations " \
	"WHERE event_id = ?1 AND status != 'cancelled' AND (?2" cast \
	" IS NULL OR name " like " '%' || ?2 || '%' ESCAPE '\\') " \
	"ORDER BY name, id LIMIT 500"

enum reg_stmt {
	REG_FIND,
	REG_INSERT,
	REG_GET,
	REG_SET_STATUS,
	REG_WAITLIST_FIRST,
	REG_WAITLIST_POS,
	REG_WAITLIST_NEXT,
	REG_SEARCH,
	REG_CHECKIN,
	REG_OF_EVENT,
	REG_CHECKED_IN,
	REG_EXPORT,
	REG__MAX
};

static const char *const sql[REG__MAX] = {
	[REG_FIND] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ? AND email_key = ?",
	[REG_INSERT] = REG_INSERT_SQL,
	[REG_GET] = "SELECT " REG_COLUMNS "FROM registrations WHERE id = ?",
	[REG_SET_STATUS] = "UPDATE registrations SET status = ?2, "
	    "waitlist_seq = ?3, cancelled_at = CASE WHEN ?2 = 'cancelled' "
	    "THEN ?4 ELSE cancelled_at END WHERE id = ?1",
	[REG_WAITLIST_FIRST] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ? AND status = 'waitlisted' "
	    "ORDER BY waitlist_seq LIMIT 1",
	[REG_WAITLIST_POS] = "SELECT count(*) FROM registrations "
	    "WHERE event_id = ? AND status = 'waitlisted' AND waitlist_seq <= ?",
	[REG_WAITLIST_NEXT] = "SELECT coalesce(max(waitlist_seq), 0) + 1 "
	    "FROM registrations WHERE event_id = ?",
	[REG_SEARCH] = REG_SEARCH_SQL("LIKE", ""),
	[REG_CHECKIN] = "UPDATE registrations SET checked_in_at = ?2 "
	    "WHERE id = ?1 AND status = 'registered'",
	[REG_OF_EVENT] = "SELECT " REG_COLUMNS "FROM registrations "
	    "WHERE event_id = ? AND status = 'registered' ORDER BY id",
	[REG_CHECKED_IN] = "SELECT count(*) FROM registrations "
	    "WHERE event_id = ? AND status = 'registered' "
	    "AND checked_in_at IS NOT NULL",
	[REG_EXPORT] = "SELECT id, created_at, status, "
	    "(SELECT count(*) FROM registrations w WHERE w.event_id = "
	    "r.event_id AND w.status = 'waitlisted' AND w.waitlist_seq <= "
	    "r.waitlist_seq AND r.status = 'waitlisted'), name, email, "
	    "organisation, country, role, language, checked_in_at "
	    "FROM registrations r WHERE event_id = ? ORDER BY id",
};

/*
 * PostgreSQL: a repeat that another node inserted first inserts nothing
 * (DB_RETRY: the next run finds it); the name search folds case as
 * SQLite's LIKE does (ILIKE).
 */
static const char *const sql_pg[REG__MAX] = {
	/* registrations_event (event_id, ...) ties with the UNIQUE index. */
	[REG_FIND] = PG_PLAN_PER_RUN "SELECT " REG_COLUMNS "FROM "
	    "registrations WHERE event_id = ? AND email_key = ?",
	[REG_INSERT] = REG_INSERT_SQL " ON CONFLICT (event_id, email_key) "
	    "DO NOTHING RETURNING id",
	[REG_SEARCH] = REG_SEARCH_SQL("ILIKE", "::text"),
};

const struct stmt_set store_registrations_set = { "registrations", sql,
	sql_pg, REG__MAX };

static struct stmt *
q(struct store *s, enum reg_stmt id)
{
	return store_stmt(s, SET_REGISTRATIONS, id);
}

/* Reads one row of REG_COLUMNS. */
static void
reg_read(struct arena *arena, struct stmt *st, void *row)
{
	struct registration *r = row;

	static const char *const statuses[] = { REG_REGISTERED, REG_WAITLISTED,
		REG_CANCELLED };
	const char *status = col_text_ref(st, 2);

	memset(r, 0, sizeof(*r));
	r->id = col_int64(st, 0);
	r->event_id = col_int64(st, 1);
	r->status = REG_CANCELLED;
	for (size_t i = 0; i < 3; i++)
		if (status && strcmp(status, statuses[i]) == 0)
			r->status = statuses[i];
	r->has_waitlist_seq = !col_null(st, 3);
	r->waitlist_seq = col_int64(st, 3);
	r->name = col_text(arena, st, 4);
	r->email = col_text(arena, st, 5);
	r->email_key = col_text(arena, st, 6);
	r->organisation = col_text(arena, st, 7);
	r->country = col_text(arena, st, 8);
	r->role = col_text(arena, st, 9);
	r->language = col_text(arena, st, 10);
	r->created_at = col_int64(st, 11);
	r->has_checked_in_at = !col_null(st, 12);
	r->checked_in_at = col_int64(st, 12);
}

/* Calls fn for each registration row of st (bound by the caller). */
static enum db_err
reg_each(struct store *s, struct arena *arena, struct stmt *st,
    store_reg_fn fn, void *arg)
{
	struct registration r;
	enum db_err	    e = DB_OK;

	while (store_next(s, st, &e, "registrations")) {
		reg_read(arena, st, &r);
		if (fn(&r, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_reg_find(struct store *s, struct arena *arena, int64_t event_id,
    const char *email_key, struct registration *out)
{
	struct stmt *st = q(s, REG_FIND);

	bind_int64(st, 1, event_id);
	bind_text(st, 2, email_key);
	return store_one(s, st, arena, reg_read, out, "registration find");
}

enum db_err
store_reg_get(struct store *s, struct arena *arena, int64_t id,
    struct registration *out)
{
	struct stmt *st = q(s, REG_GET);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, reg_read, out, "registration get");
}

enum db_err
store_reg_insert(struct store *s, struct registration *r)
{
	struct stmt *st = q(s, REG_INSERT);

	bind_int64(st, 1, r->event_id);
	bind_text(st, 2, r->status);
	bind_opt_int64(st, 3, r->has_waitlist_seq, r->waitlist_seq);
	bind_text(st, 4, r->name);
	bind_text(st, 5, r->email);
	bind_text(st, 6, r->email_key);
	bind_text(st, 7, r->organisation);
	bind_text(st, 8, r->country);
	bind_text(st, 9, r->role);
	bind_text(st, 10, r->language);
	bind_int64(st, 11, r->created_at);
	return store_insert(s, st, &r->id, "registration insert");
}

enum db_err
store_reg_set_status(struct store *s, int64_t id, const char *status,
    bool has_seq, int64_t seq)
{
	struct stmt *st = q(s, REG_SET_STATUS);

	bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_opt_int64(st, 3, has_seq, seq);
	bind_int64(st, 4, now_unix());
	return store_exec(s, st, "registration status");
}

enum db_err
store_reg_waitlist_first(struct store *s, struct arena *arena,
    int64_t event_id, struct registration *out)
{
	struct stmt *st = q(s, REG_WAITLIST_FIRST);

	bind_int64(st, 1, event_id);
	return store_one(s, st, arena, reg_read, out, "waitlist first");
}

enum db_err
store_reg_waitlist_pos(struct store *s, int64_t event_id, int64_t seq,
    int64_t *pos)
{
	struct stmt *st = q(s, REG_WAITLIST_POS);

	bind_int64(st, 1, event_id);
	bind_int64(st, 2, seq);
	return store_int64(s, st, pos, "waitlist position");
}

enum db_err
store_reg_waitlist_next(struct store *s, int64_t event_id, int64_t *seq)
{
	struct stmt *st = q(s, REG_WAITLIST_NEXT);

	bind_int64(st, 1, event_id);
	return store_int64(s, st, seq, "waitlist next");
}

enum db_err
store_reg_checked_in(struct store *s, int64_t event_id, int64_t *n)
{
	struct stmt *st = q(s, REG_CHECKED_IN);

	bind_int64(st, 1, event_id);
	return store_int64(s, st, n, "checked in");
}

enum db_err
store_reg_search(struct store *s, struct arena *arena, int64_t event_id,
    const char *text, store_reg_fn fn, void *arg)
{
	struct stmt  *st = q(s, REG_SEARCH);
	char	     *esc = NULL;

	if (text != NULL) {
		/* LIKE wildcards in the query match themselves. */
		char *o = esc = arena_alloc(arena, 2 * strlen(text) + 1);

		for (const char *p = text; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				*o++ = '\\';
			*o++ = *p;
		}
		*o = '\0';
	}
	bind_int64(st, 1, event_id);
	bind_text(st, 2, esc);
	return reg_each(s, arena, st, fn, arg);
}

enum db_err
store_reg_of_event(struct store *s, struct arena *arena, int64_t event_id,
    store_reg_fn fn, void *arg)
{
	struct stmt *st = q(s, REG_OF_EVENT);

	bind_int64(st, 1, event_id);
	return reg_each(s, arena, st, fn, arg);
}

enum db_err
store_reg_checkin(struct store *s, int64_t id, bool has_at, int64_t at)
{
	struct stmt *st = q(s, REG_CHECKIN);

	bind_int64(st, 1, id);
	bind_opt_int64(st, 2, has_at, at);
	return store_exec_changed(s, st, "check-in");
}

enum db_err
store_export_registrations(struct store *s, int64_t event_id,
    store_row_fn fn, void *arg)
{
	struct stmt *st = q(s, REG_EXPORT);

	bind_int64(st, 1, event_id);
	return store_stream_rows(s, st, EXPORT_REG_COLUMNS, fn, arg,
	    "export registrations");
}
