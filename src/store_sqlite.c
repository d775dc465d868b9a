/*
 * store_sqlite.c: the SQLite driver of the storage layer (the struct
 * store_driver of store_driver.h): statements (prepared once per
 * connection, stepped, reset), their parameters and columns,
 * transactions, the tuning of a worker's and the writer's connection,
 * WAL checkpoints, VACUUM, and the FTS5 query of staff's search words.
 * Opening the file, migrations, backup and the integrity check are
 * db_sqlite.c's.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_sqlite.h"
#include "log.h"
#include "store_driver.h"

/* The most words of a search (more are ignored). */
#define SEARCH_MAX_WORDS 16

struct sqlite_stmt {
	struct stmt   base;	/* first: a struct stmt * is one of these */
	sqlite3_stmt *st;
};

static sqlite3 *
conn(struct store *s)
{
	return s->conn;
}

static sqlite3_stmt *
raw(struct stmt *st)
{
	return ((struct sqlite_stmt *)st)->st;
}

/* ---- connections ---- */

static int
sqlite_open(struct store *s, const char *path, int flags, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;
	char	 err2[256];
	int	 oflags = 0;

	if (flags & STORE_CREATE)
		oflags |= DB_SQLITE_CREATE;
	if (flags & STORE_READONLY)
		oflags |= DB_SQLITE_READONLY;
	if (db_sqlite_open(path, oflags, &db, err, errlen) == 0) {
		s->conn = db;
		return 0;
	}
	/* On a read-only file system SQLite cannot set up WAL: serve reads
	 * from an immutable view; writes get 503 until the writer finds the
	 * file writable again. */
	if (!(flags & STORE_OR_IMMUTABLE) || access(path, F_OK) != 0 ||
	    db_sqlite_open(path, DB_SQLITE_IMMUTABLE, &db, err2,
	    sizeof(err2)) != 0)
		return -1;
	s->conn = db;
	s->readonly = true;
	return 0;
}

static void
sqlite_close(struct store *s)
{
	sqlite3_close(conn(s));
	s->conn = NULL;
}

static int
sqlite_schema_version(struct store *s)
{
	return db_sqlite_schema_version(conn(s));
}

static int
sqlite_migrate(struct store *s, int *applied, char *err, size_t errlen)
{
	return db_sqlite_migrate(conn(s), applied, err, errlen);
}

/* ---- statements ---- */

/* Logs a failure rc of what, resets st (if any) and maps rc. */
static enum db_err
sqlite_fail(struct store *s, struct stmt *st, int rc, const char *what)
{
	log_error("%s: %s (%d)", what, sqlite3_errmsg(conn(s)), rc);
	if (st != NULL) {
		sqlite3_reset(raw(st));
		sqlite3_clear_bindings(raw(st));
	}
	return db_sqlite_err(rc);
}

static struct stmt *
sqlite_prepare(struct store *s, const struct stmt_set *set, int id,
    char *err, size_t errlen)
{
	struct sqlite_stmt *st = calloc(1, sizeof(*st));

	if (st == NULL)
		log_fatal("out of memory");
	if (sqlite3_prepare_v3(conn(s), set->sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &st->st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(conn(s)));
		sqlite3_finalize(st->st);
		free(st);
		return NULL;
	}
	st->base.drv = &store_sqlite_driver;
	return &st->base;
}

static void
sqlite_finalize(struct stmt *st)
{
	sqlite3_finalize(raw(st));
	free(st);
}

static enum db_err
sqlite_step(struct store *s, struct stmt *st, bool *row, const char *what)
{
	int rc = sqlite3_step(raw(st));

	*row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sqlite_fail(s, st, rc, what);
	return DB_OK;
}

static void
sqlite_reset(struct stmt *st)
{
	sqlite3_reset(raw(st));
	sqlite3_clear_bindings(raw(st));
}

/* SQLite steps row by row anyway: nothing to do for a stream. */
static void
sqlite_stream(struct stmt *st)
{
	(void)st;
}

static int64_t
sqlite_changes(struct store *s)
{
	return sqlite3_changes64(conn(s));
}

static int64_t
sqlite_last_insert_id(struct store *s)
{
	return sqlite3_last_insert_rowid(conn(s));
}

static int
sqlite_bind_index(struct stmt *st, const char *name)
{
	return sqlite3_bind_parameter_index(raw(st), name);
}

static void
sqlite_bind_int64(struct stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(raw(st), i, v);
}

static void
sqlite_bind_text(struct stmt *st, int i, const char *v)
{
	sqlite3_bind_text(raw(st), i, v, -1, SQLITE_STATIC);
}

static void
sqlite_bind_blob(struct stmt *st, int i, const void *v, size_t len)
{
	sqlite3_bind_blob64(raw(st), i, v, len, SQLITE_STATIC);
}

static void
sqlite_bind_null(struct stmt *st, int i)
{
	sqlite3_bind_null(raw(st), i);
}

static int
sqlite_col_count(struct stmt *st)
{
	return sqlite3_column_count(raw(st));
}

static const char *
sqlite_col_name(struct stmt *st, int col)
{
	return sqlite3_column_name(raw(st), col);
}

static enum col_type
sqlite_col_type(struct stmt *st, int col)
{
	switch (sqlite3_column_type(raw(st), col)) {
	case SQLITE_NULL:
		return COL_NULL;
	case SQLITE_INTEGER:
		return COL_INT;
	default:
		return COL_OTHER;
	}
}

static int64_t
sqlite_col_int64(struct stmt *st, int col)
{
	return sqlite3_column_int64(raw(st), col);
}

/* The text, then its length (SQLite's order: the text first). */
static const char *
sqlite_col_text(struct stmt *st, int col, size_t *len)
{
	const char *t = (const char *)sqlite3_column_text(raw(st), col);

	if (len != NULL)
		*len = t != NULL ? (size_t)sqlite3_column_bytes(raw(st), col) : 0;
	return t;
}

static const void *
sqlite_col_blob(struct stmt *st, int col, size_t *len)
{
	const void *b = sqlite3_column_blob(raw(st), col);

	*len = (size_t)sqlite3_column_bytes(raw(st), col);
	return b;
}

/* ---- transactions ---- */

static enum db_err
sqlite_begin(struct store *s)
{
	int rc = db_sqlite_begin(conn(s));

	return rc == SQLITE_OK ? DB_OK : sqlite_fail(s, NULL, rc, "begin");
}

static enum db_err
sqlite_commit(struct store *s)
{
	int rc = db_sqlite_commit(conn(s));

	return rc == SQLITE_OK ? DB_OK : sqlite_fail(s, NULL, rc, "commit");
}

static void
sqlite_rollback(struct store *s)
{
	db_sqlite_rollback(conn(s));
}

static bool
sqlite_in_txn(struct store *s)
{
	return !sqlite3_get_autocommit(conn(s));
}

/* ---- the connection as a whole ---- */

static void
sqlite_tune(struct store *s, enum store_role role)
{
	switch (role) {
	case STORE_ROLE_WORKER:
		/* Reads touch a few pages (a campaign, a counter, a page of
		 * the wall): a small page cache does (SQLite's default is 2
		 * MiB a connection; see the idle RSS target in
		 * docs/performance.md). */
		sqlite3_exec(conn(s), "PRAGMA cache_size = -256", NULL, NULL,
		    NULL);
		break;
	case STORE_ROLE_WRITER:
		/* The writer checkpoints when idle instead of inside a
		 * commit, and after a checkpoint a WAL that grew past 64 MiB
		 * is truncated. */
		sqlite3_exec(conn(s), "PRAGMA wal_autocheckpoint = 0", NULL,
		    NULL, NULL);
		sqlite3_exec(conn(s), "PRAGMA journal_size_limit = 67108864",
		    NULL, NULL, NULL);
		break;
	}
}

static void
sqlite_release_memory(struct store *s)
{
	sqlite3_db_release_memory(conn(s));
}

/* A WAL checkpoint (store_ckpt); failures other than busy logged. */
static enum db_err
sqlite_checkpoint(struct store *s, enum store_ckpt mode, int64_t *frames,
    int64_t *left)
{
	sqlite3_file *file = NULL;
	int	      log = 0, done = 0;
	int	      rc = sqlite3_wal_checkpoint_v2(conn(s), NULL,
	    mode == STORE_CKPT_TRUNCATE ? SQLITE_CHECKPOINT_TRUNCATE :
	    SQLITE_CHECKPOINT_PASSIVE, &log, &done);

	if (rc == SQLITE_OK && mode == STORE_CKPT_FLUSH && done > 0 &&
	    sqlite3_file_control(conn(s), "main", SQLITE_FCNTL_FILE_POINTER,
	    &file) == SQLITE_OK && file != NULL && file->pMethods != NULL &&
	    (rc = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL |
	    SQLITE_SYNC_DATAONLY)) != SQLITE_OK) {
		log_error("checkpoint: syncing the database file failed (%d)",
		    rc);
		return db_sqlite_err(rc);
	}
	if (rc == SQLITE_OK) {
		if (frames != NULL)
			*frames = log;
		if (left != NULL)
			*left = log - done;
		return DB_OK;
	}
	if (rc != SQLITE_BUSY)
		log_error("checkpoint: %s", sqlite3_errmsg(conn(s)));
	return db_sqlite_err(rc);
}

/* ---- the writer's deferred sync ---- */

/*
 * The WAL file, open for fdatasync(2). In WAL mode with synchronous =
 * NORMAL a commit writes its frames without syncing them; an fdatasync of
 * the WAL then makes them durable exactly as synchronous = FULL would
 * have inside the commit. (SQLite still syncs the WAL's header when it
 * starts the file over, and the WAL and the database around every
 * checkpoint, as with FULL.) The file is opened by path, so sync checks
 * that the path still names it.
 */
struct sqlite_syncer {
	struct store_syncer base;
	int		    fd;
	dev_t		    dev;
	ino_t		    ino;
	char		    path[];
};

/* (Re)opens y->fd on y->path: 0, or -1 with errno set. */
static int
sqlite_syncer_reopen(struct sqlite_syncer *y)
{
	struct stat st;
	int	    fd = open(y->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	if (y->fd >= 0)
		close(y->fd);
	y->fd = fd;
	y->dev = st.st_dev;
	y->ino = st.st_ino;
	return 0;
}

static struct store_syncer *
sqlite_syncer_open(struct store *s)
{
	const char	     *wal = sqlite3_filename_wal(
	    sqlite3_db_filename(conn(s), "main"));
	struct sqlite_syncer *y;

	if (wal == NULL || *wal == '\0')
		return NULL;
	/* A read makes SQLite open (or create) the WAL file. */
	if (sqlite3_exec(conn(s), "PRAGMA schema_version", NULL, NULL,
	    NULL) != SQLITE_OK)
		return NULL;
	if ((y = calloc(1, sizeof(*y) + strlen(wal) + 1)) == NULL)
		log_fatal("out of memory");
	y->base.drv = s->drv;
	y->fd = -1;
	strcpy(y->path, wal);
	if (sqlite_syncer_reopen(y) != 0) {
		log_error("opening the WAL to sync it: %s", strerror(errno));
		free(y);
		return NULL;
	}
	sqlite3_exec(conn(s), "PRAGMA synchronous = NORMAL", NULL, NULL,
	    NULL);
	return &y->base;
}

static int
sqlite_syncer_sync(struct store_syncer *base)
{
	struct sqlite_syncer *y = (struct sqlite_syncer *)base;
	struct stat	      st;

	/* While the writer's connection is open SQLite keeps the WAL (it
	 * truncates it, never deletes it); should the name ever lead
	 * elsewhere, sync the file it names now. */
	if (stat(y->path, &st) == 0 &&
	    (st.st_dev != y->dev || st.st_ino != y->ino) &&
	    sqlite_syncer_reopen(y) != 0)
		return -1;
	return fdatasync(y->fd);
}

static void
sqlite_syncer_close(struct store *s, struct store_syncer *base)
{
	struct sqlite_syncer *y = (struct sqlite_syncer *)base;

	sqlite3_exec(conn(s), "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	close(y->fd);
	free(y);
}

static int
sqlite_backup(struct store *s, const char *dest, char *err, size_t errlen)
{
	return db_sqlite_backup(conn(s), dest, err, errlen);
}

static bool
sqlite_integrity_ok(struct store *s)
{
	return db_sqlite_integrity_ok(conn(s));
}

/* VACUUM rebuilds the whole file (full or not): no free page is left. */
static int
sqlite_vacuum(struct store *s, bool full, char *err, size_t errlen)
{
	int rc;

	(void)full;
	if ((rc = sqlite3_exec(conn(s), "VACUUM", NULL, NULL, NULL)) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "VACUUM: %s", sqlite3_errmsg(conn(s)));
		return -1;
	}
	return 0;
}

/*
 * Staff's search words as an FTS5 query (the consultants_fts index,
 * whose tokenizer folds case and accents): each word, split at spaces and
 * tabs, becomes a quoted FTS5 string with a prefix star ("gest"* finds
 * "gestión"), so that operators and quotes in the input are only words;
 * the words are ANDed, at most SEARCH_MAX_WORDS of them. NULL without
 * words; else the caller frees.
 */
static char *
sqlite_search_query(const char *q)
{
	size_t len = strlen(q), words = 0, o = 0;
	char  *m;

	/* Each byte may be doubled (a quote) plus 4 per word: '"', '"*', ' '. */
	if ((m = malloc(2 * len + 4 * (SEARCH_MAX_WORDS + 1) + 1)) == NULL)
		log_fatal("out of memory");
	for (size_t i = 0; i < len && words < SEARCH_MAX_WORDS;) {
		while (i < len && (q[i] == ' ' || q[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (o > 0)
			m[o++] = ' ';
		m[o++] = '"';
		for (; i < len && q[i] != ' ' && q[i] != '\t'; i++) {
			if (q[i] == '"')
				m[o++] = '"';
			m[o++] = q[i];
		}
		m[o++] = '"';
		m[o++] = '*';
		words++;
	}
	m[o] = '\0';
	if (words == 0) {
		free(m);
		return NULL;
	}
	return m;
}

const struct store_driver store_sqlite_driver = {
	.name = "sqlite",
	.max_batch = 0,
	.row_locks = false,
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_latest = db_sqlite_schema_latest,
	.schema_version = sqlite_schema_version,
	.migrate = sqlite_migrate,
	.prepare = sqlite_prepare,
	.finalize = sqlite_finalize,
	.step = sqlite_step,
	.reset = sqlite_reset,
	.stream = sqlite_stream,
	.changes = sqlite_changes,
	.last_insert_id = sqlite_last_insert_id,
	.bind_index = sqlite_bind_index,
	.bind_int64 = sqlite_bind_int64,
	.bind_text = sqlite_bind_text,
	.bind_blob = sqlite_bind_blob,
	.bind_null = sqlite_bind_null,
	.col_count = sqlite_col_count,
	.col_name = sqlite_col_name,
	.col_type = sqlite_col_type,
	.col_int64 = sqlite_col_int64,
	.col_text = sqlite_col_text,
	.col_blob = sqlite_col_blob,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.in_txn = sqlite_in_txn,
	.tune = sqlite_tune,
	.release_memory = sqlite_release_memory,
	.checkpoint = sqlite_checkpoint,
	.backup = sqlite_backup,
	.integrity_ok = sqlite_integrity_ok,
	.syncer_open = sqlite_syncer_open,
	.syncer_sync = sqlite_syncer_sync,
	.syncer_close = sqlite_syncer_close,
	.vacuum = sqlite_vacuum,
	.search_query = sqlite_search_query,
};
