/*
 * download.c: the runner of every staff CSV export and the row writer
 * shared with icommitctl (see download.h). Column order and kinds belong
 * to each export; this file only turns columns into CSV cells.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "download.h"
#include "log.h"
#include "response.h"

int
export_format(const struct kvlist *q, char *sep, bool *bom)
{
	static const char *const seps[] = { "comma", "semicolon", NULL };
	static const char *const boms[] = { "0", "1", NULL };
	const char *s, *b;

	if (form_choice(q, "sep", seps, &s) != 0 ||
	    form_choice(q, "bom", boms, &b) != 0)
		return -1;
	*sep = s != NULL && strcmp(s, "semicolon") == 0 ? ';' : ',';
	*bom = b == NULL || strcmp(b, "1") == 0;
	return 0;
}

int
export_params_read(const struct export *x, struct export_params *p)
{
	p->query = arena_alloc(p->arena, x->query_size ? x->query_size : 1);
	memset(p->query, 0, x->query_size ? x->query_size : 1);
	p->bad = NULL;
	p->e = DB_OK;
	return x->read != NULL ? x->read(p) : 0;
}

struct export_state {
	struct csv *c;
	const char *kinds;
	uint64_t    rows;
};

/*
 * One row: each column as its kind says (download.h). The number kinds
 * read the column as a number (SQLite: the stored integer, not its text).
 */
static int
export_row(const struct store_row *row, void *arg)
{
	struct export_state *x = arg;
	char		     t[TIME_RFC3339_LEN];
	int64_t		     n;

	for (int i = 0; x->kinds[i] != '\0'; i++) {
		char kind = x->kinds[i];

		if (kind != 'i' && kind != 'p' && kind != 't' && kind != 'b') {
			csv_text(x->c, store_row_text(row, i));
			continue;
		}
		if (!store_row_int64(row, i, &n) || (kind == 'p' && n == 0)) {
			csv_empty(x->c);
			continue;
		}
		switch (kind) {
		case 't':
			time_format(n, t);
			csv_text(x->c, t);
			break;
		case 'b':
			csv_text(x->c, n != 0 ? "true" : "false");
			break;
		default:
			csv_int(x->c, n);
		}
	}
	csv_row_end(x->c);
	x->rows++;
	/* Stop reading rows once the reader has gone. */
	return x->c->failed;
}

enum db_err
export_write(struct store *s, const struct export *x, const void *query,
    struct csv *c, uint64_t *rows)
{
	struct export_state st = { c, x->kinds, 0 };
	enum db_err	    e;

	for (size_t i = 0; x->kinds[i] != '\0'; i++)
		csv_text(c, x->columns[i]);
	csv_row_end(c);
	e = x->rows(s, query, export_row, &st);
	csv_finish(c);
	if (rows != NULL)
		*rows = st.rows;
	return e;
}

void
export_filename(const char *what, char *out, size_t outlen)
{
	char t[TIME_RFC3339_LEN];

	time_format(now_unix(), t);
	snprintf(out, outlen, "icommit-%s-%.10s.csv", what, t);
}

static int
stream_sink(void *arg, const void *buf, size_t len)
{
	return resp_stream_write(arg, buf, len);
}

void
download_run(struct req *r, const struct export *x)
{
	struct export_params p = { .store = r->store, .arena = r->arena };
	struct kvlist	     q;
	struct csv	    *c;
	char		     name[64], sep;
	bool		     bom;
	uint64_t	     rows = 0;
	enum db_err	     e;

	if (req_query(r, &q) != 0)
		return;
	if (export_format(&q, &sep, &bom) != 0) {
		resp_error(r, 400, "bad_request", NULL);
		return;
	}
	p.q = &q;
	p.detail = r->query[0] != '\0' ? r->query : NULL;
	if (export_params_read(x, &p) != 0) {
		if (p.e == DB_OK)
			resp_error(r, 400, "bad_request", NULL);
		else
			resp_db_error(r, p.e);
		return;
	}
	if ((e = audit_run(r, "export", x->name, p.detail, NULL, NULL)) !=
	    DB_OK) {
		resp_db_error(r, e);
		return;
	}
	export_filename(x->name, name, sizeof(name));
	resp_header(r, "Content-Disposition", "attachment; filename=\"%s\"",
	    name);
	resp_stream_begin(r, 200, "text/csv; charset=utf-8");
	c = arena_alloc(r->arena, sizeof(*c));
	csv_begin(c, sep, bom, stream_sink, r);
	e = export_write(r->store, x, p.query, c, &rows);
	if (e != DB_OK)
		log_error("export of %s stopped after %llu rows: %s", x->name,
		    (unsigned long long)rows, db_strerror(e));
}
