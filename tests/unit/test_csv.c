/*
 * test_csv.c: the CSV writer (csv.c), the bytes of every staff export:
 * a table of rows (text and number cells, either separator, with and
 * without the BOM) and the exact output of each; then cells made of every
 * troublesome byte, of every length up to a few runs, and rows that cross
 * the writer's 16 KiB buffer, against a byte-at-a-time model of the rules
 * (RFC 4180 quoting, formula neutralising) written here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "csv.h"

/* The sink: everything written, in one growing buffer. */
struct out {
	char  *buf;
	size_t len, cap;
	size_t most;	/* the largest single write */
};

static int
sink(void *arg, const void *buf, size_t len)
{
	struct out *o = arg;

	if (o->len + len + 1 > o->cap) {
		o->cap = (o->len + len + 1) * 2;
		if ((o->buf = realloc(o->buf, o->cap)) == NULL)
			abort();
	}
	memcpy(o->buf + o->len, buf, len);
	o->len += len;
	o->buf[o->len] = '\0';
	if (len > o->most)
		o->most = len;
	return 0;
}

/* A cell of the table: csv_text, csv_int or csv_empty. */
struct cell {
	enum { TEXT, NUM, EMPTY } kind;
	const char *text;
	int64_t	    v;
};

#define T(s) { TEXT, (s), 0 }
#define N(n) { NUM, NULL, (n) }
#define E { EMPTY, NULL, 0 }

static const struct {
	char	    sep;
	bool	    bom;
	struct cell cells[4];
	int	    ncells;
	const char *want;
} rows[] = {
	{ ',', false, { T("a"), T("b") }, 2, "a,b\r\n" },
	{ ',', true, { T("a") }, 1, "\xef\xbb\xbf" "a\r\n" },
	{ ';', false, { T("a"), T("b") }, 2, "a;b\r\n" },
	/* Empty cells: NULL, "", csv_empty. */
	{ ',', false, { E, T(""), T(NULL), E }, 4, ",,,\r\n" },
	/* The separator, a quote, CR or LF: quoted, quotes doubled. */
	{ ',', false, { T("a,b") }, 1, "\"a,b\"\r\n" },
	{ ',', false, { T("a;b") }, 1, "a;b\r\n" },
	{ ';', false, { T("a;b"), T("a,b") }, 2, "\"a;b\";a,b\r\n" },
	{ ',', false, { T("say \"hi\"") }, 1, "\"say \"\"hi\"\"\"\r\n" },
	{ ',', false, { T("\"") }, 1, "\"\"\"\"\r\n" },
	{ ',', false, { T("\"\"x\"") }, 1, "\"\"\"\"\"x\"\"\"\r\n" },
	{ ',', false, { T("x\"") }, 1, "\"x\"\"\"\r\n" },
	{ ',', false, { T("a\r\nb") }, 1, "\"a\r\nb\"\r\n" },
	{ ',', false, { T("a\nb") }, 1, "\"a\nb\"\r\n" },
	{ ',', false, { T("a\rb") }, 1, "\"a\rb\"\r\n" },
	/* A formula's first character: an apostrophe first (inside the
	 * quotes when quoted); only the first character counts. */
	{ ',', false, { T("=1+1"), T("+1"), T("-1"), T("@x") }, 4,
	    "'=1+1,'+1,'-1,'@x\r\n" },
	{ ',', false, { T("\tx"), T("a=b"), T("1-2") }, 3,
	    "'\tx,a=b,1-2\r\n" },
	{ ',', false, { T("=SUM(A1,B1)") }, 1, "\"'=SUM(A1,B1)\"\r\n" },
	{ ',', false, { T("\nx") }, 1, "\"'\nx\"\r\n" },
	{ ',', false, { T("-\"") }, 1, "\"'-\"\"\"\r\n" },
	/* UTF-8 passes as it is. */
	{ ',', false, { T("Organización, número"), T("Ñuñoa") }, 2,
	    "\"Organización, número\",Ñuñoa\r\n" },
	/* Numbers: as they are, never quoted or neutralised. */
	{ ',', false, { N(0), N(7), N(-1), N(10) }, 4, "0,7,-1,10\r\n" },
	{ ',', false, { N(1767225600), N(-1000000), N(99), N(100) }, 4,
	    "1767225600,-1000000,99,100\r\n" },
	{ ';', false, { N(INT64_MAX), N(INT64_MIN) }, 2,
	    "9223372036854775807;-9223372036854775808\r\n" },
	{ ',', false, { N(INT64_MIN + 1), N(1000000000000000000) }, 2,
	    "-9223372036854775807,1000000000000000000\r\n" },
	{ ',', false, { T("x"), N(5), E, N(-5) }, 4, "x,5,,-5\r\n" },
};

static void
put(struct csv *c, const struct cell *x)
{
	if (x->kind == NUM)
		csv_int(c, x->v);
	else if (x->kind == EMPTY)
		csv_empty(c);
	else
		csv_text(c, x->text);
}

/* The rules one byte at a time: the model the writer is held to. */
static void
model_text(struct out *o, char sep, bool first, const char *s)
{
	bool quote, formula;

	if (!first)
		sink(o, &sep, 1);
	if (s == NULL || *s == '\0')
		return;
	formula = strchr("=+-@\t\r\n", *s) != NULL;
	quote = strchr(s, sep) != NULL || strpbrk(s, "\"\r\n") != NULL;
	if (quote)
		sink(o, "\"", 1);
	if (formula)
		sink(o, "'", 1);
	for (const char *p = s; *p != '\0'; p++)
		sink(o, quote && *p == '"' ? "\"\"" : p, quote && *p == '"' ?
		    2 : 1);
	if (quote)
		sink(o, "\"", 1);
}

static void
table(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct csv *c = malloc(sizeof(*c));
		struct out  o = { 0 };

		check_context("row %zu", i);
		csv_begin(c, rows[i].sep, rows[i].bom, sink, &o);
		for (int k = 0; k < rows[i].ncells; k++)
			put(c, &rows[i].cells[k]);
		csv_row_end(c);
		CHECK_INT(csv_finish(c), 0);
		CHECK_STR(o.buf, rows[i].want);
		free(o.buf);
		free(c);
	}
}

/*
 * Cells of 0 to 12 bytes over an alphabet of the bytes that matter (both
 * separators, '"', CR, LF, the formula starters, the apostrophe, a plain
 * letter, a UTF-8 byte): every cell of up to 4 bytes (EVERY of them), and
 * 20,000 longer ones picked at random, each written between two plain
 * cells, with either separator.
 */
#define EVERY (1 + 13 + 13 * 13 + 13 * 13 * 13 + 13 * 13 * 13 * 13)
static void
cells(void)
{
	static const char alphabet[] = ",;\"\r\n=+-@\t'x\xc3";
	const size_t	  na = sizeof(alphabet) - 1;
	struct csv	 *c = malloc(sizeof(*c));
	char		  cell[16];
	unsigned	  seed = 12345;
	long		  bad = 0, total = 0;

	_Static_assert(sizeof(alphabet) - 1 == 13, "EVERY");

	for (int sepi = 0; sepi < 2; sepi++) {
		char sep = sepi == 0 ? ',' : ';';

		for (long n = 0; n < EVERY + 20000; n++) {
			struct out got = { 0 }, want = { 0 };
			size_t	   len = 0;

			if (n < EVERY) {	/* n in bijective base 13 */
				long k = n;

				while (k > 0) {
					cell[len++] = alphabet[(k - 1) % (long)na];
					k = (k - 1) / (long)na;
				}
			} else {
				seed = seed * 1103515245u + 12345u;
				len = 5 + (seed >> 16) % 8;
				for (size_t i = 0; i < len; i++) {
					seed = seed * 1103515245u + 12345u;
					cell[i] = alphabet[(seed >> 16) % na];
				}
			}
			cell[len] = '\0';
			csv_begin(c, sep, false, sink, &got);
			csv_text(c, "a");
			csv_text(c, cell);
			csv_text(c, "b");
			csv_row_end(c);
			csv_finish(c);
			model_text(&want, sep, true, "a");
			model_text(&want, sep, false, cell);
			model_text(&want, sep, false, "b");
			sink(&want, "\r\n", 2);
			total++;
			if (got.len != want.len ||
			    memcmp(got.buf, want.buf, got.len) != 0) {
				if (bad++ < 5) {
					check_context("cell %ld with '%c'", n,
					    sep);
					CHECK_STR(got.buf, want.buf);
				}
			}
			free(got.buf);
			free(want.buf);
		}
	}
	check_context("%ld cells", total);
	CHECK_INT(bad, 0);
	free(c);
}

/*
 * Long cells across the 16 KiB buffer: 200 rows of a cell of 0 to 40,000
 * bytes with quotes at varying places; the output is the model's and the
 * sink is called with at most 16 KiB at a time.
 */
static void
long_cells(void)
{
	struct csv *c = malloc(sizeof(*c));
	struct out  got = { 0 }, want = { 0 };
	char	   *cell = malloc(40001);
	unsigned    seed = 99;

	csv_begin(c, ',', true, sink, &got);
	sink(&want, "\xef\xbb\xbf", 3);
	for (int r = 0; r < 200; r++) {
		size_t len;

		seed = seed * 1103515245u + 12345u;
		len = (size_t)(seed >> 8) % 40001;
		for (size_t i = 0; i < len; i++)
			cell[i] = (char)('a' + i % 26);
		for (size_t i = 0; len > 0 && i < (size_t)r % 7; i++) {
			seed = seed * 1103515245u + 12345u;
			cell[(seed >> 8) % len] = r % 3 == 0 ? ',' : '"';
		}
		cell[len] = '\0';
		csv_int(c, r);
		csv_text(c, cell);
		csv_row_end(c);
		{
			char num[16];

			snprintf(num, sizeof(num), "%d", r);
			model_text(&want, ',', true, num);
		}
		model_text(&want, ',', false, cell);
		sink(&want, "\r\n", 2);
	}
	CHECK_INT(csv_finish(c), 0);
	check_context("long cells");
	CHECK_INT(got.len, want.len);
	CHECK(got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0);
	CHECK_INT(got.most, sizeof(c->buf));
	free(got.buf);
	free(want.buf);
	free(cell);
	free(c);
}

int
main(void)
{
	table();
	cells();
	long_cells();
	return check_done();
}
