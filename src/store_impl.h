/*
 * store_impl.h: what the SQLite storage files share and nobody else sees:
 * the per-connection struct, the registry of statement sets, and the one
 * set of helpers through which every statement is stepped. Each
 * store_<table>.c owns its statements (an enum ending in __MAX and the SQL
 * beside the code that reads its columns); store.c prepares them and holds
 * the machinery.
 */
#ifndef ICOMMIT_STORE_IMPL_H
#define ICOMMIT_STORE_IMPL_H

#include <sqlite3.h>

#include "store.h"

/* One file's statements: sql[id] for each id of the file's enum. */
struct stmt_set {
	const char	   *name;	/* for the log: "pledges" */
	const char *const  *sql;
	int		    n;
};

/* Every statement set, one per store_<table>.c (and store.c's own). */
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
	SET__MAX
};

extern const struct stmt_set store_campaigns_set, store_pledges_set,
    store_tokens_set, store_outbox_set, store_staff_set, store_events_set,
    store_registrations_set, store_newsletter_set, store_consents_set,
    store_privacy_set, store_comments_set, store_consultants_set;

struct store {
	bool	       readonly;	/* opened immutable: writes refused */
	sqlite3	      *db;
	sqlite3_stmt **stmt[SET__MAX];	/* [set][id], NULL until first used */
};

/*
 * Statement id of set, prepared at its first use (store_open says when);
 * never NULL: a statement that cannot be prepared is fatal (the schema is
 * the one the statements were written for, checked at start).
 */
sqlite3_stmt *store_stmt(struct store *s, enum store_set set, int id);

/*
 * The helpers. Each resets the statement and clears its bindings when it
 * is done with it, and logs and maps an unexpected SQLite failure to an
 * enum db_err; what names the operation in the log.
 */
/* Steps a statement that returns no row (or whose row is not wanted). */
enum db_err store_exec(struct store *s, sqlite3_stmt *st, const char *what);
/* store_exec, then DB_NOTFOUND when no row changed. */
enum db_err store_exec_changed(struct store *s, sqlite3_stmt *st,
	    const char *what);
/* store_exec of an INSERT; *id is the new row's id. */
enum db_err store_insert(struct store *s, sqlite3_stmt *st, int64_t *id,
	    const char *what);
/* Rows changed by the last statement. */
int64_t	store_changes(struct store *s);
/* Steps a one-row SELECT: DB_OK leaves the row for reading (then call
 * store_row_done), DB_NOTFOUND or a failure leave it reset. */
enum db_err store_step_row(struct store *s, sqlite3_stmt *st,
	    const char *what);
/* A table's row reader: the columns of st's current row into *out
 * (strings copied into arena). */
typedef void (*store_read_fn)(struct arena *arena, sqlite3_stmt *st,
	    void *out);
/* Steps a one-row SELECT and reads its row into out with read. */
enum db_err store_one(struct store *s, sqlite3_stmt *st, struct arena *arena,
	    store_read_fn read, void *out, const char *what);
/* Resets st and clears its bindings (after a row was read, or to stop a
 * store_next loop early). */
void	store_row_done(sqlite3_stmt *st);
/*
 * Steps a many-row SELECT: true with a row to read; false at the end
 * (st reset, *e untouched) or on a failure (st reset, *e set). A loop
 * that stops early calls store_row_done:
 *	enum db_err e = DB_OK;
 *	while (store_next(s, st, &e, "wall")) { ... }
 *	return e;
 */
bool	store_next(struct store *s, sqlite3_stmt *st, enum db_err *e,
	    const char *what);
/* Steps a one-row, one-column SELECT into *out. */
enum db_err store_int64(struct store *s, sqlite3_stmt *st, int64_t *out,
	    const char *what);
/* Steps a one-row SELECT of one truth value (EXISTS ...) into *out. */
enum db_err store_bool(struct store *s, sqlite3_stmt *st, bool *out,
	    const char *what);
/* Calls fn with the first ncols (at most 32) columns of each row of st as
 * text (valid during the call) until fn returns non-zero. */
enum db_err store_stream_rows(struct store *s, sqlite3_stmt *st, int ncols,
	    store_row_fn fn, void *arg, const char *what);
/* Logs an unexpected SQLite failure rc of what, resets st (if any) and
 * maps rc. */
enum db_err store_fail(struct store *s, sqlite3_stmt *st, int rc,
	    const char *what);

/* Column and parameter shorthands. */
const char *col_text(struct arena *arena, sqlite3_stmt *st, int col);
bool	col_null(sqlite3_stmt *st, int col);
/* Binds v (borrowed: it must outlive the step), or NULL when v is NULL. */
void	bind_text(sqlite3_stmt *st, int i, const char *v);
/* Binds v when has, else NULL. */
void	bind_opt_int64(sqlite3_stmt *st, int i, bool has, int64_t v);

#endif
