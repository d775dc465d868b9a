/*
 * store.h: the storage layer's connection. Resources, services and
 * icommitctl call the store_* functions of the store_<table>.h headers and
 * never touch SQL or an engine: each store_<table>.c owns its statements
 * and maps every outcome to an enum db_err. One struct store per thread
 * (its own connection and prepared statements). This header has what
 * every table shares: opening and closing (the engine is chosen by the
 * database setting), transactions, the writer's savepoints, tuning,
 * checkpoints, backup, the reopen after a read-only spell, and the row
 * callback of CSV exports.
 *
 * Engines: a path is SQLite. A PostgreSQL URI (postgresql://,
 * postgres://) or conninfo (key=value ...) is PostgreSQL, in a build with
 * ICOMMIT_POSTGRES (else refused with "this build has no PostgreSQL
 * support"); the setting is never logged (it may hold a password). Where
 * an engine has nothing to do, the call is a no-op (PostgreSQL has no WAL
 * checkpoint to drive and no page cache of the connection to give back);
 * store_backup, a copy of the database file, is refused by PostgreSQL
 * (pg_dump does that).
 */
#ifndef ICOMMIT_STORE_H
#define ICOMMIT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "util.h"

struct store;

/* How messages name the database setting: the path of a SQLite file,
 * "the PostgreSQL database" for a URI or conninfo (which may hold a
 * password). Borrowed from database, or static. */
const char *store_label(const char *database);

/*
 * Opens the database (the database setting: a path, or PostgreSQL's URI
 * or conninfo) and prepares the statements. With migrate, applies
 * pending migrations first; without, refuses a database whose schema is
 * not the current one. A SQLite file
 * that cannot be opened for writing (a read-only file system) is opened
 * read-only (see store_readonly). Returns NULL with err set on failure.
 */
struct store *store_open(const char *database, bool create, bool migrate,
	    char *err, size_t errlen);

#define STORE_CREATE	0x1	/* create the database if missing */
#define STORE_READONLY	0x2	/* open read-only */
/*
 * Opens a connection alone: no statements, no schema check, no read-only
 * fallback. For what works on the database as a whole: icommitctl migrate
 * and backup, the writer's checkpoint thread. Returns NULL with err set.
 */
struct store *store_connect(const char *database, int flags, char *err,
	    size_t errlen);
void	store_close(struct store *s);

/* True when the database was opened read-only (an immutable view of a
 * file on a read-only file system): every write fails with DB_READONLY. */
bool	store_readonly(const struct store *s);
/* A counter bumped when connections should be reopened (the database
 * became writable again); workers compare it before each request. */
unsigned store_generation(void);
void	store_generation_bump(void);
/*
 * Reopens *s (a thread's own connection to database) when the generation
 * has moved on since *generation, and records the new one. Returns true
 * when *s is a new connection; on failure the old one stays (and it is
 * logged).
 */
bool	store_refresh(struct store **s, unsigned *generation,
	    const char *database);

/* The newest schema version of this build (every engine's migrations
 * carry the same numbers), and the one the database is at (-1 when it
 * cannot be read). */
int	store_schema_latest(void);
int	store_schema_version(struct store *s);
/* Applies pending migrations, each in its own transaction; *applied says
 * how many. Returns 0, or -1 with err set. */
int	store_migrate(struct store *s, int *applied, char *err,
	    size_t errlen);

/* DB_OK when the database can be read. */
enum db_err store_health(struct store *s);

/*
 * A transaction that will write (SQLite: BEGIN IMMEDIATE, which takes the
 * write lock at once), its commit, and its rollback (nothing when none is
 * open). Failures are logged.
 */
enum db_err store_begin(struct store *s);
enum db_err store_commit(struct store *s);
void	store_rollback(struct store *s);
/* True inside a transaction: false after store_begin means the engine
 * rolled it back on its own (a full disk, an I/O error). */
bool	store_in_txn(struct store *s);

/*
 * Whether s ran a statement that writes a campaign or its counter since
 * the last call (then clears it): the writer asks after each commit, and
 * the campaign cache (campcache.h) is dropped only when it did.
 */
bool	store_campaigns_written(struct store *s);
/* The same for a write of an event other than its seat count (the event
 * cache, eventcache.h; why not the count: store_stmt.c). */
bool	store_events_written(struct store *s);

/* Transactions as the group-commit writer runs them (see writer.h). */
enum db_err store_savepoint(struct store *s);
enum db_err store_release(struct store *s);
enum db_err store_rollback_to(struct store *s);

/* Connection tuning: a worker's connection (reads a few rows a request:
 * a small page cache) and the writer's (it checkpoints on its own
 * schedule, see writer.c). */
void	store_tune_worker(struct store *s);
void	store_tune_writer(struct store *s);
/* Gives the connection's cache back to the allocator (after a burst). */
void	store_release_memory(struct store *s);
/*
 * A passive checkpoint: copies what is committed back into the database
 * without blocking anyone. DB_OK, with *frames the WAL's frames in use
 * and *left those it could not copy yet (each when not NULL); DB_BUSY
 * when another one was running; else a failure (logged). PostgreSQL:
 * DB_OK, 0 and 0.
 */
enum db_err store_checkpoint(struct store *s, int64_t *frames, int64_t *left);
/*
 * store_checkpoint, then the pages it copied are written to disk
 * (fdatasync of the database file) before it returns. SQLite syncs the
 * database file only in the checkpoint that copies the whole WAL, and that
 * one, under load, runs between two of the writer's transactions: pages
 * flushed here beforehand are pages it need not wait for.
 */
enum db_err store_checkpoint_flush(struct store *s, int64_t *frames,
	    int64_t *left);
/* A checkpoint that also empties the WAL file (after an erasure): tries
 * again while another connection's checkpoint or reader is in the way, up
 * to three seconds, then logs that it could not. */
void	store_checkpoint_truncate(struct store *s);

/*
 * The writer's deferred sync. store_syncer_open makes the commits of s
 * (the writer's connection) return as soon as they are written, before
 * they are durable, and returns a handle whose store_syncer_sync makes
 * every commit that has returned so far durable: the fsync that a commit
 * would have done, moved out of the commit so that another thread can
 * wait for it while the writer runs the next transaction. Nothing may be
 * acknowledged before the sync after its commit has returned 0.
 * store_syncer_sync may be called from any one thread; it returns 0, or
 * -1 when the file could not be made durable (errno set; what was
 * committed since the last good sync may be lost). NULL where the engine
 * cannot defer (PostgreSQL: a commit is durable when it returns), or when
 * s is read-only. store_syncer_close makes commits durable again as they
 * return, before s is closed.
 */
struct store_syncer;
struct store_syncer *store_syncer_open(struct store *s);
int	store_syncer_sync(struct store_syncer *y);
void	store_syncer_close(struct store *s, struct store_syncer *y);

/*
 * Copies the open database to the new file dest, a consistent snapshot
 * while others write. Returns 0, or -1 with err set.
 */
int	store_backup(struct store *s, const char *dest, char *err,
	    size_t errlen);
/* True when the engine's integrity check of the database passes
 * (PostgreSQL: the server answers and the schema is this program's). */
bool	store_integrity_ok(struct store *s);
/*
 * Gives the space of deleted and overwritten rows back, so that erased
 * data leaves the database's files (docs/privacy.md). SQLite: VACUUM (the
 * file rebuilt). PostgreSQL: VACUUM (ANALYZE) of the tables that hold
 * personal data, or with full VACUUM (FULL, ANALYZE), which rewrites them
 * and locks each while it does. Outside a transaction. Returns 0, or -1
 * with err set.
 */
int	store_vacuum(struct store *s, bool full, char *err, size_t errlen);

/* The engine's name: "sqlite" or "postgresql". */
const char *store_engine(const struct store *s);
/* Whether several daemons may share s's database (PostgreSQL, a server):
 * then what one SQLite daemon keeps to itself is coordinated through the
 * database (store_nodes.h: the scheduler's leader, the login throttle;
 * the mailer's leases, store_outbox.h). */
bool	store_shared(const struct store *s);
/* The most jobs the writer may put in one transaction on s's engine
 * (PostgreSQL: 64 savepoints; SQLite: no limit, INT_MAX). */
int	store_max_batch(const struct store *s);
/* Whether s's engine locks rows (PostgreSQL), so that the writer takes a
 * batch's locks in one order (writer.h). */
bool	store_row_locks(const struct store *s);

/*
 * A CSV export's rows: fn gets each row in turn, to read with the two
 * accessors below during the call, and returns non-zero to stop. Columns
 * are numbered from 0; past the export's last column, a column reads as
 * NULL.
 */
struct store_row;
typedef int (*store_row_fn)(const struct store_row *row, void *arg);
/* Column col as text, NULL for NULL; valid during the call. */
const char *store_row_text(const struct store_row *row, int col);
/* Column col as a number: false for NULL; else true and *v, the integer
 * as stored (no text made of it and read back), or for any other value
 * its text's leading integer (strtoll's). */
bool	store_row_int64(const struct store_row *row, int col, int64_t *v);

/* A count kept in step that a recount found different from its rows:
 * the slug of the campaign or event, the count stored, the rows' count. */
typedef void (*store_drift_fn)(const char *slug, int64_t stored,
	    int64_t actual, void *arg);

#endif
