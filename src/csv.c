/*
 * csv.c: the CSV cell escaper and buffered writer (see csv.h).
 */
#include <string.h>

#include "csv.h"

static void
csv_flush(struct csv *c)
{
	if (c->len > 0 && !c->failed && c->sink(c->arg, c->buf, c->len) != 0)
		c->failed = 1;
	c->len = 0;
}

static void
csv_put(struct csv *c, const char *s, size_t n)
{
	while (n > 0) {
		size_t room = sizeof(c->buf) - c->len;
		size_t k = n < room ? n : room;

		memcpy(c->buf + c->len, s, k);
		c->len += k;
		s += k;
		n -= k;
		if (c->len == sizeof(c->buf))
			csv_flush(c);
	}
}

void
csv_begin(struct csv *c, char sep, bool bom, csv_sink_fn sink, void *arg)
{
	c->sink = sink;
	c->arg = arg;
	c->sep = sep;
	c->row_started = false;
	c->failed = 0;
	c->len = 0;
	c->special[0] = sep;
	memcpy(c->special + 1, "\"\r\n", 4);
	if (bom)
		csv_put(c, "\xef\xbb\xbf", 3);
}

static void
csv_sep(struct csv *c)
{
	if (c->row_started)
		csv_put(c, &c->sep, 1);
	c->row_started = true;
}

/* Whether a text starting with ch could be read as a formula. */
static bool
csv_formula(char ch)
{
	switch (ch) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\n':
		return true;
	default:
		return false;
	}
}

/*
 * A text cell. The bytes up to the first one that needs quoting (the
 * separator, '"', CR, LF: c->special) are found in one pass; a cell that
 * needs quoting is copied in runs, each up to and including a '"', which
 * is then written again.
 */
void
csv_text(struct csv *c, const char *s)
{
	const char *end, *q;
	size_t	    plain;
	bool	    formula;

	csv_sep(c);
	if (s == NULL || *s == '\0')
		return;
	formula = csv_formula(*s);
	plain = strcspn(s, c->special);
	if (s[plain] == '\0') {
		if (formula)
			csv_put(c, "'", 1);
		csv_put(c, s, plain);
		return;
	}
	end = s + plain + strlen(s + plain);
	csv_put(c, "\"'", formula ? 2 : 1);
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		csv_put(c, s, (size_t)(q - s) + 1);
		csv_put(c, "\"", 1);
		s = q + 1;
	}
	csv_put(c, s, (size_t)(end - s));
	csv_put(c, "\"", 1);
}

/* A number cell: the digits written from the last (no snprintf: an
 * export writes millions). */
void
csv_int(struct csv *c, int64_t v)
{
	char	 buf[20];	/* "-9223372036854775808" */
	char	*p = buf + sizeof(buf);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	csv_sep(c);
	csv_put(c, p, (size_t)(buf + sizeof(buf) - p));
}

void
csv_empty(struct csv *c)
{
	csv_sep(c);
}

void
csv_row_end(struct csv *c)
{
	csv_put(c, "\r\n", 2);
	c->row_started = false;
}

int
csv_finish(struct csv *c)
{
	csv_flush(c);
	return c->failed ? -1 : 0;
}
