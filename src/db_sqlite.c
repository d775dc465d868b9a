/*
 * db_sqlite.c: SQLite connections, migrations, transactions, backup and
 * the integrity check (see db_sqlite.h), for the SQLite driver
 * (store_sqlite.c). Apart from the driver's statements so that each file
 * keeps one concern: this one knows the database file (its pragmas, its
 * schema version, copying it); the driver knows statements and the
 * store's connection. The schema itself lives only in sql/sqlite/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_sqlite.h"
#include "log.h"
#include "util.h"

#define DB_BUSY_TIMEOUT_MS 5000
/*
 * The page size of a new database. Each durable commit rewrites, in the
 * WAL, every page it touched; a pledge lands on random pages of three
 * B-trees (the e-mail key, the token hash, the outbox's address), so with
 * SQLite's default of 4096 bytes a batch of pledges writes about 12 KiB
 * each to disk. 1024-byte pages cut that to a quarter (docs/performance.md).
 */
#ifndef DB_PAGE_SIZE_TEXT
#define DB_PAGE_SIZE_TEXT "1024"
#endif

enum db_err
db_sqlite_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return DB_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_FULL:
		return DB_FULL;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return DB_READONLY;
	case SQLITE_IOERR:
		/* A failed write is most often a full disk. */
		if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ||
		    rc == SQLITE_IOERR_SHMSIZE || rc == SQLITE_IOERR_TRUNCATE)
			return DB_FULL;
		return DB_ERROR;
	default:
		return DB_ERROR;
	}
}

int
db_sqlite_pragma(sqlite3 *db, const char *sql, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	int	      rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		if (out != NULL)
			snprintf(out, outlen, "%s", t ? (const char *)t : "");
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

int
db_sqlite_open(const char *path, int flags, sqlite3 **out, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;
	char	 mode[32] = "";
	int	 oflags = SQLITE_OPEN_NOMUTEX;
	int	 rc;

	*out = NULL;
	if (flags & DB_SQLITE_IMMUTABLE) {
		char   uri[4200];
		size_t o = 0;

		/* A URI: escape what a URI gives meaning to. */
		o += (size_t)snprintf(uri, sizeof(uri), "file:");
		for (const char *p = path; *p && o < sizeof(uri) - 16; p++)
			if (*p == '%' || *p == '?' || *p == '#')
				o += (size_t)snprintf(uri + o, sizeof(uri) - o,
				    "%%%02X", (unsigned char)*p);
			else
				uri[o++] = *p;
		snprintf(uri + o, sizeof(uri) - o, "?immutable=1");
		rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: cannot open database: %s",
			    path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
			goto fail;
		}
		sqlite3_extended_result_codes(db, 1);
		*out = db;
		return 0;
	}
	if (flags & DB_SQLITE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (flags & DB_SQLITE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &db, oflags, db_sqlite_vfs());
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open database: %s", path,
		    db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	/* A new database gets small pages (see DB_PAGE_SIZE); on an existing
	 * one SQLite ignores this. Before WAL: it cannot change after. */
	if ((flags & DB_SQLITE_CREATE) && (rc = db_sqlite_pragma(db,
	    "PRAGMA page_size = " DB_PAGE_SIZE_TEXT, NULL, 0)) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	if (!(flags & DB_SQLITE_READONLY)) {
		rc = db_sqlite_pragma(db, "PRAGMA journal_mode = WAL", mode,
		    sizeof(mode));
		if (rc != SQLITE_OK || strcmp(mode, "wal") != 0) {
			snprintf(err, errlen, "%s: cannot switch to WAL: %s",
			    path, rc != SQLITE_OK ? sqlite3_errmsg(db) : mode);
			goto fail;
		}
	}
	if ((rc = db_sqlite_pragma(db, "PRAGMA synchronous = FULL", NULL, 0)) ||
	    (rc = db_sqlite_pragma(db, "PRAGMA foreign_keys = ON", NULL, 0)) ||
	    /* Deleted and overwritten content is zeroed in the file, so an
	     * erasure leaves no bytes of it behind (see docs/privacy.md). */
	    (rc = db_sqlite_pragma(db, "PRAGMA secure_delete = ON", NULL, 0))) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return -1;
}

int
db_sqlite_schema_latest(void)
{
	int n = db_sqlite_migrations_count;

	return n > 0 ? db_sqlite_migrations[n - 1].version : 0;
}

int
db_sqlite_schema_version(sqlite3 *db)
{
	char buf[32];

	if (db_sqlite_pragma(db, "PRAGMA user_version", buf, sizeof(buf)) !=
	    SQLITE_OK)
		return -1;
	return atoi(buf);
}

int
db_sqlite_begin(sqlite3 *db)
{
	return sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
}

int
db_sqlite_commit(sqlite3 *db)
{
	return sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

void
db_sqlite_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int
db_sqlite_migrate(sqlite3 *db, int *applied, char *err, size_t errlen)
{
	char *msg = NULL;
	int   current, rc;

	*applied = 0;
	rc = sqlite3_exec(db,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	    " applied_at INTEGER NOT NULL)", NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		goto fail;
	current = db_sqlite_schema_version(db);
	if (current < 0) {
		rc = SQLITE_ERROR;
		goto fail;
	}
	if (current > db_sqlite_schema_latest()) {
		snprintf(err, errlen, "database schema %d is newer than this "
		    "program's (%d): upgrade icommit", current,
		    db_sqlite_schema_latest());
		return -1;
	}
	for (int i = 0; i < db_sqlite_migrations_count; i++) {
		const struct migration *m = &db_sqlite_migrations[i];
		sqlite3_stmt	       *st = NULL;
		char			pragma[64];

		if (m->version <= current)
			continue;
		if ((rc = db_sqlite_begin(db)) != SQLITE_OK)
			goto fail;
		rc = sqlite3_exec(db, m->sql, NULL, NULL, &msg);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "migration %s: %s", m->name,
			    msg ? msg : sqlite3_errstr(rc));
			sqlite3_free(msg);
			db_sqlite_rollback(db);
			return -1;
		}
		rc = sqlite3_prepare_v2(db, "INSERT INTO schema_migrations "
		    "(version, name, applied_at) VALUES (?, ?, ?)", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int(st, 1, m->version);
			sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, now_unix());
			rc = sqlite3_step(st);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		}
		sqlite3_finalize(st);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		    m->version);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, pragma, NULL, NULL, &msg);
		if (rc == SQLITE_OK)
			rc = db_sqlite_commit(db);
		if (rc != SQLITE_OK) {
			db_sqlite_rollback(db);
			goto fail;
		}
		(*applied)++;
	}
	return 0;
fail:
	snprintf(err, errlen, "migrating the database: %s",
	    msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int
db_sqlite_backup(sqlite3 *db, const char *dest, char *err, size_t errlen)
{
	sqlite3		*out = NULL;
	sqlite3_backup	*b;
	int		 rc;

	if (access(dest, F_OK) == 0) {
		snprintf(err, errlen, "%s: already exists", dest);
		return -1;
	}
	rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dest,
		    out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		sqlite3_close(out);
		return -1;
	}
	b = sqlite3_backup_init(out, "main", db, "main");
	if (b == NULL) {
		snprintf(err, errlen, "%s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		return -1;
	}
	/* Copy in steps so that writers are not held up for long. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: backup failed: %s", dest,
		    sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(dest);
		return -1;
	}
	rc = sqlite3_close(out);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dest, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

bool
db_sqlite_integrity_ok(sqlite3 *db)
{
	char buf[64] = "";

	return db_sqlite_pragma(db, "PRAGMA integrity_check", buf,
	    sizeof(buf)) == SQLITE_OK && strcmp(buf, "ok") == 0;
}
