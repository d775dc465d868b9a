/*
 * store_pg_values.c: the PostgreSQL driver's parameters and columns (see
 * store_pg_impl.h): parameters go as text (an int64 printed into the
 * statement's own buffer) or, for a blob, as binary, at the number SQLite
 * gives them (a :name at its number); columns of the current row come as
 * text, a bytea decoded until the next step or reset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_pg_impl.h"

/* ---- parameters ---- */

int
pg_bind_index(struct stmt *base, const char *name)
{
	struct pg_stmt *st = pg_raw(base);

	for (int i = 0; i < st->nparams; i++)
		if (st->names[i] != NULL && strcmp(st->names[i], name) == 0)
			return i + 1;
	return 0;
}

/* Parameter i (from 1) of st, or NULL when st has no such one. */
static bool
param_ok(struct pg_stmt *st, int i)
{
	return i >= 1 && i <= st->nparams;
}

void
pg_bind_int64(struct stmt *base, int i, int64_t v)
{
	struct pg_stmt *st = pg_raw(base);

	if (!param_ok(st, i))
		return;
	snprintf(st->num[i - 1], sizeof(st->num[0]), "%lld", (long long)v);
	st->values[i - 1] = st->num[i - 1];
	st->formats[i - 1] = 0;
}

void
pg_bind_text(struct stmt *base, int i, const char *v)
{
	struct pg_stmt *st = pg_raw(base);

	if (!param_ok(st, i))
		return;
	st->values[i - 1] = v;
	st->formats[i - 1] = 0;
}

void
pg_bind_blob(struct stmt *base, int i, const void *v, size_t len)
{
	struct pg_stmt *st = pg_raw(base);

	if (!param_ok(st, i))
		return;
	st->values[i - 1] = v;
	st->lengths[i - 1] = (int)len;
	st->formats[i - 1] = 1;		/* binary: the bytes as they are */
}

void
pg_bind_null(struct stmt *base, int i)
{
	struct pg_stmt *st = pg_raw(base);

	if (param_ok(st, i))
		st->values[i - 1] = NULL;
}

/* ---- columns of the current row ---- */

static bool
col_ok(struct pg_stmt *st, int col)
{
	return st->res != NULL && st->row < st->nrows && col >= 0 &&
	    col < PQnfields(st->res);
}

int
pg_col_count(struct stmt *base)
{
	struct pg_stmt *st = pg_raw(base);

	return st->res != NULL ? PQnfields(st->res) : 0;
}

const char *
pg_col_name(struct stmt *base, int col)
{
	struct pg_stmt *st = pg_raw(base);

	return st->res != NULL ? PQfname(st->res, col) : NULL;
}

enum col_type
pg_col_type(struct stmt *base, int col)
{
	struct pg_stmt *st = pg_raw(base);

	if (!col_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return COL_NULL;
	switch (PQftype(st->res, col)) {
	case PG_INT2OID:
	case PG_INT4OID:
	case PG_INT8OID:
	case PG_BOOLOID:
		return COL_INT;
	case PG_NUMERICOID:	/* a sum: an integer unless it has a point */
		return strchr(PQgetvalue(st->res, st->row, col), '.') ?
		    COL_OTHER : COL_INT;
	default:
		return COL_OTHER;
	}
}

int64_t
pg_col_int64(struct stmt *base, int col)
{
	struct pg_stmt *st = pg_raw(base);
	const char     *v;

	if (!col_ok(st, col) || PQgetisnull(st->res, st->row, col))
		return 0;
	v = PQgetvalue(st->res, st->row, col);
	if (PQftype(st->res, col) == PG_BOOLOID)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

const char *
pg_col_text(struct stmt *base, int col, size_t *len)
{
	struct pg_stmt *st = pg_raw(base);

	if (!col_ok(st, col) || PQgetisnull(st->res, st->row, col)) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = (size_t)PQgetlength(st->res, st->row, col);
	return PQgetvalue(st->res, st->row, col);
}

const void *
pg_col_blob(struct stmt *base, int col, size_t *len)
{
	struct pg_stmt *st = pg_raw(base);
	const char     *v = pg_col_text(base, col, len);
	unsigned char  *b;

	if (v == NULL || PQftype(st->res, col) != PG_BYTEAOID)
		return v;
	/* Text results show bytea as \x and hex: decoded, kept until the
	 * next step or reset. */
	if (st->nblob == (int)(sizeof(st->blob) / sizeof(st->blob[0]))) {
		PQfreemem(st->blob[0]);
		memmove(st->blob, st->blob + 1, sizeof(st->blob) -
		    sizeof(st->blob[0]));
		st->nblob--;
	}
	if ((b = PQunescapeBytea((const unsigned char *)v, len)) == NULL)
		log_fatal("out of memory");
	st->blob[st->nblob++] = b;
	return b;
}
