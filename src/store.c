/*
 * store.c: the SQLite connection of the storage layer (see store.h) and
 * the machinery every store_<table>.c uses (see store_impl.h): the
 * registry of statement sets, prepare on first use (or all at once when
 * opened to migrate, so that a statement the schema cannot run is found
 * at start), and the step helpers, which always reset and clear.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store_impl.h"

/* store.c's own statements: the writer's savepoints and the health probe. */
enum core_stmt {
	CORE_HEALTH,
	CORE_SAVEPOINT,
	CORE_RELEASE,
	CORE_ROLLBACK_TO,
	CORE__MAX
};

static const char *const core_sql[CORE__MAX] = {
	[CORE_HEALTH] = "SELECT count(*) FROM schema_migrations",
	[CORE_SAVEPOINT] = "SAVEPOINT job",
	[CORE_RELEASE] = "RELEASE job",
	[CORE_ROLLBACK_TO] = "ROLLBACK TO job",
};

static const struct stmt_set core_set = { "core", core_sql, CORE__MAX };

static const struct stmt_set *const sets[SET__MAX] = {
	[SET_CORE] = &core_set,
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
};

/* Prepares statement id of set into s->stmt; the SQLite result code. */
static int
stmt_prepare(struct store *s, enum store_set set, int id)
{
	return sqlite3_prepare_v3(s->db, sets[set]->sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->stmt[set][id], NULL);
}

struct store *
store_open(const char *path, bool create, bool migrate, char *err,
    size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	int	      applied, version;

	if (s == NULL)
		log_fatal("out of memory");
	for (int t = 0; t < SET__MAX; t++)
		if ((s->stmt[t] = calloc((size_t)sets[t]->n,
		    sizeof(sqlite3_stmt *))) == NULL)
			log_fatal("out of memory");
	if (db_open(path, create ? DB_OPEN_CREATE : 0, &s->db, err, errlen) != 0) {
		/* On a read-only file system SQLite cannot set up WAL: serve
		 * reads from an immutable view; writes get 503 until the
		 * writer finds the file writable again. */
		char err2[256];

		if (access(path, F_OK) != 0 || db_open(path, DB_OPEN_IMMUTABLE,
		    &s->db, err2, sizeof(err2)) != 0)
			goto fail;
		s->readonly = true;
		migrate = false;
	}
	if (migrate && db_migrate(s->db, &applied, err, errlen) != 0)
		goto fail;
	version = db_schema_version(s->db);
	if (version != db_schema_latest()) {
		snprintf(err, errlen, "%s: database schema is at version %d, "
		    "this program needs %d: run icommitctl init (or migrate)",
		    path, version, db_schema_latest());
		goto fail;
	}
	/* Opened to create or migrate (icommitctl, the daemon's start):
	 * every statement is prepared now, so that one the schema cannot
	 * run is reported at once. Otherwise (the daemon's threads) each is
	 * prepared at its first use: a worker that only reads never holds
	 * the memory of the hundred-odd others. */
	for (int t = 0; (create || migrate) && t < SET__MAX; t++)
		for (int i = 0; i < sets[t]->n; i++)
			if (stmt_prepare(s, (enum store_set)t, i) != SQLITE_OK) {
				snprintf(err, errlen, "%s: preparing statement "
				    "%d of %s: %s", path, i, sets[t]->name,
				    sqlite3_errmsg(s->db));
				goto fail;
			}
	return s;
fail:
	store_close(s);
	return NULL;
}

sqlite3_stmt *
store_stmt(struct store *s, enum store_set set, int id)
{
	if (s->stmt[set][id] == NULL && stmt_prepare(s, set, id) != SQLITE_OK)
		log_fatal("preparing statement %d of %s: %s", id,
		    sets[set]->name, sqlite3_errmsg(s->db));
	return s->stmt[set][id];
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int t = 0; t < SET__MAX; t++) {
		for (int i = 0; s->stmt[t] != NULL && i < sets[t]->n; i++)
			sqlite3_finalize(s->stmt[t][i]);
		free(s->stmt[t]);
	}
	sqlite3_close(s->db);
	free(s);
}

static atomic_uint store_gen;

bool
store_readonly(const struct store *s)
{
	return s->readonly;
}

unsigned
store_generation(void)
{
	return atomic_load(&store_gen);
}

void
store_generation_bump(void)
{
	atomic_fetch_add(&store_gen, 1);
}

bool
store_refresh(struct store **s, unsigned *generation, const char *path)
{
	char	      err[256];
	struct store *fresh;

	if (*generation == store_generation())
		return false;
	*generation = store_generation();
	if ((fresh = store_open(path, false, false, err, sizeof(err))) == NULL) {
		log_error("reopening %s: %s", path, err);
		return false;
	}
	store_close(*s);
	*s = fresh;
	return true;
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

/* ---- the step helpers ---- */

enum db_err
store_fail(struct store *s, sqlite3_stmt *st, int rc, const char *what)
{
	log_error("%s: %s (%d)", what, sqlite3_errmsg(s->db), rc);
	if (st != NULL)
		store_row_done(st);
	return db_err_from_sqlite(rc);
}

void
store_row_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

enum db_err
store_exec(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, st, rc, what);
	store_row_done(st);
	return DB_OK;
}

int64_t
store_changes(struct store *s)
{
	return sqlite3_changes64(s->db);
}

enum db_err
store_exec_changed(struct store *s, sqlite3_stmt *st, const char *what)
{
	enum db_err e = store_exec(s, st, what);

	if (e == DB_OK && store_changes(s) == 0)
		return DB_NOTFOUND;
	return e;
}

enum db_err
store_insert(struct store *s, sqlite3_stmt *st, int64_t *id, const char *what)
{
	enum db_err e = store_exec(s, st, what);

	if (e == DB_OK)
		*id = sqlite3_last_insert_rowid(s->db);
	return e;
}

enum db_err
store_step_row(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return DB_OK;
	if (rc == SQLITE_DONE) {
		store_row_done(st);
		return DB_NOTFOUND;
	}
	return store_fail(s, st, rc, what);
}

enum db_err
store_one(struct store *s, sqlite3_stmt *st, struct arena *arena,
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
store_next(struct store *s, sqlite3_stmt *st, enum db_err *e,
    const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return true;
	if (rc == SQLITE_DONE)
		store_row_done(st);
	else
		*e = store_fail(s, st, rc, what);
	return false;
}

enum db_err
store_int64(struct store *s, sqlite3_stmt *st, int64_t *out, const char *what)
{
	enum db_err e = store_step_row(s, st, what);

	if (e != DB_OK)
		return e;
	*out = sqlite3_column_int64(st, 0);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_bool(struct store *s, sqlite3_stmt *st, bool *out, const char *what)
{
	int64_t	    n = 0;
	enum db_err e = store_int64(s, st, &n, what);

	*out = n != 0;
	return e;
}

enum db_err
store_stream_rows(struct store *s, sqlite3_stmt *st, int ncols,
    store_row_fn fn, void *arg, const char *what)
{
	const char *cols[32];
	enum db_err e = DB_OK;

	if (ncols > 32)
		ncols = 32;
	while (store_next(s, st, &e, what)) {
		for (int i = 0; i < ncols; i++)
			cols[i] = (const char *)sqlite3_column_text(st, i);
		if (fn(cols, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

const char *
col_text(struct arena *arena, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	if (t == NULL)
		return NULL;
	return arena_strndup(arena, (const char *)t,
	    (size_t)sqlite3_column_bytes(st, col));
}

bool
col_null(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void
bind_opt_int64(sqlite3_stmt *st, int i, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

/* ---- what every connection does ---- */

static sqlite3_stmt *
core(struct store *s, enum core_stmt id)
{
	return store_stmt(s, SET_CORE, id);
}

enum db_err
store_health(struct store *s)
{
	int64_t n;

	return store_int64(s, core(s, CORE_HEALTH), &n, "health");
}

enum db_err
store_savepoint(struct store *s)
{
	return store_exec(s, core(s, CORE_SAVEPOINT), "savepoint");
}

enum db_err
store_release(struct store *s)
{
	return store_exec(s, core(s, CORE_RELEASE), "release");
}

enum db_err
store_rollback_to(struct store *s)
{
	enum db_err e = store_exec(s, core(s, CORE_ROLLBACK_TO), "rollback to");

	if (e == DB_OK)
		e = store_release(s);
	return e;
}

/* A WAL checkpoint of the given mode; failures other than busy logged. */
static void
checkpoint(struct store *s, int mode)
{
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, mode, NULL, NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_error("checkpoint: %s", sqlite3_errmsg(s->db));
}

void
store_checkpoint(struct store *s)
{
	checkpoint(s, SQLITE_CHECKPOINT_PASSIVE);
}

void
store_checkpoint_truncate(struct store *s)
{
	checkpoint(s, SQLITE_CHECKPOINT_TRUNCATE);
}
