/*
 * store_consultants.c: comments and the consultant roster in SQLite (see
 * store.h): requests waiting for confirmation, the confirmed roster with
 * its FTS5 index (kept in step by triggers, see sql/006), and the lookups
 * and erasure of one person's records for the privacy feature.
 */
#include <string.h>

#include "store_impl.h"

static void
comment_read(struct arena *arena, sqlite3_stmt *st, struct comment *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->topic = col_text(arena, st, 1);
	c->name = col_text(arena, st, 2);
	c->email = col_text(arena, st, 3);
	c->message = col_text(arena, st, 4);
	c->language = col_text(arena, st, 5);
	c->has_consent_at = sqlite3_column_type(st, 6) != SQLITE_NULL;
	c->consent_at = sqlite3_column_int64(st, 6);
	c->created_at = sqlite3_column_int64(st, 7);
	c->has_handled_at = sqlite3_column_type(st, 8) != SQLITE_NULL;
	c->handled_at = sqlite3_column_int64(st, 8);
	c->handled_by = col_text(arena, st, 9);
}

/* Reads CONSULTANT_COLUMNS or CREQ_COLUMNS (the same shape). */
static void
consultant_read(struct arena *arena, sqlite3_stmt *st, struct consultant *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->email = col_text(arena, st, 1);
	c->name = col_text(arena, st, 2);
	c->country = col_text(arena, st, 3);
	c->organisation = col_text(arena, st, 4);
	c->expertise = col_text(arena, st, 5);
	c->languages = col_text(arena, st, 6);
	c->profile_url = col_text(arena, st, 7);
	c->bio = col_text(arena, st, 8);
	c->language = col_text(arena, st, 9);
	c->consent_at = sqlite3_column_int64(st, 10);
	c->created_at = sqlite3_column_int64(st, 11);
	c->has_confirmed_at = sqlite3_column_type(st, 12) != SQLITE_NULL;
	c->confirmed_at = sqlite3_column_int64(st, 12);
	c->updated_at = sqlite3_column_int64(st, 13);
}

/* The callback of a listing: one of the two is set. */
struct each {
	store_comment_fn    comment;
	store_consultant_fn consultant;
	void		   *arg;
};

/*
 * Steps statement id (bound by the caller) to its end, reading each row as
 * a comment or a consultant and calling x's callback until it returns
 * non-zero.
 */
static enum db_err
rows_each(struct store *s, struct arena *arena, enum stmt id,
    const struct each *x, const char *what)
{
	sqlite3_stmt	 *st = store_stmt(s, id);
	struct comment	  c;
	struct consultant k;
	int		  rc, stop;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (x->comment != NULL) {
			comment_read(arena, st, &c);
			stop = x->comment(&c, x->arg);
		} else {
			consultant_read(arena, st, &k);
			stop = x->consultant(&k, x->arg);
		}
		if (stop != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, what);

		sqlite3_clear_bindings(st);
		return e;
	}
	store_row_done(st);
	return DB_OK;
}

/* A listing page: binds before_id and limit after the statement's nfilters
 * filter parameters, then reads its rows (see rows_each). */
static enum db_err
page_each(struct store *s, struct arena *arena, enum stmt id, int nfilters,
    int64_t before_id, int limit, const struct each *x, const char *what)
{
	sqlite3_bind_int64(store_stmt(s, id), nfilters + 1, before_id);
	sqlite3_bind_int(store_stmt(s, id), nfilters + 2, limit);
	return rows_each(s, arena, id, x, what);
}

/* Streams n text columns of statement id (bound by the caller) to fn. */
static enum db_err
rows_text(struct store *s, enum stmt id, int n, store_row_fn fn, void *arg,
    const char *what)
{
	sqlite3_stmt *st = store_stmt(s, id);
	const char   *cols[16];
	int	      rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		if (fn(cols, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, what);

		sqlite3_clear_bindings(st);
		return e;
	}
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_comment_insert(struct store *s, struct comment *c)
{
	sqlite3_stmt *st = store_stmt(s, STMT_COMMENT_INSERT);
	enum db_err   e;

	sqlite3_bind_text(st, 1, c->topic, -1, SQLITE_STATIC);
	bind_opt_text(st, 2, c->name);
	bind_opt_text(st, 3, c->email);
	sqlite3_bind_text(st, 4, c->message, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->language, -1, SQLITE_STATIC);
	bind_opt_int64(st, 6, c->has_consent_at, c->consent_at);
	sqlite3_bind_int64(st, 7, c->created_at);
	if ((e = store_exec(s, STMT_COMMENT_INSERT, "comment insert")) != DB_OK)
		return e;
	c->id = sqlite3_last_insert_rowid(s->db);
	return DB_OK;
}

static void
comment_filter_bind(sqlite3_stmt *st, const struct comment_query *q)
{
	bind_opt_text(st, 1, q->topic);
	bind_opt_text(st, 2, q->status);
}

enum db_err
store_comments(struct store *s, struct arena *arena,
    const struct comment_query *q, store_comment_fn fn, void *arg)
{
	struct each x = { fn, NULL, arg };

	comment_filter_bind(store_stmt(s, STMT_COMMENT_LIST), q);
	return page_each(s, arena, STMT_COMMENT_LIST, 2, q->before_id, q->limit,
	    &x, "comments");
}

enum db_err
store_comment_set_handled(struct store *s, int64_t id, bool handled,
    int64_t at, const char *by)
{
	sqlite3_stmt *st = store_stmt(s, STMT_COMMENT_HANDLED);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, id);
	bind_opt_int64(st, 2, handled, at);
	bind_opt_text(st, 3, handled ? by : NULL);
	if ((e = store_exec(s, STMT_COMMENT_HANDLED, "comment handled")) != DB_OK)
		return e;
	return sqlite3_changes(s->db) == 0 ? DB_NOTFOUND : DB_OK;
}

enum db_err
store_export_comments(struct store *s, const struct comment_query *q,
    store_row_fn fn, void *arg)
{
	comment_filter_bind(store_stmt(s, STMT_COMMENT_EXPORT), q);
	return rows_text(s, STMT_COMMENT_EXPORT, EXPORT_COMMENT_COLUMNS, fn, arg,
	    "export comments");
}

enum db_err
store_comments_of_email(struct store *s, struct arena *arena,
    const char *email, store_comment_fn fn, void *arg)
{
	struct each x = { fn, NULL, arg };

	sqlite3_bind_text(store_stmt(s, STMT_COMMENT_OF_EMAIL), 1, email, -1,
	    SQLITE_STATIC);
	return rows_each(s, arena, STMT_COMMENT_OF_EMAIL, &x,
	    "comments of address");
}

enum db_err
store_consultant_request_put(struct store *s, struct consultant *c)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CREQ_PUT);
	enum db_err   e;

	sqlite3_bind_text(st, 1, c->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->name, -1, SQLITE_STATIC);
	bind_opt_text(st, 3, c->country);
	bind_opt_text(st, 4, c->organisation);
	sqlite3_bind_text(st, 5, c->expertise, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->languages, -1, SQLITE_STATIC);
	bind_opt_text(st, 7, c->profile_url);
	sqlite3_bind_text(st, 8, c->bio, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, c->language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, c->consent_at);
	sqlite3_bind_int64(st, 11, c->created_at);
	if ((e = store_exec(s, STMT_CREQ_PUT, "consultant request")) != DB_OK)
		return e;
	c->id = sqlite3_last_insert_rowid(s->db);
	return DB_OK;
}

enum db_err
store_consultant_request_get(struct store *s, struct arena *arena, int64_t id,
    struct consultant *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CREQ_GET);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, id);
	if ((e = store_step_row(s, st, "consultant request get")) != DB_OK)
		return e;
	consultant_read(arena, st, out);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_consultant_confirm(struct store *s, int64_t request_id, int64_t now)
{
	enum db_err e;

	sqlite3_bind_int64(store_stmt(s, STMT_CONSULTANT_UPSERT), 1, request_id);
	sqlite3_bind_int64(store_stmt(s, STMT_CONSULTANT_UPSERT), 2, now);
	if ((e = store_exec(s, STMT_CONSULTANT_UPSERT, "consultant confirm")) !=
	    DB_OK)
		return e;
	sqlite3_bind_int64(store_stmt(s, STMT_CREQ_CONFIRMED), 1, request_id);
	sqlite3_bind_int64(store_stmt(s, STMT_CREQ_CONFIRMED), 2, now);
	return store_exec(s, STMT_CREQ_CONFIRMED, "consultant request confirmed");
}

static void
consultant_filter_bind(sqlite3_stmt *st, const struct consultant_query *q)
{
	bind_opt_text(st, 1, q->expertise);
	bind_opt_text(st, 2, q->country);
	bind_opt_text(st, 3, q->match);
}

enum db_err
store_consultants(struct store *s, struct arena *arena,
    const struct consultant_query *q, store_consultant_fn fn, void *arg)
{
	struct each x = { NULL, fn, arg };

	consultant_filter_bind(store_stmt(s, STMT_CONSULTANT_LIST), q);
	return page_each(s, arena, STMT_CONSULTANT_LIST, 3, q->before_id,
	    q->limit, &x, "consultants");
}

enum db_err
store_export_consultants(struct store *s, const struct consultant_query *q,
    store_row_fn fn, void *arg)
{
	consultant_filter_bind(store_stmt(s, STMT_CONSULTANT_EXPORT), q);
	return rows_text(s, STMT_CONSULTANT_EXPORT, EXPORT_CONSULTANT_COLUMNS,
	    fn, arg, "export consultants");
}

enum db_err
store_consultants_of_email(struct store *s, struct arena *arena,
    const char *email, store_consultant_record_fn fn, void *arg)
{
	static const enum stmt ids[2] = { STMT_CONSULTANT_OF_EMAIL,
		STMT_CREQ_OF_EMAIL };
	struct consultant      c;
	enum db_err	       e;

	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = store_stmt(s, ids[i]);

		sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
		e = store_step_row(s, st, "consultant of address");
		if (e == DB_NOTFOUND)
			continue;
		if (e != DB_OK)
			return e;
		consultant_read(arena, st, &c);
		store_row_done(st);
		fn(&c, i == 1, arg);
	}
	return DB_OK;
}

enum db_err
store_contact_known(struct store *s, const char *email, bool *known)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PERSON_KNOWN);
	enum db_err   e;

	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	if ((e = store_step_row(s, st, "person known")) != DB_OK)
		return e;
	*known = sqlite3_column_int(st, 0) != 0;
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_contact_erase(struct store *s, const char *email, int64_t *rows)
{
	static const enum stmt ids[3] = { STMT_COMMENT_ERASE,
		STMT_CONSULTANT_ERASE, STMT_CREQ_ERASE };
	enum db_err e;
	bool	    roster = false;

	*rows = 0;
	for (int i = 0; i < 3; i++) {
		sqlite3_bind_text(store_stmt(s, ids[i]), 1, email, -1, SQLITE_STATIC);
		if ((e = store_exec(s, ids[i], "erase")) != DB_OK)
			return e;
		*rows += sqlite3_changes(s->db);
		if (ids[i] == STMT_CONSULTANT_ERASE && sqlite3_changes(s->db) > 0)
			roster = true;
	}
	/* The trigger removed the row from the index, but FTS5 keeps the
	 * old entries until its segments are merged: merge them all now. */
	if (roster)
		return store_exec(s, STMT_CONSULTANT_FTS_OPTIMIZE, "fts optimize");
	return DB_OK;
}

enum db_err
store_consultant_requests_purge(struct store *s, int64_t t, int64_t *rows)
{
	enum db_err e;

	sqlite3_bind_int64(store_stmt(s, STMT_CREQ_PURGE), 1, t);
	e = store_exec(s, STMT_CREQ_PURGE, "consultant requests purge");
	*rows = e == DB_OK ? sqlite3_changes(s->db) : 0;
	return e;
}
