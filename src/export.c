/*
 * export.c: the pledges CSV (see export.h). Column order is API.md's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

static const char *const pledge_header[EXPORT_PLEDGE_COLUMNS] = {
	"id", "created_at", "confirmed_at", "status", "name", "email",
	"organisation", "actor_type", "country", "city", "category",
	"quantity", "unit", "target_year", "language", "public", "commitment",
};

/* Which columns are numbers, times and booleans (the rest is text). */
enum { COL_ID = 0, COL_CREATED = 1, COL_CONFIRMED = 2, COL_QUANTITY = 11,
	COL_TARGET_YEAR = 13, COL_PUBLIC = 15 };

struct export_state {
	struct csv *c;
	uint64_t    rows;
};

static int
export_row(const char *const *cols, void *arg)
{
	struct export_state *x = arg;
	char		     t[TIME_RFC3339_LEN];

	for (int i = 0; i < EXPORT_PLEDGE_COLUMNS; i++) {
		const char *v = cols[i];

		if (v == NULL) {
			csv_empty(x->c);
			continue;
		}
		switch (i) {
		case COL_ID:
		case COL_QUANTITY:
		case COL_TARGET_YEAR:
			csv_int(x->c, strtoll(v, NULL, 10));
			break;
		case COL_CREATED:
		case COL_CONFIRMED:
			time_format(strtoll(v, NULL, 10), t);
			csv_text(x->c, t);
			break;
		case COL_PUBLIC:
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

enum db_err
export_pledges(struct store *s, const struct export_query *q, struct csv *c,
    uint64_t *rows)
{
	struct export_state x = { c, 0 };
	enum db_err	    e;

	for (int i = 0; i < EXPORT_PLEDGE_COLUMNS; i++)
		csv_text(c, pledge_header[i]);
	csv_row_end(c);
	e = store_export_pledges(s, q, export_row, &x);
	csv_finish(c);
	if (rows != NULL)
		*rows = x.rows;
	return e;
}

static const char *const reg_header[EXPORT_REG_COLUMNS] = {
	"id", "registered_at", "status", "waitlist_position", "name", "email",
	"organisation", "country", "role", "language", "checked_in_at",
};

static int
export_reg_row(const char *const *cols, void *arg)
{
	struct export_state *x = arg;
	char		     t[TIME_RFC3339_LEN];

	for (int i = 0; i < EXPORT_REG_COLUMNS; i++) {
		const char *v = cols[i];

		if (v == NULL || (i == 3 && strcmp(v, "0") == 0))
			csv_empty(x->c);
		else if (i == 0 || i == 3)
			csv_int(x->c, strtoll(v, NULL, 10));
		else if (i == 1 || i == 10) {
			time_format(strtoll(v, NULL, 10), t);
			csv_text(x->c, t);
		} else
			csv_text(x->c, v);
	}
	csv_row_end(x->c);
	x->rows++;
	return x->c->failed;
}

enum db_err
export_registrations(struct store *s, int64_t event_id, struct csv *c,
    uint64_t *rows)
{
	struct export_state x = { c, 0 };
	enum db_err	    e;

	for (int i = 0; i < EXPORT_REG_COLUMNS; i++)
		csv_text(c, reg_header[i]);
	csv_row_end(c);
	e = store_export_registrations(s, event_id, export_reg_row, &x);
	csv_finish(c);
	if (rows != NULL)
		*rows = x.rows;
	return e;
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
