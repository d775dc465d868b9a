/*
 * export.c: the pledges CSV (see export.h). Column order is API.md's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

/*
 * Every export is a header row, then rows of text columns from the store,
 * each written by its kind, one letter a column:
 *   i  an integer            t  a time (seconds) as RFC 3339
 *   p  a positive integer, empty when 0      b  "0"/"1" as false/true
 *   s  text (neutralised against formulas by csv_text)
 * NULL is an empty cell whatever the kind.
 */
#define PLEDGE_KINDS	 "ittssssssssisisbs"
#define REG_KINDS	 "itspsssssst"
#define SUBSCRIBER_KINDS "ittsssss"
_Static_assert(sizeof(PLEDGE_KINDS) - 1 == EXPORT_PLEDGE_COLUMNS, "kinds");
_Static_assert(sizeof(REG_KINDS) - 1 == EXPORT_REG_COLUMNS, "kinds");
_Static_assert(sizeof(SUBSCRIBER_KINDS) - 1 == EXPORT_SUBSCRIBER_COLUMNS,
    "kinds");

struct export_state {
	struct csv *c;
	const char *kinds;
	uint64_t    rows;
};

static int
export_row(const char *const *cols, void *arg)
{
	struct export_state *x = arg;
	char		     t[TIME_RFC3339_LEN];

	for (size_t i = 0; x->kinds[i] != '\0'; i++) {
		const char *v = cols[i];

		if (v == NULL || (x->kinds[i] == 'p' && strcmp(v, "0") == 0)) {
			csv_empty(x->c);
			continue;
		}
		switch (x->kinds[i]) {
		case 'i':
		case 'p':
			csv_int(x->c, strtoll(v, NULL, 10));
			break;
		case 't':
			time_format(strtoll(v, NULL, 10), t);
			csv_text(x->c, t);
			break;
		case 'b':
			csv_text(x->c, strcmp(v, "0") != 0 ? "true" : "false");
			break;
		default:
			csv_text(x->c, v);
		}
	}
	csv_row_end(x->c);
	x->rows++;
	/* Stop reading rows once the reader has gone. */
	return x->c->failed;
}

/* Writes the header, then runs the store's row reader (set up by the
 * caller through rows_fn) into c, then finishes c. */
static enum db_err
export_run(struct csv *c, const char *const *header, const char *kinds,
    enum db_err (*rows_fn)(struct store *, const void *, store_row_fn, void *),
    struct store *s, const void *arg, uint64_t *rows)
{
	struct export_state x = { c, kinds, 0 };
	enum db_err	    e;

	for (size_t i = 0; kinds[i] != '\0'; i++)
		csv_text(c, header[i]);
	csv_row_end(c);
	e = rows_fn(s, arg, export_row, &x);
	csv_finish(c);
	if (rows != NULL)
		*rows = x.rows;
	return e;
}

static const char *const pledge_header[EXPORT_PLEDGE_COLUMNS] = {
	"id", "created_at", "confirmed_at", "status", "name", "email",
	"organisation", "actor_type", "country", "city", "category",
	"quantity", "unit", "target_year", "language", "public", "commitment",
};

static enum db_err
pledge_rows(struct store *s, const void *q, store_row_fn fn, void *arg)
{
	return store_export_pledges(s, q, fn, arg);
}

enum db_err
export_pledges(struct store *s, const struct export_query *q, struct csv *c,
    uint64_t *rows)
{
	return export_run(c, pledge_header, PLEDGE_KINDS, pledge_rows,
	    s, q, rows);
}

static const char *const reg_header[EXPORT_REG_COLUMNS] = {
	"id", "registered_at", "status", "waitlist_position", "name", "email",
	"organisation", "country", "role", "language", "checked_in_at",
};

static enum db_err
reg_rows(struct store *s, const void *event_id, store_row_fn fn, void *arg)
{
	return store_export_registrations(s, *(const int64_t *)event_id, fn,
	    arg);
}

enum db_err
export_registrations(struct store *s, int64_t event_id, struct csv *c,
    uint64_t *rows)
{
	return export_run(c, reg_header, REG_KINDS, reg_rows, s,
	    &event_id, rows);
}

static const char *const subscriber_header[EXPORT_SUBSCRIBER_COLUMNS] = {
	"id", "subscribed_at", "confirmed_at", "status", "email", "name",
	"language", "consent_version",
};

static enum db_err
subscriber_rows(struct store *s, const void *unused, store_row_fn fn,
    void *arg)
{
	(void)unused;
	return store_export_subscribers(s, fn, arg);
}

enum db_err
export_subscribers(struct store *s, struct csv *c, uint64_t *rows)
{
	return export_run(c, subscriber_header, SUBSCRIBER_KINDS, subscriber_rows,
	    s, NULL, rows);
}

/* ---- comments and consultants ---- */

/*
 * A table whose columns are typed by one letter each: 'i' a number, 't' a
 * Unix time written in RFC 3339, 's' text.
 */
struct typed_export {
	struct csv *c;
	const char *types;
	uint64_t    rows;
};

static int
export_typed_row(const char *const *cols, void *arg)
{
	struct typed_export *x = arg;
	char		     t[TIME_RFC3339_LEN];

	for (int i = 0; x->types[i] != '\0'; i++) {
		if (cols[i] == NULL)
			csv_empty(x->c);
		else if (x->types[i] == 'i')
			csv_int(x->c, strtoll(cols[i], NULL, 10));
		else if (x->types[i] == 't') {
			time_format(strtoll(cols[i], NULL, 10), t);
			csv_text(x->c, t);
		} else
			csv_text(x->c, cols[i]);
	}
	csv_row_end(x->c);
	x->rows++;
	return x->c->failed;
}

/* Writes the header row and starts x. */
static void
export_typed_begin(struct typed_export *x, struct csv *c,
    const char *const *header, const char *types)
{
	for (int i = 0; types[i] != '\0'; i++)
		csv_text(c, header[i]);
	csv_row_end(c);
	x->c = c;
	x->types = types;
	x->rows = 0;
}

static enum db_err
export_typed_end(struct typed_export *x, enum db_err e, uint64_t *rows)
{
	csv_finish(x->c);
	if (rows != NULL)
		*rows = x->rows;
	return e;
}

static const char *const comment_header[EXPORT_COMMENT_COLUMNS] = {
	"id", "created_at", "topic", "language", "name", "email", "message",
	"handled_at", "handled_by",
};

enum db_err
export_comments(struct store *s, const struct comment_query *q,
    struct csv *c, uint64_t *rows)
{
	struct typed_export x;

	export_typed_begin(&x, c, comment_header, "itsssssts");
	return export_typed_end(&x, store_export_comments(s, q,
	    export_typed_row, &x), rows);
}

static const char *const consultant_header[EXPORT_CONSULTANT_COLUMNS] = {
	"id", "created_at", "confirmed_at", "name", "email", "country",
	"organisation", "expertise", "languages", "profile_url", "bio",
};

enum db_err
export_consultants(struct store *s, const struct consultant_query *q,
    struct csv *c, uint64_t *rows)
{
	struct typed_export x;

	export_typed_begin(&x, c, consultant_header, "ittssssssss");
	return export_typed_end(&x, store_export_consultants(s, q,
	    export_typed_row, &x), rows);
}

void
export_filename(const char *what, char *out, size_t outlen)
{
	char t[TIME_RFC3339_LEN];

	time_format(now_unix(), t);
	snprintf(out, outlen, "icommit-%s-%.10s.csv", what, t);
}
