/*
 * test_pg_driver.c: the PostgreSQL driver (src/store_pg.c, db_pg.c,
 * db_pg_sql.c). Without arguments: the translation of placeholders, a
 * table of statements and what they become (no server). With the URIs of
 * two empty databases (tests/pg/check-driver.sh makes them on a
 * throwaway cluster): two migrators at once, every statement prepared,
 * parameters and columns of each type (bytea both ways, bool, numeric,
 * NULL), named parameters, a streamed export across FETCH batches and one
 * stopped early, SQLSTATEs to db_err, a lost connection
 * (pg_terminate_backend) inside and outside a transaction, the writer
 * running a batch again on a serialization failure, a statement planned
 * at each run (PG_PLAN_PER_RUN), and what the
 * connection does as a whole (VACUUM, backup refused, no checkpoint).
 *   test_pg_driver [URI MIGRATE_URI]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/check.h"
#include "db_pg.h"
#include "log.h"
#include "store_campaigns.h"
#include "store_driver.h"
#include "store_outbox.h"
#include "store_pledges.h"
#include "store_staff.h"
#include "store_tokens.h"
#include "token.h"
#include "writer.h"

/* ---- placeholders (no server) ---- */

static const struct {
	const char *sql, *want;
	int	    n;
	const char *names;	/* the named ones, "1:key 2:now", or "" */
} translations[] = {
	{ "SELECT 1", "SELECT 1", 0, "" },
	{ "SELECT ?", "SELECT $1", 1, "" },
	{ "?, ?, ?", "$1, $2, $3", 3, "" },
	/* SQLite's numbering: ? is one more than the largest so far */
	{ "?2, ?, ?1", "$2, $3, $1", 3, "" },
	{ "?10 = ?10", "$10 = $10", 10, "" },
	{ ":key = :key AND x < :now", "$1 = $1 AND x < $2", 2, "1::key 2::now" },
	{ "?3 OR :k", "$3 OR $4", 4, "4::k" },
	/* what is not a placeholder */
	{ "'?' || ? || ':x'", "'?' || $1 || ':x'", 1, "" },
	{ "'it''s ?' = ?", "'it''s ?' = $1", 1, "" },
	{ "\"a?\" = ?", "\"a?\" = $1", 1, "" },
	{ "\"a\"\"?\" = ?", "\"a\"\"?\" = $1", 1, "" },
	{ "-- ?\nSELECT ?", "-- ?\nSELECT $1", 1, "" },
	{ "/* ? :x */ ?", "/* ? :x */ $1", 1, "" },
	{ "a::text = ?1::bigint", "a::text = $1::bigint", 1, "" },
	{ ":key::text IS NULL", "$1::text IS NULL", 1, "1::key" },
	{ "c.expertise::jsonb", "c.expertise::jsonb", 0, "" },
	{ "name LIKE '%' || ?2 || '%' ESCAPE '\\'",
	  "name LIKE '%' || $2 || '%' ESCAPE '\\'", 2, "" },
	{ "x = ':'", "x = ':'", 0, "" },
	{ "'unterminated ?", "'unterminated ?", 0, "" },
};

static const char *const bad_translations[] = { "?0", "?1000", "? ?1000" };

static void
test_translations(void)
{
	char err[128];

	for (size_t i = 0; i < sizeof(translations) / sizeof(translations[0]);
	    i++) {
		char  **names = NULL, got[256] = "";
		int	n = -1;
		char   *out;

		check_context("translate %s", translations[i].sql);
		out = db_pg_sql(translations[i].sql, &n, &names, err,
		    sizeof(err));
		CHECK(out != NULL);
		if (out == NULL)
			continue;
		CHECK_STR(out, translations[i].want);
		CHECK_INT(n, translations[i].n);
		for (int k = 0; k < n; k++)
			if (names[k] != NULL)
				snprintf(got + strlen(got), sizeof(got) -
				    strlen(got), "%s%d:%s", got[0] ? " " : "",
				    k + 1, names[k]);
		CHECK_STR(got, translations[i].names);
		for (int k = 0; k < n; k++)
			free(names[k]);
		free(names);
		free(out);
	}
	for (size_t i = 0; i < sizeof(bad_translations) /
	    sizeof(bad_translations[0]); i++) {
		char **names;
		int    n;

		check_context("refused %s", bad_translations[i]);
		CHECK(db_pg_sql(bad_translations[i], &n, &names, err,
		    sizeof(err)) == NULL);
		CHECK(strstr(err, "placeholder") != NULL);
	}
	check_context("%s", "");
}

/* ---- against a server ---- */

/* The campaign the pledges and counters of these tests use. */
static int64_t campaign;

/* The test's own statements, prepared through the driver. */
enum test_stmt {
	T_PID,
	T_KILL,
	T_TYPES,
	T_NAMED,
	T_SERIES,
	T_FAIL_40001,
	T_FAIL_40P01,
	T_FAIL_53100,
	T_FAIL_25006,
	T_FAIL_22P02,
	T_FIND_PLAIN,
	T_GENERIC_FINDS,
	T__MAX
};

static const char *const test_sql[T__MAX] = {
	[T_PID] = "SELECT pg_backend_pid()",
	[T_KILL] = "SELECT pg_terminate_backend(?1::int)",
	[T_TYPES] = "SELECT 1::int2 AS a, 2::int4, 3000000000::int8, true, "
	    "false, NULL::text, 'x', 12::numeric, 1.5::numeric, "
	    "'\\x00ff5c27'::bytea, ?1::bytea",
	[T_NAMED] = "SELECT :b::int - :a::int, :a::int",
	[T_SERIES] = "SELECT g, 'row ' || g FROM generate_series(1, ?1::int) g",
	[T_FAIL_40001] = "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = "
	    "'40001'; END $$",
	[T_FAIL_40P01] = "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = "
	    "'40P01'; END $$",
	[T_FAIL_53100] = "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = "
	    "'53100'; END $$",
	[T_FAIL_25006] = "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = "
	    "'25006'; END $$",
	[T_FAIL_22P02] = "SELECT ?1::int",
	/* store_pledge_find's text, prepared as any other statement. */
	[T_FIND_PLAIN] = "SELECT id, status FROM pledges "
	    "WHERE campaign_id = ? AND email_key = ?",
	/* This session's prepared finds that ran a generic plan. */
	[T_GENERIC_FINDS] = "SELECT count(*) FROM pg_prepared_statements "
	    "WHERE generic_plans > 0 AND statement LIKE "
	    "'%FROM pledges WHERE campaign_id = $1 AND email_key = $2'",
};

static const struct stmt_set test_set = { "test", test_sql, NULL, T__MAX };

/* Statement id of the test set on s (prepared now; freed by tfree). */
static struct stmt *
tprep(struct store *s, enum test_stmt id)
{
	char	     err[256];
	struct stmt *st = s->drv->prepare(s, &test_set, id, err, sizeof(err));

	if (st == NULL) {
		fprintf(stderr, "preparing %d: %s\n", id, err);
		exit(1);
	}
	return st;
}

static void
tfree(struct stmt *st)
{
	st->drv->finalize(st);
}

/* The one int64 the test statement id of s answers. */
static int64_t
tint64(struct store *s, enum test_stmt id)
{
	struct stmt *st = tprep(s, id);
	int64_t	     n = -1;

	CHECK_INT(store_int64(s, st, &n, "test int64"), DB_OK);
	tfree(st);
	return n;
}

static int64_t
backend_pid(struct store *s)
{
	return tint64(s, T_PID);
}

/* Ends backend pid from connection by. */
static void
kill_backend(struct store *by, int64_t pid)
{
	struct stmt *st = tprep(by, T_KILL);
	bool	     done = false;

	bind_int64(st, 1, pid);
	CHECK_INT(store_bool(by, st, &done, "kill"), DB_OK);
	CHECK(done);
	tfree(st);
}

static struct store *
open_store(const char *uri, bool migrate)
{
	char	      err[512];
	struct store *s = store_open(uri, migrate, migrate, err, sizeof(err));

	if (s == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		exit(1);
	}
	return s;
}

struct migrator {
	const char *uri;
	int	    applied, rc;
	char	    err[256];
};

static void *
migrator_main(void *arg)
{
	struct migrator *m = arg;
	struct store	*s = store_connect(m->uri, STORE_CREATE, m->err,
	    sizeof(m->err));

	m->rc = s != NULL ? store_migrate(s, &m->applied, m->err,
	    sizeof(m->err)) : -1;
	store_close(s);
	return NULL;
}

/* Two migrators at once on an empty database: both succeed, each
 * migration applied once. */
static void
test_migrators(const char *uri)
{
	struct migrator m[2] = { { .uri = uri }, { .uri = uri } };
	pthread_t	t[2];

	check_context("two migrators at once");
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, migrator_main, &m[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(m[0].rc, 0);
	CHECK_INT(m[1].rc, 0);
	CHECK_INT(m[0].applied + m[1].applied, store_schema_latest());
	CHECK(m[0].applied == 0 || m[1].applied == 0);
}

static void
test_types(struct store *s)
{
	static const unsigned char raw[] = { 0x00, 0x01, 0x5c, 0x27, 0x22,
		0xff, 0x00, 0x7f, 'x' };
	struct stmt *st = tprep(s, T_TYPES);
	size_t	     len;
	const unsigned char *b;

	check_context("columns of each type");
	bind_blob(st, 1, raw, sizeof(raw));
	CHECK_INT(store_step_row(s, st, "types"), DB_OK);
	CHECK_INT(col_count(st), 11);
	CHECK_STR(col_name(st, 0), "a");
	CHECK_INT(col_type(st, 0), COL_INT);
	CHECK_INT(col_int64(st, 0), 1);
	CHECK_INT(col_int64(st, 1), 2);
	CHECK(col_int64(st, 2) == 3000000000LL);
	CHECK_INT(col_type(st, 3), COL_INT);
	CHECK_INT(col_int64(st, 3), 1);
	CHECK_INT(col_int64(st, 4), 0);
	CHECK_INT(col_type(st, 5), COL_NULL);
	CHECK(col_null(st, 5));
	CHECK(col_text_ref(st, 5) == NULL);
	CHECK_INT(col_type(st, 6), COL_OTHER);
	CHECK_STR(col_text_ref(st, 6), "x");
	CHECK_INT(col_type(st, 7), COL_INT);
	CHECK_INT(col_int64(st, 7), 12);
	CHECK_INT(col_type(st, 8), COL_OTHER);
	b = col_blob_ref(st, 9, &len);
	CHECK_INT((int)len, 4);
	CHECK(b != NULL && memcmp(b, "\x00\xff\x5c\x27", 4) == 0);
	b = col_blob_ref(st, 10, &len);
	CHECK_INT((int)len, (int)sizeof(raw));
	CHECK(b != NULL && memcmp(b, raw, sizeof(raw)) == 0);
	store_row_done(st);
	tfree(st);

	check_context("named parameters");
	st = tprep(s, T_NAMED);
	CHECK_INT(bind_index(st, ":a"), 2);
	CHECK_INT(bind_index(st, ":b"), 1);
	CHECK_INT(bind_index(st, ":c"), 0);
	bind_int64(st, bind_index(st, ":a"), 5);
	bind_int64(st, bind_index(st, ":b"), 12);
	CHECK_INT(store_step_row(s, st, "named"), DB_OK);
	CHECK_INT(col_int64(st, 0), 7);
	CHECK_INT(col_int64(st, 1), 5);
	store_row_done(st);
	tfree(st);
}

/* Keeps the message of the mail it is given. */
static int
keep_mail(const struct outbox_mail *m, void *arg)
{
	struct outbox_mail *out = arg;

	*out = *m;
	return 1;
}

/* A bytea through the store's own statements: a token whose hash holds
 * every kind of byte is found by it and by nothing else; a mail's
 * message comes back whole. */
static void
test_bytea(struct store *s)
{
	static const char  msg[] = "Subject: x\r\n\r\n\0\xff\\x00 '\"";
	unsigned char	   hash[32];
	struct token_keys  keys;
	const char	  *kind = NULL;
	int64_t		   ref = 0, expires = 0, now = now_unix();
	struct arena	   arena = { 0 };
	struct outbox_mail m = { 0 };

	check_context("bytea both ways");
	for (int i = 0; i < 32; i++)
		hash[i] = (unsigned char)(i * 37 + 92);
	hash[0] = 0;
	hash[31] = '\\';
	CHECK_INT(store_token_add(s, hash, "pledge", 42, now, now + 60), DB_OK);
	/* Found under either key (token.h): its own, or the legacy one. */
	memset(&keys, 0xaa, sizeof(keys));
	memcpy(keys.key, hash, sizeof(hash));
	CHECK_INT(store_token_find(s, &arena, &keys, &kind, &ref, &expires),
	    DB_OK);
	CHECK_STR(kind, "pledge");
	CHECK_INT(ref, 42);
	memset(&keys, 0xaa, sizeof(keys));
	memcpy(keys.legacy, hash, sizeof(hash));
	CHECK_INT(store_token_find(s, &arena, &keys, &kind, &ref, &expires),
	    DB_OK);
	keys.legacy[5] ^= 1;
	CHECK_INT(store_token_find(s, &arena, &keys, &kind, &ref, &expires),
	    DB_NOTFOUND);
	CHECK_INT(store_outbox_add(s, &(struct outbox_new){ .kind = "test",
	    .recipient = "bytes@example.org", .message = msg,
	    .len = sizeof(msg) - 1, .now = now }), DB_OK);
	CHECK_INT(store_outbox_due(s, &arena, now, 10, "test:1", 60, keep_mail,
	    &m), DB_OK);
	CHECK_INT((int)m.len, (int)sizeof(msg) - 1);
	CHECK(m.message != NULL && memcmp(m.message, msg, sizeof(msg) - 1) ==
	    0);
	arena_free(&arena);
}

struct rows {
	int	      n, stop_at;
	int64_t	      sum;
	bool	      ok;
	struct store *meddle;	/* runs a statement on it at row 10 */
};

static int64_t backend_pid(struct store *s);

/* A row of T_SERIES: g (the row's number, from 1) and 'row ' || g; a
 * third column, past the two streamed, reads as NULL. */
static int
count_row(const struct store_row *row, void *arg)
{
	struct rows *r = arg;
	const char  *text = store_row_text(row, 1);
	int64_t	     g = 0;

	r->n++;
	if (!store_row_int64(row, 0, &g) || g != r->n)
		r->ok = false;
	r->sum += g;
	if (text == NULL || strncmp(text, "row ", 4) != 0 ||
	    strtoll(text + 4, NULL, 10) != g)
		r->ok = false;
	if (store_row_text(row, 2) != NULL || store_row_int64(row, 2, &g))
		r->ok = false;
	if (r->meddle != NULL && r->n == 10)
		(void)backend_pid(r->meddle);
	return r->stop_at > 0 && r->n == r->stop_at;
}

/*
 * Streams T_SERIES of limit rows on s through count_row, stopped at row
 * stop_at (0: never), with a statement run on meddle at row 10 when it is
 * not NULL; checks that the run returns want after want_n good rows.
 */
static void
check_stream(struct store *s, struct stmt *st, int limit, int stop_at,
    struct store *meddle, enum db_err want, int want_n)
{
	struct rows r = { .ok = true, .stop_at = stop_at, .meddle = meddle };

	bind_int64(st, 1, limit);
	CHECK_INT(store_stream_rows(s, st, 2, count_row, &r, "series"), want);
	CHECK_INT(r.n, want_n);
	CHECK(r.sum == (int64_t)want_n * (want_n + 1) / 2);
	CHECK(r.ok);
}

static void
test_stream(struct store *s)
{
	struct stmt *st = tprep(s, T_SERIES);

	check_context("a streamed run across FETCH batches");
	check_stream(s, st, 2500, 0, NULL, DB_OK, 2500);
	CHECK(!store_in_txn(s));

	check_context("a streamed run stopped early, then again");
	check_stream(s, st, 5000, 1500, NULL, DB_OK, 1500);
	CHECK(!store_in_txn(s));
	check_stream(s, st, 10, 0, NULL, DB_OK, 10);

	check_context("stopped at a batch's end, the next FETCH sent ahead");
	check_stream(s, st, 2500, 1000, NULL, DB_OK, 1000);
	CHECK(!store_in_txn(s));
	check_stream(s, st, 2000, 0, NULL, DB_OK, 2000);

	check_context("a statement run during a streamed run fails the run");
	check_stream(s, st, 2500, 0, s, DB_ERROR, 1000);
	CHECK(!store_in_txn(s));
	check_stream(s, st, 1500, 0, NULL, DB_OK, 1500);

	check_context("a streamed run inside a transaction keeps it");
	CHECK_INT(store_begin(s), DB_OK);
	check_stream(s, st, 1001, 0, NULL, DB_OK, 1001);
	CHECK(store_in_txn(s));
	CHECK_INT(store_commit(s), DB_OK);

	check_context("a statement read row by row, all of it at once");
	bind_int64(st, 1, 3);
	{
		enum db_err e = DB_OK;
		int	    n = 0;

		while (store_next(s, st, &e, "series"))
			n += col_int(st, 0);
		CHECK_INT(e, DB_OK);
		CHECK_INT(n, 6);
	}
	tfree(st);
}

static void
test_errors(struct store *s)
{
	static const struct {
		enum test_stmt id;
		enum db_err    want;
	} cases[] = {
		{ T_FAIL_40001, DB_RETRY },
		{ T_FAIL_40P01, DB_RETRY },
		{ T_FAIL_53100, DB_FULL },
		{ T_FAIL_25006, DB_READONLY },
		{ T_FAIL_22P02, DB_ERROR },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stmt *st = tprep(s, cases[i].id);

		check_context("SQLSTATE of statement %d", cases[i].id);
		/* A value the log must not quote (check-driver.sh looks). */
		bind_text(st, 1, "person@example.org");
		CHECK_INT(store_exec(s, st, "raise"), cases[i].want);
		tfree(st);
		/* 25006 marks the connection for a new one (a standby's). */
		CHECK(backend_pid(s) > 0);
	}

	check_context("a transaction that failed does not commit");
	CHECK_INT(store_begin(s), DB_OK);
	{
		struct stmt *st = tprep(s, T_FAIL_22P02);

		bind_text(st, 1, "person@example.org");
		CHECK_INT(store_exec(s, st, "fail"), DB_ERROR);
		tfree(st);
	}
	CHECK(store_in_txn(s));
	CHECK_INT(store_commit(s), DB_ERROR);
	CHECK(!store_in_txn(s));

	check_context("a unique key met twice: DB_RETRY, never DB_ERROR");
	CHECK_INT(store_user_add(s, "twice", "hash"), DB_OK);
	CHECK_INT(store_user_add(s, "twice", "hash"), DB_RETRY);
}

/* ON CONFLICT DO NOTHING RETURNING id that inserts nothing: DB_RETRY. */
static void
test_conflict(struct store *s)
{
	struct pledge p = { .campaign_id = campaign, .status = PLEDGE_PENDING,
		.name = "Ana", .email = "ana@example.org",
		.email_key = "ana@example.org", .actor_type = "individual",
		.country = "CL", .commitment = "Electric buses by 2030.",
		.language = "es", .created_at = 1 };
	struct pledge q = p;

	check_context("a pledge another connection inserted first");
	CHECK_INT(store_pledge_insert(s, &p), DB_OK);
	CHECK(p.id > 0);
	CHECK_INT(store_pledge_insert(s, &q), DB_NOTFOUND);
}

/*
 * PG_PLAN_PER_RUN: a prepared statement runs a generic plan from its sixth
 * run, which on a new table looked the duplicate check up through
 * pledges_status (every pledge of the campaign); store_pledge_find's text
 * is planned at each run instead. The plain statement shows that the
 * check sees a generic plan when there is one.
 */
static void
test_plan_per_run(struct store *s)
{
	struct stmt *plain;
	const char  *status;
	int64_t	     id;

	check_context("a duplicate check planned at each run");
	for (int i = 0; i < 8; i++)
		CHECK_INT(store_pledge_find(s, campaign, "nobody@example.org",
		    &id, &status), DB_NOTFOUND);
	CHECK_INT(tint64(s, T_GENERIC_FINDS), 0);
	plain = tprep(s, T_FIND_PLAIN);
	for (int i = 0; i < 8; i++) {
		bind_int64(plain, 1, campaign);
		bind_text(plain, 2, "nobody@example.org");
		CHECK_INT(store_step_row(s, plain, "plain find"), DB_NOTFOUND);
	}
	CHECK_INT(tint64(s, T_GENERIC_FINDS), 1);
	tfree(plain);
}

static void
test_lost(struct store *a, struct store *b)
{
	struct stmt *st;
	int64_t	     pid, pid2, n;

	check_context("a read after the connection was killed: runs again");
	pid = backend_pid(a);
	kill_backend(b, pid);
	pid2 = backend_pid(a);
	CHECK(pid2 > 0 && pid2 != pid);
	/* The store's statements were prepared again on the new one. */
	CHECK_INT(store_health(a), DB_OK);

	check_context("killed before a transaction sent anything: runs again");
	kill_backend(b, pid2);
	CHECK_INT(store_begin(a), DB_OK);
	CHECK_INT(store_counter_value(a, campaign, &n), DB_OK);
	CHECK_INT(store_commit(a), DB_OK);

	check_context("killed inside a transaction: 503, then a new one");
	CHECK_INT(store_begin(a), DB_OK);
	CHECK_INT(store_counter_value(a, campaign, &n), DB_OK);
	kill_backend(b, backend_pid(a));
	CHECK_INT(store_counter_value(a, campaign, &n), DB_BUSY);
	CHECK(!store_in_txn(a));
	CHECK_INT(store_counter_value(a, campaign, &n), DB_BUSY);
	store_rollback(a);
	CHECK_INT(store_begin(a), DB_OK);
	CHECK_INT(store_counter_value(a, campaign, &n), DB_OK);
	CHECK_INT(store_commit(a), DB_OK);

	check_context("a streamed export after the connection was killed");
	kill_backend(b, backend_pid(a));
	st = tprep(a, T_SERIES);
	check_stream(a, st, 1200, 0, NULL, DB_OK, 1200);
	tfree(st);
}

/* The writer: a job that meets a serialization failure runs again. */
struct flaky {
	int	    runs, fail_runs;
	enum db_err first;
};

static enum db_err
flaky_tx(struct store *s, void *arg)
{
	struct flaky *f = arg;
	struct stmt  *st;
	enum db_err   e;
	int64_t	      n;

	if ((e = store_counter_value(s, campaign, &n)) != DB_OK)
		return e;
	if (++f->runs > f->fail_runs)
		return DB_OK;
	st = tprep(s, T_FAIL_40001);
	e = store_exec(s, st, "flaky");
	tfree(st);
	if (f->runs == 1)
		f->first = e;
	return e;
}

static void
test_writer(const char *uri)
{
	char	       err[256];
	struct writer *w = writer_start(uri, 256, err, sizeof(err));
	struct flaky   f = { .fail_runs = 1 };

	check_context("the writer runs a batch again after DB_RETRY");
	CHECK(w != NULL);
	if (w == NULL) {
		fprintf(stderr, "writer_start: %s\n", err);
		return;
	}
	CHECK_INT(writer_run(w, flaky_tx, &f), DB_OK);
	CHECK_INT(f.first, DB_RETRY);
	CHECK_INT(f.runs, 2);

	check_context("... and gives up after a few: 503");
	f = (struct flaky){ .fail_runs = 1000 };
	CHECK_INT(writer_run(w, flaky_tx, &f), DB_BUSY);
	CHECK_INT(f.runs, 5);
	writer_stop(w);
}

static void
test_whole(struct store *s)
{
	char	err[256];
	int64_t left = -1;
	char   *q;

	check_context("the connection as a whole");
	CHECK_STR(store_engine(s), "postgresql");
	CHECK_INT(store_max_batch(s), 64);
	CHECK(store_row_locks(s));
	CHECK(store_integrity_ok(s));
	CHECK_INT(store_schema_version(s), store_schema_latest());
	CHECK_INT(store_checkpoint(s, NULL, &left), DB_OK);
	CHECK_INT(left, 0);
	left = -1;
	CHECK_INT(store_checkpoint_flush(s, NULL, &left), DB_OK);
	CHECK_INT(left, 0);
	store_checkpoint_truncate(s);
	store_release_memory(s);
	store_tune_worker(s);
	store_tune_writer(s);
	CHECK_INT(store_backup(s, "/tmp/never.db", err, sizeof(err)), -1);
	CHECK(strstr(err, "pg_dump") != NULL);
	CHECK_INT(store_vacuum(s, false, err, sizeof(err)), 0);
	CHECK_INT(store_vacuum(s, true, err, sizeof(err)), 0);
	CHECK_INT(store_health(s), DB_OK);

	check_context("search words");
	CHECK(store_search_query(s, "  \t ") == NULL);
	q = store_search_query(s, " gestión\t'de'  |flota& ");
	CHECK_STR(q, "gestión 'de' |flota&");
	free(q);
	q = store_search_query(s, "a b c d e f g h i j k l m n o p q r");
	CHECK_STR(q, "a b c d e f g h i j k l m n o p");
	free(q);
}

int
main(int argc, char **argv)
{
	struct store *a, *b;

	log_init("test_pg_driver");
	test_translations();
	if (argc < 3)
		return check_done();
	test_migrators(argv[2]);
	/* Opened to migrate: every statement of the store prepared. */
	a = open_store(argv[1], true);
	b = open_store(argv[1], false);
	{
		struct campaign c = { .slug = "test" };

		for (int l = 0; l < LANG__MAX; l++)
			c.title[l] = "Test";
		CHECK_INT(store_campaign_add(a, &c), DB_OK);
		campaign = c.id;
	}
	test_types(a);
	test_bytea(a);
	test_stream(a);
	test_errors(a);
	test_conflict(a);
	test_plan_per_run(a);
	test_lost(a, b);
	test_whole(a);
	store_close(a);
	store_close(b);
	test_writer(argv[1]);
	return check_done();
}
