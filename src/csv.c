/*
 * csv.c: the CSV cell escaper and buffered writer (see csv.h).
 */
#include <inttypes.h>
#include <stdio.h>
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

void
csv_text(struct csv *c, const char *s)
{
	bool quote, formula;

	csv_sep(c);
	if (s == NULL || *s == '\0')
		return;
	formula = strchr("=+-@\t\r\n", *s) != NULL;
	quote = strchr(s, c->sep) != NULL || strpbrk(s, "\"\r\n") != NULL;
	if (quote)
		csv_put(c, "\"", 1);
	if (formula)
		csv_put(c, "'", 1);
	if (!quote)
		csv_put(c, s, strlen(s));
	else
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				csv_put(c, "\"\"", 2);
			else
				csv_put(c, p, 1);
		}
	if (quote)
		csv_put(c, "\"", 1);
}

void
csv_int(struct csv *c, int64_t v)
{
	char buf[24];
	int  n = snprintf(buf, sizeof(buf), "%" PRId64, v);

	csv_sep(c);
	csv_put(c, buf, (size_t)n);
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
