/*
 * db.h: SQLite connections (pragmas for durability), the migrations
 * compiled from sql/, transactions, the online backup, and the mapping of
 * SQLite's errors to the few outcomes handlers care about.
 */
#ifndef ICOMMIT_DB_H
#define ICOMMIT_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct migration {
	int	    version;	/* the number in sql/NNN_name.sql */
	const char *name;	/* "NNN_name" */
	const char *sql;
};

/* Generated at build time from sql/ (cmake/embed_sql.cmake), in order. */
extern const struct migration migrations[];
extern const int migrations_count;

enum db_err {
	DB_OK = 0,
	DB_NOTFOUND,	/* no such row */
	DB_BUSY,	/* locked past busy_timeout */
	DB_FULL,	/* disk or quota full */
	DB_READONLY,	/* file or directory not writable */
	DB_ERROR,	/* anything else (logged) */
};

const char *db_strerror(enum db_err e);
/* Maps a SQLite result code (primary or extended) to a db_err. */
enum db_err db_err_from_sqlite(int rc);

#define DB_OPEN_CREATE	 0x1	/* create the file if missing */
#define DB_OPEN_READONLY 0x2
/* Read-only and immutable: for a database on a read-only file system,
 * where SQLite cannot create the WAL's shared-memory file. */
#define DB_OPEN_IMMUTABLE 0x4

/*
 * Opens path in WAL mode with synchronous = FULL, foreign keys on and a
 * busy timeout. Returns 0 and *out (close with sqlite3_close), or -1 with
 * one line in err.
 */
int	db_open(const char *path, int flags, sqlite3 **out, char *err,
	    size_t errlen);

/* The newest migration compiled in, and the one the database is at. */
int	db_schema_latest(void);
int	db_schema_version(sqlite3 *db);

/*
 * Applies every migration newer than the database, each in its own
 * transaction, recording it in schema_migrations and user_version.
 * Sets *applied to how many ran. Returns 0 or -1 with err set.
 */
int	db_migrate(sqlite3 *db, int *applied, char *err, size_t errlen);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; return a SQLite result code. */
int	db_begin(sqlite3 *db);
int	db_commit(sqlite3 *db);
void	db_rollback(sqlite3 *db);

/*
 * Copies the open database to dest with SQLite's online backup API (a
 * consistent snapshot while others write). Returns 0 or -1 with err set.
 */
int	db_backup(sqlite3 *db, const char *dest, char *err, size_t errlen);

/* Runs PRAGMA integrity_check; true when it answers "ok". */
bool	db_integrity_ok(sqlite3 *db);

#endif
