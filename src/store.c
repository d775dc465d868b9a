/*
 * store.c: the storage layer's connection (see store.h), whatever the
 * engine: the choice of the engine's driver (store_driver.h) from the
 * database setting, opening (schema check, migrations, statements
 * prepared at once or on first use through store_stmt.c), the reopen
 * after a read-only spell, and what a connection does as a whole
 * (transactions, the writer's savepoints, tuning, checkpoints, backup,
 * VACUUM), each passed to the driver: SQLite's for a path, PostgreSQL's
 * (when built with ICOMMIT_POSTGRES) for a URI or conninfo.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store_driver.h"

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

const struct stmt_set store_core_set = { "core", core_sql, NULL, CORE__MAX };

/*
 * Whether the database setting names a PostgreSQL database: a URI
 * (postgresql://, postgres://) or a libpq conninfo ("host=db
 * dbname=icommit": it starts with a keyword and '='). Anything else is a
 * path.
 */
static bool
database_is_pg(const char *database)
{
	const char *p = database;

	if (strncmp(p, "postgresql://", 13) == 0 ||
	    strncmp(p, "postgres://", 11) == 0)
		return true;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	if (p == database)
		return false;
	while (*p == ' ')
		p++;
	return *p == '=';
}

const char *
store_label(const char *database)
{
	return database_is_pg(database) ? "the PostgreSQL database" : database;
}

/* A connection to database with the driver's open flags; NULL with err
 * set. */
static struct store *
store_new(const char *database, int flags, char *err, size_t errlen)
{
	struct store *s;

	const struct store_driver *drv = &store_sqlite_driver;

	if (database_is_pg(database)) {
#ifdef ICOMMIT_POSTGRES
		drv = &store_pg_driver;
#else
		/* Not the setting in the message: it may hold a password. */
		snprintf(err, errlen, "database: this build has no PostgreSQL "
		    "support (a path selects SQLite)");
		return NULL;
#endif
	}
	if ((s = calloc(1, sizeof(*s))) == NULL)
		log_fatal("out of memory");
	s->drv = drv;
	if (s->drv->open(s, database, flags, err, errlen) != 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

struct store *
store_connect(const char *database, int flags, char *err, size_t errlen)
{
	return store_new(database, flags & (STORE_CREATE | STORE_READONLY),
	    err, errlen);
}

struct store *
store_open(const char *database, bool create, bool migrate, char *err,
    size_t errlen)
{
	struct store *s;
	int	      applied, version;

	s = store_new(database, (create ? STORE_CREATE : 0) |
	    STORE_OR_IMMUTABLE, err, errlen);
	if (s == NULL)
		return NULL;
	store_stmts_new(s);
	if (s->readonly)
		migrate = false;
	if (migrate && s->drv->migrate(s, &applied, err, errlen) != 0)
		goto fail;
	version = s->drv->schema_version(s);
	if (version != s->drv->schema_latest()) {
		snprintf(err, errlen, "%s: database schema is at version %d, "
		    "this program needs %d: run icommitctl init (or migrate)",
		    store_label(database), version, s->drv->schema_latest());
		goto fail;
	}
	/* Opened to create or migrate (icommitctl, the daemon's start):
	 * every statement is prepared now, so that one the schema cannot
	 * run is reported at once. Otherwise (the daemon's threads) each is
	 * prepared at its first use: a worker that only reads never holds
	 * the memory of the hundred-odd others. */
	if ((create || migrate) && store_stmts_prepare(s,
	    store_label(database), err, errlen) != 0)
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	store_stmts_free(s);
	s->drv->close(s);
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
store_refresh(struct store **s, unsigned *generation, const char *database)
{
	char	      err[256];
	struct store *fresh;

	if (*generation == store_generation())
		return false;
	*generation = store_generation();
	if ((fresh = store_open(database, false, false, err,
	    sizeof(err))) == NULL) {
		log_error("reopening %s: %s", store_label(database), err);
		return false;
	}
	store_close(*s);
	*s = fresh;
	return true;
}

int
store_schema_latest(void)
{
	return store_sqlite_driver.schema_latest();
}

int
store_schema_version(struct store *s)
{
	return s->drv->schema_version(s);
}

int
store_migrate(struct store *s, int *applied, char *err, size_t errlen)
{
	return s->drv->migrate(s, applied, err, errlen);
}

/* ---- transactions ---- */

enum db_err
store_begin(struct store *s)
{
	return s->drv->begin(s);
}

enum db_err
store_commit(struct store *s)
{
	return s->drv->commit(s);
}

void
store_rollback(struct store *s)
{
	s->drv->rollback(s);
}

bool
store_in_txn(struct store *s)
{
	return s->drv->in_txn(s);
}

static struct stmt *
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

/* ---- the connection as a whole ---- */

void
store_tune_worker(struct store *s)
{
	s->drv->tune(s, STORE_ROLE_WORKER);
}

void
store_tune_writer(struct store *s)
{
	s->drv->tune(s, STORE_ROLE_WRITER);
}

void
store_release_memory(struct store *s)
{
	s->drv->release_memory(s);
}

enum db_err
store_checkpoint(struct store *s, int64_t *frames, int64_t *left)
{
	return s->drv->checkpoint(s, STORE_CKPT_PASSIVE, frames, left);
}

enum db_err
store_checkpoint_flush(struct store *s, int64_t *frames, int64_t *left)
{
	return s->drv->checkpoint(s, STORE_CKPT_FLUSH, frames, left);
}

/* How long store_checkpoint_truncate keeps trying, and the pause between
 * two tries. */
#define TRUNCATE_FOR_US	 3000000
#define TRUNCATE_WAIT_US 10000

void
store_checkpoint_truncate(struct store *s)
{
	/*
	 * A checkpoint already running on another connection (the daemon's
	 * checkpoint thread, or its writer's catch-up) makes this one fail
	 * at once, without the busy handler, and a reader of an old snapshot
	 * makes it stop short: either way the WAL would keep the frames from
	 * before an erasure until the daemon's next restart of it. So it
	 * tries again until the WAL is empty, for up to three seconds (one
	 * try may wait out the busy timeout on its own).
	 */
	for (int64_t end = mono_us() + TRUNCATE_FOR_US;;) {
		int64_t	    frames = -1, left = -1;
		enum db_err e = s->drv->checkpoint(s, STORE_CKPT_TRUNCATE,
		    &frames, &left);

		if (e != DB_OK && e != DB_BUSY)
			return;		/* logged by the driver */
		if (e == DB_OK && frames == 0)
			return;
		if (mono_us() >= end)
			break;
		usleep(TRUNCATE_WAIT_US);
	}
	log_error("checkpoint: the WAL could not be emptied: another "
	    "connection kept it busy");
}

struct store_syncer *
store_syncer_open(struct store *s)
{
	/* An engine without one (PostgreSQL) syncs in its commit. */
	if (s->readonly || s->drv->syncer_open == NULL)
		return NULL;
	return s->drv->syncer_open(s);
}

int
store_syncer_sync(struct store_syncer *y)
{
	return y->drv->syncer_sync(y);
}

void
store_syncer_close(struct store *s, struct store_syncer *y)
{
	if (y != NULL)
		y->drv->syncer_close(s, y);
}

int
store_backup(struct store *s, const char *dest, char *err, size_t errlen)
{
	return s->drv->backup(s, dest, err, errlen);
}

int
store_vacuum(struct store *s, bool full, char *err, size_t errlen)
{
	return s->drv->vacuum(s, full, err, errlen);
}

const char *
store_engine(const struct store *s)
{
	return s->drv->name;
}

bool
store_shared(const struct store *s)
{
	return strcmp(s->drv->name, "sqlite") != 0;
}

int
store_max_batch(const struct store *s)
{
	return s->drv->max_batch > 0 ? s->drv->max_batch : INT_MAX;
}

bool
store_row_locks(const struct store *s)
{
	return s->drv->row_locks;
}

bool
store_integrity_ok(struct store *s)
{
	return s->drv->integrity_ok(s);
}
