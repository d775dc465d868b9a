/*
 * db_sqlite.h: SQLite connections for the SQLite driver of the storage
 * layer (store_sqlite.c), and nobody else: opening with the pragmas of
 * durability (through the VFS of db_sqlite_vfs.c), the migrations
 * compiled from sql/sqlite/, transactions, the online backup, the
 * integrity check, and the mapping of SQLite's result codes to enum
 * db_err.
 */
#ifndef ICOMMIT_DB_SQLITE_H
#define ICOMMIT_DB_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "db.h"

/* Generated at build time from sql/sqlite/ (scripts/cmake/embed_sql.cmake),
 * in order. */
extern const struct migration db_sqlite_migrations[];
extern const int db_sqlite_migrations_count;

/* Maps a SQLite result code (primary or extended) to a db_err. */
enum db_err db_sqlite_err(int rc);

#define DB_SQLITE_CREATE    0x1	/* create the file if missing */
#define DB_SQLITE_READONLY  0x2
/* Read-only and immutable: for a database on a read-only file system,
 * where SQLite cannot create the WAL's shared-memory file. */
#define DB_SQLITE_IMMUTABLE 0x4

/*
 * The name of the VFS db_sqlite_open opens with (db_sqlite_vfs.c: the
 * system's, with a WAL's frames written a transaction at a time), or NULL
 * for SQLite's default when it cannot be registered.
 */
#define DB_SQLITE_VFS "icommit"
const char *db_sqlite_vfs(void);
/* How many writes it has made to WAL files, in this process (tests). */
unsigned long db_sqlite_vfs_wal_writes(void);

/*
 * Opens path in WAL mode with synchronous = FULL, foreign keys on and a
 * busy timeout. Returns 0 and *out (close with sqlite3_close), or -1 with
 * one line in err.
 */
int	db_sqlite_open(const char *path, int flags, sqlite3 **out, char *err,
	    size_t errlen);

/* The newest migration compiled in, and the one the database is at (-1
 * when it cannot be read). */
int	db_sqlite_schema_latest(void);
int	db_sqlite_schema_version(sqlite3 *db);

/*
 * Applies every migration newer than the database, each in its own
 * transaction, recording it in schema_migrations and user_version.
 * Sets *applied to how many ran. Returns 0 or -1 with err set.
 */
int	db_sqlite_migrate(sqlite3 *db, int *applied, char *err, size_t errlen);

/* BEGIN IMMEDIATE / COMMIT; return a SQLite result code. ROLLBACK, when a
 * transaction is open. */
int	db_sqlite_begin(sqlite3 *db);
int	db_sqlite_commit(sqlite3 *db);
void	db_sqlite_rollback(sqlite3 *db);

/*
 * Copies the open database to dest with SQLite's online backup API (a
 * consistent snapshot while others write). Returns 0 or -1 with err set.
 */
int	db_sqlite_backup(sqlite3 *db, const char *dest, char *err,
	    size_t errlen);

/* Runs PRAGMA integrity_check; true when it answers "ok". */
bool	db_sqlite_integrity_ok(sqlite3 *db);

/* Runs a pragma (or any statement) that answers at most one row; copies
 * its text into out when out is not NULL. A SQLite result code. */
int	db_sqlite_pragma(sqlite3 *db, const char *sql, char *out,
	    size_t outlen);

#endif
