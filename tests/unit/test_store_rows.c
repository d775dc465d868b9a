/*
 * test_store_rows.c: the rows of a streamed export on SQLite
 * (store_stream_rows, store_row_text, store_row_int64): a column of each
 * kind of value SQLite stores reads as a number exactly as its text read
 * by strtoll did before (an integer as stored, anything else from its
 * text; NULL as none); columns past the streamed ones read as NULL; and a
 * row function that returns non-zero stops the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store_driver.h"

enum { T_VALUES, T_SERIES, T__MAX };

static const char *const test_sql[T__MAX] = {
	[T_VALUES] = "SELECT 7, NULL, '12abc', 1.5, 'x', "
	    "-9223372036854775807 - 1, ' 42', x'3334', 1e20, '0', 0, "
	    "'Persona, \"uno\"'",
	[T_SERIES] = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	    "FROM n WHERE i < ?1) SELECT i, 'row ' || i FROM n",
};
static const struct stmt_set test_set = { "test", test_sql, NULL, T__MAX };

/* Each column of T_VALUES: its text, and its number (has: not NULL). */
static const struct {
	const char *text;
	bool	    has;
	int64_t	    v;
} values[] = {
	{ "7", true, 7 },
	{ NULL, false, 0 },
	{ "12abc", true, 12 },
	{ "1.5", true, 1 },
	{ "x", true, 0 },
	{ "-9223372036854775808", true, INT64_MIN },
	{ " 42", true, 42 },
	{ "34", true, 34 },
	{ "1.0e+20", true, 1 },	/* from the text, not clamped */
	{ "0", true, 0 },
	{ "0", true, 0 },
	{ "Persona, \"uno\"", true, 0 },
};
#define NVALUES ((int)(sizeof(values) / sizeof(values[0])))

struct seen {
	int n, stop_at;
	int bad;
	int ncols;	/* T_VALUES: the columns streamed */
};

static int
values_row(const struct store_row *row, void *arg)
{
	struct seen *x = arg;

	x->n++;
	for (int i = 0; i < NVALUES; i++) {
		int64_t	    v = -99;
		bool	    has = store_row_int64(row, i, &v);
		const char *t = store_row_text(row, i);

		check_context("column %d of %d", i, x->ncols);
		if (i >= x->ncols) {	/* past the streamed columns */
			CHECK(t == NULL);
			CHECK(!has);
			continue;
		}
		CHECK_STR(t, values[i].text);
		CHECK_INT(has, values[i].has);
		if (has)
			CHECK_INT(v, values[i].v);
		/* What the export did before: strtoll of the text. */
		if (t != NULL)
			CHECK_INT(v, strtoll(t, NULL, 10));
	}
	return 0;
}

static int
series_row(const struct store_row *row, void *arg)
{
	struct seen *x = arg;
	int64_t	     i = 0;
	char	     want[32];

	x->n++;
	snprintf(want, sizeof(want), "row %d", x->n);
	if (!store_row_int64(row, 0, &i) || i != x->n ||
	    strcmp(store_row_text(row, 1), want) != 0 ||
	    store_row_text(row, 2) != NULL || store_row_int64(row, 2, &i))
		x->bad++;
	return x->stop_at > 0 && x->n == x->stop_at;
}

/* Streams limit rows of T_SERIES through check_series, stopped at row
 * stop_at (0: never); checks that every row read right. */
static void
check_series(struct store *s, struct stmt *st, int limit, int stop_at)
{
	struct seen x = { .stop_at = stop_at };

	bind_int64(st, 1, limit);
	CHECK_INT(store_stream_rows(s, st, 2, series_row, &x, "series"),
	    DB_OK);
	CHECK_INT(x.n, stop_at > 0 ? stop_at : limit);
	CHECK_INT(x.bad, 0);
}

int
main(void)
{
	char	      dir[] = "/tmp/icommit-test-rows-XXXXXX";
	char	      db[128], err[256];
	struct store *s;
	struct stmt  *st[T__MAX];
	struct seen   x = { 0 };

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof(db), "%s/icommit.db", dir);
	if ((s = store_connect(db, STORE_CREATE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "store_connect: %s\n", err);
		return 1;
	}
	for (int i = 0; i < T__MAX; i++)
		if ((st[i] = s->drv->prepare(s, &test_set, i, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "preparing %d: %s\n", i, err);
			return 1;
		}

	for (int ncols = NVALUES; ncols > 0; ncols -= NVALUES - 5) {
		x = (struct seen){ .ncols = ncols };
		CHECK_INT(store_stream_rows(s, st[T_VALUES], ncols,
		    values_row, &x, "values"), DB_OK);
		check_context("values");
		CHECK_INT(x.n, 1);
	}

	check_context("a series of 2500 rows");
	check_series(s, st[T_SERIES], 2500, 0);
	check_context("stopped at row 100, then run again");
	check_series(s, st[T_SERIES], 2500, 100);
	check_series(s, st[T_SERIES], 3, 0);

	for (int i = 0; i < T__MAX; i++)
		s->drv->finalize(st[i]);
	store_close(s);
	for (const char *const *f = (const char *const[]){ "", "-wal", "-shm",
	    NULL }; *f != NULL; f++) {
		char path[160];

		snprintf(path, sizeof(path), "%s%s", db, *f);
		unlink(path);
	}
	rmdir(dir);
	return check_done();
}
