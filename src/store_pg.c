/*
 * store_pg.c: the PostgreSQL driver of the storage layer (the struct
 * store_driver of store_driver.h, on libpq): statements and their runs,
 * transactions, streaming exports and staff's search words. A statement's
 * parameters and columns are store_pg_values.c's (the struct they share
 * is in store_pg_impl.h); connecting, failures, migrations and VACUUM are
 * db_pg.c's; a statement's text (placeholders) is db_pg_sql.c's.
 *
 * Statements: each is prepared once per connection (PQprepare, named s1,
 * s2, ...) from its set's sql_pg text or else the shared one, both with
 * SQLite's placeholders numbered $N (db_pg_sql). Parameters go as text
 * (an int64 printed into the statement's own buffer, no allocation) or,
 * for a blob, as binary; results come as text, every row of a run at
 * once (one PGresult: the wall and the staff lists read a page). A text
 * marked PG_PLAN_PER_RUN (store_impl.h) is prepared only to check it and
 * runs as the unnamed statement, planned with its values each time.
 *
 * Exports stream from a server-side cursor (DECLARE ... NO SCROLL CURSOR,
 * FETCH FORWARD 1000), in a read-only transaction of their own when none
 * is open: memory stays that of 1000 rows whatever the table's size, a
 * reader that stops early costs one CLOSE (single-row mode would have to
 * read the rest off the socket), and it costs one result per 1000 rows
 * instead of one allocation per row. The next FETCH is sent as soon as a
 * batch has come (PQsendQuery), so that the server makes the next 1000
 * rows while the caller formats these (a reader that stops early also
 * reads those off the socket). Nothing else may run on the connection
 * until the run ends (store_stream_rows' row function only formats): a
 * statement run meanwhile would take the place of the rows sent ahead,
 * and the run fails (DB_ERROR, logged).
 *
 * Round trips: BEGIN, SAVEPOINT and RELEASE are held back and sent in one
 * pipeline with the next statement (or the COMMIT). A lost connection
 * (the server restarted, pg_terminate_backend, a failover) fails what was
 * running with DB_BUSY (503) and the connection is made again at its next
 * use outside a transaction, every statement prepared again; a SELECT
 * outside a transaction, or a transaction of which nothing had reached
 * the server yet, runs again at once on the new connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_pg.h"
#include "log.h"
#include "store_driver.h"
#include "store_pg_impl.h"

/* The most words of a search (more are ignored), as SQLite's. */
#define SEARCH_MAX_WORDS 16
/* Rows fetched at a time from an export's cursor. */
#define PG_FETCH_ROWS	1000
#define PG_FETCH	"FETCH FORWARD 1000 FROM "
/* Savepoints per transaction: past 64 subtransactions PostgreSQL's
 * snapshots overflow their cache and slow every session down. */
#define PG_MAX_BATCH	64

static struct pg_conn *
conn(struct store *s)
{
	return s->conn;
}

static struct pg_stmt *
raw(struct stmt *st)
{
	return pg_raw(st);
}

/* ---- connections ---- */

static int
pg_open(struct store *s, const char *database, int flags, char *err,
    size_t errlen)
{
	struct pg_conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		log_fatal("out of memory");
	if (db_pg_connect(c, database, err, errlen) != 0) {
		free(c);
		return -1;
	}
	s->conn = c;
	if ((flags & STORE_READONLY) && db_pg_command(c, "SET "
	    "default_transaction_read_only = on", "read-only") != DB_OK) {
		snprintf(err, errlen, "cannot open the database read-only");
		return -1;
	}
	return 0;
}

static void
pg_close(struct store *s)
{
	if (s->conn != NULL)
		db_pg_close(conn(s));
	free(s->conn);
	s->conn = NULL;
}

static int
pg_schema_version(struct store *s)
{
	return db_pg_schema_version(conn(s));
}

static int
pg_migrate(struct store *s, int *applied, char *err, size_t errlen)
{
	return db_pg_migrate(conn(s), applied, err, errlen);
}

/* ---- statements ---- */

/* Whether text starts with word (case aside) and a space. */
static bool
starts_with(const char *text, const char *word)
{
	size_t n = strlen(word);

	text += strspn(text, " \t\n(");
	return strncasecmp(text, word, n) == 0 && text[n] == ' ';
}

static void
pg_finalize(struct stmt *base)
{
	struct pg_stmt *st = raw(base);

	for (int i = 0; i < st->nparams; i++)
		free(st->names[i]);
	free(st->names);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	free(st->num);
	PQclear(st->res);
	for (int i = 0; i < st->nblob; i++)
		PQfreemem(st->blob[i]);
	free(st->declare);
	free(st->sql);
	free(st);
}

/* Prepares st on its connection; NULL, or the failed result. */
static PGresult *
pg_parse(struct pg_stmt *st)
{
	PGresult *res = PQprepare(st->c->pg, st->name, st->sql, 0, NULL);

	if (!db_pg_ok(res))
		return res;
	PQclear(res);
	st->gen = st->c->gen;
	return NULL;
}

static struct stmt *
pg_prepare(struct store *s, const struct stmt_set *set, int id, char *err,
    size_t errlen)
{
	struct pg_conn *c = conn(s);
	struct pg_stmt *st = calloc(1, sizeof(*st));
	const char     *text = set->sql_pg != NULL && set->sql_pg[id] != NULL ?
	    set->sql_pg[id] : set->sql[id];
	size_t		n;
	PGresult       *res;

	if (st == NULL)
		log_fatal("out of memory");
	st->base.drv = &store_pg_driver;
	st->c = c;
	if (strncmp(text, PG_PLAN_PER_RUN, strlen(PG_PLAN_PER_RUN)) == 0) {
		st->per_run = true;
		text += strlen(PG_PLAN_PER_RUN);
	}
	if ((st->sql = db_pg_sql(text, &st->nparams, &st->names, err,
	    errlen)) == NULL) {
		free(st);
		return NULL;
	}
	n = (size_t)(st->nparams > 0 ? st->nparams : 1);
	st->values = calloc(n, sizeof(*st->values));
	st->lengths = calloc(n, sizeof(*st->lengths));
	st->formats = calloc(n, sizeof(*st->formats));
	st->num = calloc(n, sizeof(*st->num));
	if (!st->values || !st->lengths || !st->formats || !st->num)
		log_fatal("out of memory");
	snprintf(st->name, sizeof(st->name), "s%u", ++c->names);
	st->readonly = starts_with(st->sql, "SELECT");
	st->deferrable = starts_with(st->sql, "SAVEPOINT") ||
	    starts_with(st->sql, "RELEASE");
	/* At once, so that a text the schema cannot run is found when the
	 * store opens; but not inside a transaction (an aborted one refuses
	 * it) nor without a connection: then at the first run. */
	if (st->deferrable || c->in_txn || c->broken ||
	    (res = pg_parse(st)) == NULL)
		return &st->base;
	if (db_pg_lost(c, res)) {
		c->broken = true;
		PQclear(res);
		return &st->base;
	}
	snprintf(err, errlen, "%s", PQresultErrorField(res,
	    PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(res,
	    PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c->pg));
	PQclear(res);
	pg_finalize(&st->base);
	return NULL;
}

/* Ends st's run: its rows, its cursor (and the cursor's transaction), its
 * bindings. */
static void
pg_reset(struct stmt *base)
{
	struct pg_stmt *st = raw(base);
	struct pg_conn *c = st->c;
	PGresult       *r;

	PQclear(st->res);
	st->res = NULL;
	/* The rows of a FETCH sent ahead, not wanted now: read and dropped,
	 * so that the connection is free for the CLOSE. */
	while (st->ahead && (r = PQgetResult(c->pg)) != NULL)
		PQclear(r);
	st->ahead = false;
	st->running = false;
	st->row = st->nrows = 0;
	for (int i = 0; i < st->nblob; i++)
		PQfreemem(st->blob[i]);
	st->nblob = 0;
	if (st->cursor && !c->broken) {
		char close[32];

		snprintf(close, sizeof(close), "CLOSE c%s", st->name);
		(void)db_pg_command(c, close, "export");
	}
	if (st->own_txn && c->in_txn) {
		if (c->txn_sent && !c->broken)
			(void)db_pg_command(c, "COMMIT", "export");
		c->in_txn = c->txn_sent = false;
		c->ndeferred = 0;
	}
	st->stream = st->cursor = st->own_txn = st->more = false;
	memset(st->values, 0, (size_t)st->nparams * sizeof(*st->values));
	memset(st->formats, 0, (size_t)st->nparams * sizeof(*st->formats));
}

/*
 * Sends c's deferred commands and then one statement (prepared, or text
 * with parameters) in one pipeline; returns the statement's result, or
 * the failed result of a deferred command (NULL when the connection
 * failed before any). The deferred commands are gone either way.
 */
static PGresult *
pg_pipeline(struct pg_conn *c, const char *name, const char *text, int n,
    const char *const *values, const int *lengths, const int *formats)
{
	PGresult *out = NULL, *r;
	int	  nd = c->ndeferred, ok = 1;

	c->ndeferred = 0;
	if (!PQenterPipelineMode(c->pg))
		return NULL;
	for (int i = 0; ok && i < nd; i++)
		ok = PQsendQueryParams(c->pg, c->deferred[i], 0, NULL, NULL,
		    NULL, NULL, 0);
	if (ok && name != NULL)
		ok = PQsendQueryPrepared(c->pg, name, n, values, lengths,
		    formats, 0);
	else if (ok)
		ok = PQsendQueryParams(c->pg, text, n, NULL, values, lengths,
		    formats, 0);
	if (ok && PQpipelineSync(c->pg)) {
		/* Each query's results end with a NULL; then the sync. */
		for (int q = 0; q <= nd; q++)
			while ((r = PQgetResult(c->pg)) != NULL) {
				if (out == NULL && (q == nd || !db_pg_ok(r)))
					out = r;
				else
					PQclear(r);
			}
		while ((r = PQgetResult(c->pg)) != NULL &&
		    PQresultStatus(r) != PGRES_PIPELINE_SYNC)
			PQclear(r);
		PQclear(r);
	}
	if (!PQexitPipelineMode(c->pg))
		c->broken = true;
	return out;
}

/*
 * Runs one statement on c after its deferred commands: st prepared (text
 * NULL), or text with st's parameters (st may be NULL: none). Returns the
 * result, or NULL with *e set (logged as what) on a failure. A lost
 * connection is made again and the statement run again at once when
 * nothing is lost by it: a read outside a transaction (readonly), or a
 * transaction that had not reached the server yet.
 */
static PGresult *
pg_run(struct pg_conn *c, struct pg_stmt *st, const char *text,
    bool readonly, const char *what, enum db_err *e)
{
	const char *saved[DB_PG_DEFERRED];
	int	    nsaved = c->ndeferred, n = st != NULL ? st->nparams : 0;
	PGresult   *res;

	memcpy(saved, c->deferred, sizeof(saved));
	for (int attempt = 0;; attempt++) {
		bool was_sent = c->txn_sent;

		if (c->broken) {
			if ((c->in_txn && c->txn_sent) ||
			    db_pg_reconnect(c) != 0) {
				*e = DB_BUSY;
				return NULL;
			}
			memcpy(c->deferred, saved, sizeof(saved));
			c->ndeferred = nsaved;
		}
		res = NULL;
		if (text == NULL && st->gen != c->gen)
			res = pg_parse(st);
		if (res == NULL && c->ndeferred > 0)
			res = pg_pipeline(c, text ? NULL : st->name, text, n,
			    n ? st->values : NULL, n ? st->lengths : NULL,
			    n ? st->formats : NULL);
		else if (res == NULL && text == NULL)
			res = PQexecPrepared(c->pg, st->name, n, st->values,
			    st->lengths, st->formats, 0);
		else if (res == NULL)
			res = PQexecParams(c->pg, text, n, NULL,
			    n ? st->values : NULL, n ? st->lengths : NULL,
			    n ? st->formats : NULL, 0);
		if (c->in_txn)
			c->txn_sent = true;
		if (db_pg_ok(res))
			return res;
		if (attempt == 0 && db_pg_lost(c, res) &&
		    (c->in_txn ? !was_sent : readonly)) {
			log_info("%s: the connection to the database was lost; "
			    "connecting again", what);
			PQclear(res);
			c->broken = true;
			c->txn_sent = false;
			continue;
		}
		*e = db_pg_fail(c, res, what);
		PQclear(res);
		return NULL;
	}
}

/* Records the rows an INSERT, UPDATE or DELETE changed. */
static void
pg_count_changes(struct pg_conn *c, PGresult *res)
{
	const char *cmd = PQcmdStatus(res), *n = PQcmdTuples(res);

	if (*n != '\0' && strncmp(cmd, "SELECT", 6) != 0 &&
	    strncmp(cmd, "FETCH", 5) != 0)
		c->changes = strtoll(n, NULL, 10);
}

/* The text that fetches st's cursor's next rows into fetch. */
static void
pg_fetch_text(const struct pg_stmt *st, char fetch[48])
{
	snprintf(fetch, 48, PG_FETCH "c%s", st->name);
}

/*
 * Sends the FETCH of st's cursor's next rows without waiting for them:
 * the server makes them while the caller reads the rows at hand, and
 * pg_fetch_wait reads them. When it cannot be sent, nothing is pending
 * and the next step runs the FETCH as usual (and meets the failure).
 */
static void
pg_fetch_send(struct pg_stmt *st)
{
	char fetch[48];

	pg_fetch_text(st, fetch);
	st->ahead = PQsendQuery(st->c->pg, fetch) == 1;
}

/* The rows of the FETCH pg_fetch_send sent; NULL with *e set (logged as
 * what) on a failure. */
static PGresult *
pg_fetch_wait(struct pg_stmt *st, const char *what, enum db_err *e)
{
	struct pg_conn *c = st->c;
	PGresult       *res = NULL, *r;

	st->ahead = false;
	while ((r = PQgetResult(c->pg)) != NULL) {
		if (res == NULL)
			res = r;
		else
			PQclear(r);
	}
	if (res == NULL) {
		/* Another command on the connection took the rows (PQexec
		 * drops what is pending): they are lost, the run fails. */
		log_error("%s: the rows fetched ahead were lost: a statement "
		    "ran on the connection during a streamed run", what);
		*e = DB_ERROR;
		return NULL;
	}
	if (db_pg_ok(res))
		return res;
	*e = db_pg_fail(c, res, what);
	PQclear(res);
	return NULL;
}

/* The first rows of a streamed run: its cursor (in a transaction of its
 * own when none is open), then the first FETCH. */
static PGresult *
pg_stream_open(struct pg_stmt *st, const char *what, enum db_err *e)
{
	struct pg_conn *c = st->c;
	char		fetch[48];
	PGresult       *res;

	if (st->declare == NULL) {
		size_t len = strlen(st->sql) + 64;

		if ((st->declare = malloc(len)) == NULL)
			log_fatal("out of memory");
		snprintf(st->declare, len, "DECLARE c%s NO SCROLL CURSOR FOR %s",
		    st->name, st->sql);
	}
	if (!c->in_txn) {
		if (c->broken && db_pg_reconnect(c) != 0) {
			*e = DB_BUSY;
			return NULL;
		}
		c->in_txn = true;
		c->txn_sent = false;
		c->deferred[0] = "BEGIN READ ONLY";
		c->ndeferred = 1;
		st->own_txn = true;
	}
	if ((res = pg_run(c, st, st->declare, true, what, e)) == NULL)
		return NULL;
	PQclear(res);
	st->cursor = true;
	pg_fetch_text(st, fetch);
	return pg_run(c, NULL, fetch, false, what, e);
}

static enum db_err
pg_step(struct store *s, struct stmt *base, bool *row, const char *what)
{
	struct pg_stmt *st = raw(base);
	struct pg_conn *c = conn(s);
	enum db_err	e = DB_OK;

	*row = false;
	for (int i = 0; i < st->nblob; i++)
		PQfreemem(st->blob[i]);
	st->nblob = 0;
	if (st->running && ++st->row < st->nrows) {
		*row = true;
		return DB_OK;
	}
	if (st->running && !st->more)
		return DB_OK;
	if (!st->running && st->deferrable && c->in_txn && !c->broken &&
	    c->ndeferred < DB_PG_DEFERRED) {
		/* Sent with the next statement, which fails if this did. */
		c->deferred[c->ndeferred++] = st->sql;
		st->running = true;
		return DB_OK;
	}
	PQclear(st->res);
	if (st->running && st->ahead)	/* the next rows of the cursor */
		st->res = pg_fetch_wait(st, what, &e);
	else if (st->running) {
		char fetch[48];

		pg_fetch_text(st, fetch);
		st->res = pg_run(c, NULL, fetch, false, what, &e);
	} else if (st->stream)
		st->res = pg_stream_open(st, what, &e);
	else
		st->res = pg_run(c, st, st->per_run ? st->sql : NULL,
		    st->readonly, what, &e);
	if (st->res == NULL) {
		pg_reset(base);
		return e;
	}
	pg_count_changes(c, st->res);
	st->running = true;
	st->row = 0;
	st->nrows = PQntuples(st->res);
	st->more = st->cursor && st->nrows == PG_FETCH_ROWS;
	if (st->more)
		pg_fetch_send(st);
	*row = st->nrows > 0;
	return DB_OK;
}

static void
pg_stream(struct stmt *base)
{
	raw(base)->stream = true;
}

static int64_t
pg_changes(struct store *s)
{
	return conn(s)->changes;
}

/* Every INSERT of this engine whose id is wanted ends in RETURNING id: no
 * row means that it inserted nothing (store_insert: DB_RETRY). */
static int64_t
pg_last_insert_id(struct store *s)
{
	(void)s;
	return 0;
}

/* ---- transactions ---- */

/* BEGIN (READ COMMITTED: the statements lock the rows they change, and
 * the event of a registration FOR UPDATE), held back until the first
 * statement. */
static enum db_err
pg_begin(struct store *s)
{
	struct pg_conn *c = conn(s);

	if (c->in_txn) {
		log_error("begin: a transaction is already open");
		return DB_ERROR;
	}
	if (c->broken && db_pg_reconnect(c) != 0)
		return DB_BUSY;
	c->in_txn = true;
	c->txn_sent = false;
	c->deferred[0] = "BEGIN";
	c->ndeferred = 1;
	return DB_OK;
}

static enum db_err
pg_commit(struct store *s)
{
	struct pg_conn *c = conn(s);
	enum db_err	e = DB_OK;
	PGresult       *res;

	if (!c->in_txn) {
		log_error("commit: no transaction is open");
		return DB_ERROR;
	}
	if (!c->txn_sent)	/* nothing of it ran */
		c->ndeferred = 0;
	else if ((res = pg_run(c, NULL, "COMMIT", false, "commit", &e)) !=
	    NULL) {
		/* A transaction that had failed answers COMMIT with ROLLBACK. */
		if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
			log_error("commit: the transaction had failed and was "
			    "rolled back");
			e = DB_ERROR;
		}
		PQclear(res);
	}
	c->in_txn = c->txn_sent = false;
	c->ndeferred = 0;
	return e;
}

static void
pg_rollback(struct store *s)
{
	struct pg_conn *c = conn(s);

	if (!c->in_txn)
		return;
	c->ndeferred = 0;
	if (c->txn_sent && !c->broken)
		(void)db_pg_command(c, "ROLLBACK", "rollback");
	c->in_txn = c->txn_sent = false;
}

static bool
pg_in_txn(struct store *s)
{
	return conn(s)->in_txn && !conn(s)->broken;
}

/* ---- the connection as a whole ---- */

static void
pg_tune(struct store *s, enum store_role role)
{
	db_pg_tune(conn(s), role == STORE_ROLE_WRITER);
}

/* The server keeps its own cache: nothing to give back. */
static void
pg_release_memory(struct store *s)
{
	(void)s;
}

/* No WAL of ours to fold back: the server checkpoints. */
static enum db_err
pg_checkpoint(struct store *s, enum store_ckpt mode, int64_t *frames,
    int64_t *left)
{
	(void)s;
	(void)mode;
	if (frames != NULL)
		*frames = 0;
	if (left != NULL)
		*left = 0;
	return DB_OK;
}

static int
pg_backup(struct store *s, const char *dest, char *err, size_t errlen)
{
	(void)s;
	(void)dest;
	snprintf(err, errlen, "a PostgreSQL database is not copied by "
	    "icommitctl: use pg_dump (see docs/deploy.md, section 13)");
	return -1;
}

static bool
pg_integrity_ok(struct store *s)
{
	return db_pg_integrity_ok(conn(s));
}

static int
pg_vacuum(struct store *s, bool full, char *err, size_t errlen)
{
	return db_pg_vacuum(conn(s), full, err, errlen);
}

/*
 * Staff's search words for consultants_tsquery (sql/pg/006), which makes
 * each word of the text, unaccented and lower-cased by the parser of the
 * indexed documents, a quoted prefix ('gest':*), ANDed, so that nothing
 * in the input is an operator: here only the cap of SQLite's driver (the
 * first SEARCH_MAX_WORDS words, split at spaces and tabs). NULL without
 * words; else the caller frees.
 */
static char *
pg_search_query(const char *q)
{
	size_t len = strlen(q), words = 0, o = 0;
	char  *m;

	if ((m = malloc(len + 1)) == NULL)
		log_fatal("out of memory");
	for (size_t i = 0; i < len && words < SEARCH_MAX_WORDS; words++) {
		while (i < len && (q[i] == ' ' || q[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (o > 0)
			m[o++] = ' ';
		for (; i < len && q[i] != ' ' && q[i] != '\t'; i++)
			m[o++] = q[i];
	}
	m[o] = '\0';
	if (o == 0) {
		free(m);
		return NULL;
	}
	return m;
}

const struct store_driver store_pg_driver = {
	.name = "postgresql",
	.max_batch = PG_MAX_BATCH,
	.row_locks = true,
	.open = pg_open,
	.close = pg_close,
	.schema_latest = db_pg_schema_latest,
	.schema_version = pg_schema_version,
	.migrate = pg_migrate,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.step = pg_step,
	.reset = pg_reset,
	.stream = pg_stream,
	.changes = pg_changes,
	.last_insert_id = pg_last_insert_id,
	.bind_index = pg_bind_index,
	.bind_int64 = pg_bind_int64,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_type = pg_col_type,
	.col_int64 = pg_col_int64,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_txn = pg_in_txn,
	.tune = pg_tune,
	.release_memory = pg_release_memory,
	.checkpoint = pg_checkpoint,
	.backup = pg_backup,
	.integrity_ok = pg_integrity_ok,
	.vacuum = pg_vacuum,
	.search_query = pg_search_query,
};
