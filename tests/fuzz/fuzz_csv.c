/*
 * fuzz_csv.c: libFuzzer harness for csv.c: arbitrary cells through the
 * writer, checked by parsing the output back (RFC 4180) and comparing each
 * cell with its input (less the apostrophe added to formula-looking text).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct out {
	char  *buf;
	size_t len, cap;
};

static int
sink(void *arg, const void *buf, size_t len)
{
	struct out *o = arg;

	if (o->len + len > o->cap) {
		o->cap = (o->len + len) * 2;
		o->buf = realloc(o->buf, o->cap);
		if (o->buf == NULL)
			abort();
	}
	memcpy(o->buf + o->len, buf, len);
	o->len += len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct csv c;
	struct out	  o = { 0 };
	char		 *cells[8];
	size_t		  n = 0, start = 0;
	char		  sep = size > 0 && (data[0] & 1) ? ';' : ',';

	/* After the first byte (the separator), cells separated by NULs. */
	const uint8_t *d = size > 0 ? data + 1 : data;
	size_t	       sz = size > 0 ? size - 1 : 0;

	for (size_t i = 0; i <= sz && n < 8; i++)
		if (i == sz || d[i] == '\0') {
			cells[n] = malloc(i - start + 1);
			memcpy(cells[n], d + start, i - start);
			cells[n][i - start] = '\0';
			n++;
			start = i + 1;
		}
	csv_begin(&c, sep, false, sink, &o);
	for (size_t i = 0; i < n; i++)
		csv_text(&c, cells[i]);
	csv_row_end(&c);
	if (csv_finish(&c) != 0)
		abort();

	/* Parse the row back. */
	size_t p = 0;
	for (size_t i = 0; i < n; i++) {
		char  *cell = malloc(o.len + 1);
		size_t k = 0;

		if (p < o.len && o.buf[p] == '"') {
			p++;
			for (;;) {
				if (p >= o.len)
					abort();
				if (o.buf[p] == '"') {
					if (p + 1 < o.len && o.buf[p + 1] == '"') {
						cell[k++] = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				cell[k++] = o.buf[p++];
			}
		} else
			while (p < o.len && o.buf[p] != sep && o.buf[p] != '\r')
				cell[k++] = o.buf[p++];
		cell[k] = '\0';
		const char *want = cells[i];
		const char *got = cell;
		if (*want != '\0' && strchr("=+-@\t\r\n", *want) != NULL) {
			if (*got != '\'')
				abort();	/* formula not neutralised */
			got++;
		}
		if (strcmp(want, got) != 0)
			abort();		/* the cell did not round-trip */
		if (i + 1 < n) {
			if (p >= o.len || o.buf[p] != sep)
				abort();
			p++;
		}
		free(cell);
	}
	if (o.len < 2 || p != o.len - 2 || memcmp(o.buf + p, "\r\n", 2) != 0)
		abort();
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(o.buf);
	return 0;
}
