/*
 * store_stmt.c: the statement machinery every store_<table>.c uses (see
 * store_impl.h), whatever the engine: the registry of statement sets,
 * prepare on first use (or all at once, see store_open), the step
 * helpers, which always reset and clear, and the accessors of parameters
 * and columns, which pass each call to the statement's driver
 * (store_driver.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_driver.h"

static const struct stmt_set *const sets[SET__MAX] = {
	[SET_CORE] = &store_core_set,
	[SET_CAMPAIGNS] = &store_campaigns_set,
	[SET_PLEDGES] = &store_pledges_set,
	[SET_TOKENS] = &store_tokens_set,
	[SET_OUTBOX] = &store_outbox_set,
	[SET_STAFF] = &store_staff_set,
	[SET_EVENTS] = &store_events_set,
	[SET_REGISTRATIONS] = &store_registrations_set,
	[SET_NEWSLETTER] = &store_newsletter_set,
	[SET_CONSENTS] = &store_consents_set,
	[SET_PRIVACY] = &store_privacy_set,
	[SET_COMMENTS] = &store_comments_set,
	[SET_CONSULTANTS] = &store_consultants_set,
	[SET_EVENT_DETAILS] = &store_event_details_set,
	[SET_DEMO] = &store_demo_set,
	[SET_NODES] = &store_nodes_set,
};

/* Whether sql (may be NULL) updates, inserts into or deletes from a table
 * whose name starts with table. */
static bool
text_writes(const char *sql, const char *table)
{
	static const char *const verbs[] = { "UPDATE ", "INSERT INTO ",
		"DELETE FROM " };
	char pat[64];

	for (size_t i = 0; sql != NULL && i < sizeof(verbs) /
	    sizeof(verbs[0]); i++) {
		snprintf(pat, sizeof(pat), "%s%s", verbs[i], table);
		if (strstr(sql, pat) != NULL)
			return true;
	}
	return false;
}

/*
 * Whether a statement's text writes a campaign or its counter: the
 * campaign cache (campcache.h) holds those two tables, and is dropped
 * after a commit only when one was written (store_campaigns_written).
 * Found from the text, so that no statement added later can forget it.
 */
static bool
text_writes_campaigns(const char *sql)
{
	return text_writes(sql, "campaign");
}

/*
 * Whether a statement's text writes an event, for the event cache
 * (eventcache.h, store_events_written), found the same way; not the
 * agenda or speakers (event_agenda, event_speakers), which a registration
 * does not read. Every write of the events table counts but one: the seat
 * count's (store_event_registered_add), which every registration makes.
 * The cache's seat count is never relied on (the writer decides a
 * registration on the event's row it locks), so it need not drop the
 * cache; were it to, every registration would empty it.
 */
static bool
text_writes_events(const char *sql)
{
	return text_writes(sql, "events ") && (sql == NULL ||
	    strstr(sql, "UPDATE events SET registered = registered ") == NULL);
}

/* Notes what st writes (st->campaigns, st->events) from either text of
 * statement id of set. */
static void
stmt_writes(struct stmt *st, const struct stmt_set *set, int id)
{
	const char *pg = set->sql_pg != NULL ? set->sql_pg[id] : NULL;

	st->campaigns = text_writes_campaigns(set->sql[id]) ||
	    text_writes_campaigns(pg);
	st->events = text_writes_events(set->sql[id]) ||
	    text_writes_events(pg);
}

/* Prepares statement id of set t on s; NULL (why in why) when it fails. */
static struct stmt *
stmt_prepare(struct store *s, int t, int id, char *why, size_t whylen)
{
	const struct stmt_set *set = sets[t];
	struct stmt	      *st = s->drv->prepare(s, set, id, why, whylen);

	if (st != NULL)
		stmt_writes(st, set, id);
	return st;
}

void
store_stmts_new(struct store *s)
{
	for (int t = 0; t < SET__MAX; t++)
		if ((s->stmt[t] = calloc((size_t)sets[t]->n,
		    sizeof(struct stmt *))) == NULL)
			log_fatal("out of memory");
}

int
store_stmts_prepare(struct store *s, const char *label, char *err,
    size_t errlen)
{
	for (int t = 0; t < SET__MAX; t++)
		for (int i = 0; i < sets[t]->n; i++) {
			char why[256];

			if (s->stmt[t][i] == NULL && (s->stmt[t][i] =
			    stmt_prepare(s, t, i, why, sizeof(why))) == NULL) {
				snprintf(err, errlen, "%s: preparing statement "
				    "%d of %s: %s", label, i, sets[t]->name,
				    why);
				return -1;
			}
		}
	return 0;
}

void
store_stmts_free(struct store *s)
{
	for (int t = 0; t < SET__MAX; t++) {
		for (int i = 0; s->stmt[t] != NULL && i < sets[t]->n; i++)
			if (s->stmt[t][i] != NULL)
				s->drv->finalize(s->stmt[t][i]);
		free(s->stmt[t]);
		s->stmt[t] = NULL;
	}
}

struct stmt *
store_stmt(struct store *s, enum store_set set, int id)
{
	char why[256];

	if (s->stmt[set][id] == NULL && (s->stmt[set][id] = stmt_prepare(s,
	    set, id, why, sizeof(why))) == NULL)
		log_fatal("preparing statement %d of %s: %s", id,
		    sets[set]->name, why);
	return s->stmt[set][id];
}

/* ---- the step helpers ---- */

/* Every step goes through here: notes a write of the cached tables. */
static enum db_err
step(struct store *s, struct stmt *st, bool *row, const char *what)
{
	if (st->campaigns)
		s->campaigns_written = true;
	if (st->events)
		s->events_written = true;
	return s->drv->step(s, st, row, what);
}

bool
store_campaigns_written(struct store *s)
{
	bool written = s->campaigns_written;

	s->campaigns_written = false;
	return written;
}

bool
store_events_written(struct store *s)
{
	bool written = s->events_written;

	s->events_written = false;
	return written;
}

void
store_row_done(struct stmt *st)
{
	st->drv->reset(st);
}

enum db_err
store_exec(struct store *s, struct stmt *st, const char *what)
{
	bool	    row;
	enum db_err e = step(s, st, &row, what);

	if (e == DB_OK)
		store_row_done(st);
	return e;
}

int64_t
store_changes(struct store *s)
{
	return s->drv->changes(s);
}

enum db_err
store_exec_changed(struct store *s, struct stmt *st, const char *what)
{
	enum db_err e = store_exec(s, st, what);

	if (e == DB_OK && store_changes(s) == 0)
		return DB_NOTFOUND;
	return e;
}

/* Steps an INSERT: *id is the new row's id (column 0 of a RETURNING
 * row, or the engine's last inserted id), 0 when it inserted nothing. */
static enum db_err
insert_step(struct store *s, struct stmt *st, int64_t *id, const char *what)
{
	bool	    row;
	enum db_err e = step(s, st, &row, what);

	if (e != DB_OK)
		return e;
	if (row)
		*id = col_int64(st, 0);
	else	/* counted when the statement finished, before the reset */
		*id = store_changes(s) > 0 ? s->drv->last_insert_id(s) : 0;
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_insert(struct store *s, struct stmt *st, int64_t *id, const char *what)
{
	enum db_err e = insert_step(s, st, id, what);

	/* Nothing inserted: an INSERT ... ON CONFLICT DO NOTHING RETURNING id
	 * that lost a race to another connection (PostgreSQL). */
	if (e == DB_OK && *id <= 0)
		return DB_RETRY;
	return e;
}

enum db_err
store_insert_new(struct store *s, struct stmt *st, int64_t *id,
    const char *what)
{
	enum db_err e = insert_step(s, st, id, what);

	if (e == DB_OK && *id <= 0)
		return DB_NOTFOUND;
	return e;
}

enum db_err
store_step_row(struct store *s, struct stmt *st, const char *what)
{
	bool	    row;
	enum db_err e = step(s, st, &row, what);

	if (e != DB_OK)
		return e;
	if (!row) {
		store_row_done(st);
		return DB_NOTFOUND;
	}
	return DB_OK;
}

enum db_err
store_one(struct store *s, struct stmt *st, struct arena *arena,
    store_read_fn read, void *out, const char *what)
{
	enum db_err e = store_step_row(s, st, what);

	if (e != DB_OK)
		return e;
	read(arena, st, out);
	store_row_done(st);
	return DB_OK;
}

bool
store_next(struct store *s, struct stmt *st, enum db_err *e,
    const char *what)
{
	bool	    row;
	enum db_err se = step(s, st, &row, what);

	if (se != DB_OK) {
		*e = se;
		return false;
	}
	if (!row)
		store_row_done(st);
	return row;
}

enum db_err
store_int64(struct store *s, struct stmt *st, int64_t *out, const char *what)
{
	enum db_err e = store_step_row(s, st, what);

	if (e != DB_OK)
		return e;
	*out = col_int64(st, 0);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_bool(struct store *s, struct stmt *st, bool *out, const char *what)
{
	int64_t	    n = 0;
	enum db_err e = store_int64(s, st, &n, what);

	*out = n != 0;
	return e;
}

enum db_err
store_stream_rows(struct store *s, struct stmt *st, int ncols,
    store_row_fn fn, void *arg, const char *what)
{
	struct store_row row = { st, ncols };
	enum db_err	 e = DB_OK;

	s->drv->stream(st);
	while (store_next(s, st, &e, what)) {
		if (fn(&row, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

const char *
store_row_text(const struct store_row *row, int col)
{
	return col < row->ncols ? col_text_ref(row->st, col) : NULL;
}

bool
store_row_int64(const struct store_row *row, int col, int64_t *v)
{
	const char *t;

	if (col >= row->ncols)
		return false;
	switch (col_type(row->st, col)) {
	case COL_NULL:
		return false;
	case COL_INT:
		*v = col_int64(row->st, col);
		return true;
	default:
		t = col_text_ref(row->st, col);
		*v = t != NULL ? strtoll(t, NULL, 10) : 0;
		return t != NULL;
	}
}

char *
store_search_query(struct store *s, const char *words)
{
	return words != NULL ? s->drv->search_query(words) : NULL;
}

/* ---- parameters and columns: the driver's ---- */

void
bind_int64(struct stmt *st, int i, int64_t v)
{
	st->drv->bind_int64(st, i, v);
}

void
bind_text(struct stmt *st, int i, const char *v)
{
	if (v != NULL)
		st->drv->bind_text(st, i, v);
	else
		st->drv->bind_null(st, i);
}

void
bind_blob(struct stmt *st, int i, const void *v, size_t len)
{
	if (v != NULL)
		st->drv->bind_blob(st, i, v, len);
	else
		st->drv->bind_null(st, i);
}

void
bind_null(struct stmt *st, int i)
{
	st->drv->bind_null(st, i);
}

void
bind_opt_int64(struct stmt *st, int i, bool has, int64_t v)
{
	if (has)
		st->drv->bind_int64(st, i, v);
	else
		st->drv->bind_null(st, i);
}

int
bind_index(struct stmt *st, const char *name)
{
	return st->drv->bind_index(st, name);
}

int64_t
col_int64(struct stmt *st, int col)
{
	return st->drv->col_int64(st, col);
}

int
col_int(struct stmt *st, int col)
{
	return (int)st->drv->col_int64(st, col);
}

enum col_type
col_type(struct stmt *st, int col)
{
	return st->drv->col_type(st, col);
}

bool
col_null(struct stmt *st, int col)
{
	return st->drv->col_type(st, col) == COL_NULL;
}

const char *
col_text_len(struct stmt *st, int col, size_t *len)
{
	return st->drv->col_text(st, col, len);
}

const char *
col_text_ref(struct stmt *st, int col)
{
	return st->drv->col_text(st, col, NULL);
}

const char *
col_text(struct arena *arena, struct stmt *st, int col)
{
	size_t	    len;
	const char *t = st->drv->col_text(st, col, &len);

	return t != NULL ? arena_strndup(arena, t, len) : NULL;
}

const void *
col_blob_ref(struct stmt *st, int col, size_t *len)
{
	return st->drv->col_blob(st, col, len);
}

int
col_count(struct stmt *st)
{
	return st->drv->col_count(st);
}

const char *
col_name(struct stmt *st, int col)
{
	return st->drv->col_name(st, col);
}
