/*
 * store.h: the storage layer's connection. Resources, services and
 * icommitctl call the store_* functions of the store_<table>.h headers and
 * never touch SQL: each store_<table>.c owns its statements and maps every
 * SQLite outcome to an enum db_err. One struct store per thread (its own
 * connection and prepared statements). This header has what every table
 * shares: opening and closing, the writer's savepoints, checkpoints, the
 * reopen after a read-only spell, and the row callback of CSV exports.
 */
#ifndef ICOMMIT_STORE_H
#define ICOMMIT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "util.h"

struct store;

/*
 * Opens the database at path and prepares the statements. With migrate,
 * applies pending migrations first; without, refuses a database whose
 * schema is not the current one. Returns NULL with err set on failure.
 */
struct store *store_open(const char *path, bool create, bool migrate,
	    char *err, size_t errlen);
void	store_close(struct store *s);

/* True when the database was opened read-only (an immutable view of a
 * file on a read-only file system): every write fails with DB_READONLY. */
bool	store_readonly(const struct store *s);
/* A counter bumped when connections should be reopened (the database
 * became writable again); workers compare it before each request. */
unsigned store_generation(void);
void	store_generation_bump(void);
/*
 * Reopens *s (a thread's own connection to path) when the generation has
 * moved on since *generation, and records the new one. Returns true when
 * *s is a new connection; on failure the old one stays (and it is logged).
 */
bool	store_refresh(struct store **s, unsigned *generation,
	    const char *path);
/* The connection, for db_backup and the like. */
sqlite3 *store_db(struct store *s);

/* DB_OK when the database can be read. */
enum db_err store_health(struct store *s);

/* Transactions as the group-commit writer runs them (see writer.h). */
enum db_err store_savepoint(struct store *s);
enum db_err store_release(struct store *s);
enum db_err store_rollback_to(struct store *s);
/* A passive WAL checkpoint; failures are logged. */
void	store_checkpoint(struct store *s);
/* A checkpoint that also empties the WAL file (after an erasure). */
void	store_checkpoint_truncate(struct store *s);

/* A CSV export's rows: cols[i] is column i as text (NULL for empty),
 * valid during the call; non-zero stops. */
typedef int (*store_row_fn)(const char *const *cols, void *arg);

#endif
