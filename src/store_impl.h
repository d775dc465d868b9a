/*
 * store_impl.h: what the storage files share and nobody else sees: the
 * registry of statement sets, the neutral statement (struct stmt, opaque
 * here), the step helpers through which every statement is stepped, and
 * the accessors of parameters and columns. Each store_<table>.c owns its
 * statements (an enum ending in __MAX and the SQL beside the code that
 * reads its columns) and calls no engine directly; store_stmt.c prepares
 * the statements through the connection's driver (store_driver.h).
 */
#ifndef ICOMMIT_STORE_IMPL_H
#define ICOMMIT_STORE_IMPL_H

#include <stddef.h>

#include "store.h"

/*
 * One file's statements: sql[id] for each id of the file's enum, in
 * SQLite's dialect, which is also the text of any other engine unless
 * that engine has its own: sql_pg[id] for PostgreSQL, where sql_pg NULL,
 * or NULL at an id, means the shared text. Parameters are numbered from 1
 * (?, ?N) or named (:name, see bind_index), in either text: PostgreSQL's
 * driver numbers them as SQLite does and writes them $N (so a
 * PostgreSQL text has no ? operator of its own). An INSERT whose new id
 * is wanted (store_insert) may end in RETURNING id; a PostgreSQL text
 * must, and may add ON CONFLICT ... DO NOTHING (see store_insert,
 * store_insert_new).
 */
/*
 * A PostgreSQL text that starts with PG_PLAN_PER_RUN is planned at each
 * run with its values (the unnamed statement) instead of once: for a
 * lookup on a UNIQUE (a, b) index beside another index that starts with
 * a, whose generic plan, made while the table is new and small (costs
 * tie), scans every row of a through the other index until autovacuum's
 * ANALYZE (a minute later, or never for a short burst).
 */
#define PG_PLAN_PER_RUN "/* planned per run */ "

struct stmt_set {
	const char	   *name;	/* for the log: "pledges" */
	const char *const  *sql;
	const char *const  *sql_pg;
	int		    n;
};

/* Every statement set, one per store_<table>.c (and store.c's own), in
 * the registry of store_stmt.c. */
enum store_set {
	SET_CORE,		/* store.c */
	SET_CAMPAIGNS,		/* store_campaigns.c */
	SET_PLEDGES,		/* store_pledges.c */
	SET_TOKENS,		/* store_tokens.c */
	SET_OUTBOX,		/* store_outbox.c */
	SET_STAFF,		/* store_staff.c */
	SET_EVENTS,		/* store_events.c */
	SET_REGISTRATIONS,	/* store_registrations.c */
	SET_NEWSLETTER,		/* store_newsletter.c */
	SET_CONSENTS,		/* store_consents.c */
	SET_PRIVACY,		/* store_privacy.c */
	SET_COMMENTS,		/* store_comments.c */
	SET_CONSULTANTS,	/* store_consultants.c */
	SET_EVENT_DETAILS,	/* store_event_details.c */
	SET_DEMO,		/* store_demo.c */
	SET_NODES,		/* store_nodes.c */
	SET__MAX
};

extern const struct stmt_set store_core_set, store_campaigns_set, store_pledges_set,
    store_tokens_set, store_outbox_set, store_staff_set, store_events_set,
    store_registrations_set, store_newsletter_set, store_consents_set,
    store_privacy_set, store_comments_set, store_consultants_set,
    store_event_details_set, store_demo_set, store_nodes_set;

/* A prepared statement of one connection, whatever its engine. */
struct stmt;

/* The row of a store_stream_rows run: its statement, on the row. */
struct store_row {
	struct stmt *st;
	int	     ncols;
};

/*
 * Statement id of set, prepared at its first use (store_open says when);
 * never NULL: a statement that cannot be prepared is fatal (the schema is
 * the one the statements were written for, checked at start).
 */
struct stmt *store_stmt(struct store *s, enum store_set set, int id);

/*
 * The helpers. Each resets the statement and clears its bindings when it
 * is done with it, and logs and maps an unexpected engine failure to an
 * enum db_err; what names the operation in the log.
 */
/* Steps a statement that returns no row (or whose row is not wanted). */
enum db_err store_exec(struct store *s, struct stmt *st, const char *what);
/* store_exec, then DB_NOTFOUND when no row changed. */
enum db_err store_exec_changed(struct store *s, struct stmt *st,
	    const char *what);
/* store_exec of an INSERT; *id is the new row's id (column 0 of the row
 * it returns, with RETURNING id; else the engine's last inserted id).
 * DB_RETRY when it inserted nothing: ON CONFLICT DO NOTHING met a row
 * that another connection inserted meanwhile (PostgreSQL, several
 * nodes); the transaction, run again, finds that row. */
enum db_err store_insert(struct store *s, struct stmt *st, int64_t *id,
	    const char *what);
/* store_exec of an INSERT ... ON CONFLICT DO NOTHING: DB_OK with *id the
 * new row's id (RETURNING id, or the engine's last inserted id when the
 * text has no RETURNING: SQLite runs a RETURNING through a temporary
 * b-tree opened and closed at each run), DB_NOTFOUND when a row with the
 * same key was already there and nothing was inserted. */
enum db_err store_insert_new(struct store *s, struct stmt *st, int64_t *id,
	    const char *what);
/* Rows changed by the last statement stepped on s. */
int64_t	store_changes(struct store *s);
/* Steps a one-row SELECT: DB_OK leaves the row for reading (then call
 * store_row_done), DB_NOTFOUND or a failure leave it reset. */
enum db_err store_step_row(struct store *s, struct stmt *st,
	    const char *what);
/* A table's row reader: the columns of st's current row into *out
 * (strings copied into arena). */
typedef void (*store_read_fn)(struct arena *arena, struct stmt *st,
	    void *out);
/* Steps a one-row SELECT and reads its row into out with read. */
enum db_err store_one(struct store *s, struct stmt *st, struct arena *arena,
	    store_read_fn read, void *out, const char *what);
/* Resets st and clears its bindings (after a row was read, or to stop a
 * store_next loop early). */
void	store_row_done(struct stmt *st);
/*
 * Steps a many-row SELECT: true with a row to read; false at the end
 * (st reset, *e untouched) or on a failure (st reset, *e set). A loop
 * that stops early calls store_row_done:
 *	enum db_err e = DB_OK;
 *	while (store_next(s, st, &e, "wall")) { ... }
 *	return e;
 */
bool	store_next(struct store *s, struct stmt *st, enum db_err *e,
	    const char *what);
/* Steps a one-row, one-column SELECT into *out. */
enum db_err store_int64(struct store *s, struct stmt *st, int64_t *out,
	    const char *what);
/* Steps a one-row SELECT of one truth value (EXISTS ...) into *out. */
enum db_err store_bool(struct store *s, struct stmt *st, bool *out,
	    const char *what);
/* Calls fn with each row of st (a store_row of its first ncols columns,
 * store.h) until fn returns non-zero. */
enum db_err store_stream_rows(struct store *s, struct stmt *st, int ncols,
	    store_row_fn fn, void *arg, const char *what);

/*
 * Staff's free search text (words; NULL or blank: none) as the query of
 * s's engine's full-text index, to bind where the statement text expects
 * one (SQLite: an FTS5 MATCH expression of the words as prefixes, so that
 * operators and quotes in the input are only words; PostgreSQL: the
 * words, for sql/pg/006's consultants_tsquery, which does the same). NULL
 * for no words; else the caller frees it with free().
 */
char   *store_search_query(struct store *s, const char *words);

/*
 * Parameters, numbered from 1. A bound text or blob is borrowed: it must
 * outlive the step. A NULL text or blob binds NULL.
 */
void	bind_int64(struct stmt *st, int i, int64_t v);
void	bind_text(struct stmt *st, int i, const char *v);
void	bind_blob(struct stmt *st, int i, const void *v, size_t len);
void	bind_null(struct stmt *st, int i);
/* Binds v when has, else NULL. */
void	bind_opt_int64(struct stmt *st, int i, bool has, int64_t v);
/* The number of the parameter called name (":key") in st, 0 if none. */
int	bind_index(struct stmt *st, const char *name);

/*
 * Columns of the current row, numbered from 0. A NULL reads as 0 or
 * NULL. What a _ref returns is borrowed until the next step or reset.
 */
enum col_type {
	COL_NULL,
	COL_INT,
	COL_OTHER,	/* text, a real, a blob */
};
int64_t	col_int64(struct stmt *st, int col);
int	col_int(struct stmt *st, int col);
bool	col_null(struct stmt *st, int col);
enum col_type col_type(struct stmt *st, int col);
/* A copy in arena (NULL for NULL). */
const char *col_text(struct arena *arena, struct stmt *st, int col);
const char *col_text_ref(struct stmt *st, int col);
/* col_text_ref, and its length in bytes in *len. */
const char *col_text_len(struct stmt *st, int col, size_t *len);
const void *col_blob_ref(struct stmt *st, int col, size_t *len);
int	col_count(struct stmt *st);
/* The name of column col (its AS name), borrowed like a _ref. */
const char *col_name(struct stmt *st, int col);

#endif
