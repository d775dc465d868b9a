/*
 * db_pg_sql.c: a statement's text for PostgreSQL (see db_pg.h): the
 * placeholders of SQLite's dialect (?, ?N, :name), in which every
 * store_<table>.c writes its statements, shared or PostgreSQL's own,
 * numbered as SQLite numbers them and written $N, so that bind_int64(st,
 * 3, ...) and bind_index(st, ":key") mean the same parameter on both
 * engines. A small lexer: string literals, quoted names, comments and ::
 * casts are copied as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_pg.h"
#include "log.h"

/* The most parameters of one statement (SQLite's default limit is 32766;
 * ours have fewer than 30). */
#define PG_SQL_MAX_PARAMS 999

static bool
is_name_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    ch == '_';
}

static bool
is_name_char(char ch)
{
	return is_name_start(ch) || (ch >= '0' && ch <= '9');
}

/* Copies from *p up to and including the closing quote (a doubled one is
 * part of the text) to *o; an unterminated one runs to the end. */
static void
copy_quoted(const char **p, char **o)
{
	char q = **p;

	*(*o)++ = *(*p)++;
	while (**p != '\0') {
		char ch = *(*p)++;

		*(*o)++ = ch;
		if (ch == q) {
			if (**p != q)
				return;
			*(*o)++ = *(*p)++;
		}
	}
}

/* Copies a comment (-- to the end of the line, or slash-star to star-slash). */
static void
copy_comment(const char **p, char **o)
{
	if ((*p)[0] == '-') {
		while (**p != '\0' && **p != '\n')
			*(*o)++ = *(*p)++;
		return;
	}
	*(*o)++ = *(*p)++;
	*(*o)++ = *(*p)++;
	while (**p != '\0' && !((*p)[0] == '*' && (*p)[1] == '/'))
		*(*o)++ = *(*p)++;
	if (**p != '\0') {
		*(*o)++ = *(*p)++;
		*(*o)++ = *(*p)++;
	}
}

/* The number of the named parameter (name, len) in names[0..*n), a new
 * one (*n + 1) when it is not there yet. */
static int
named_number(char **names, int *n, const char *name, size_t len)
{
	for (int i = 0; i < *n; i++)
		if (names[i] != NULL && strlen(names[i]) == len &&
		    memcmp(names[i], name, len) == 0)
			return i + 1;
	if (*n >= PG_SQL_MAX_PARAMS)
		return -1;
	if ((names[*n] = strndup(name, len)) == NULL)
		log_fatal("out of memory");
	return ++*n;
}

char *
db_pg_sql(const char *sql, int *nparams, char ***names, char *err,
    size_t errlen)
{
	size_t	    len = strlen(sql);
	char	   *out = malloc(4 * len + 1), *o = out;
	char	  **nm = calloc(PG_SQL_MAX_PARAMS, sizeof(char *));
	const char *p = sql;
	int	    n = 0;

	if (out == NULL || nm == NULL)
		log_fatal("out of memory");
	while (*p != '\0') {
		long num;

		if (*p == '\'' || *p == '"') {
			copy_quoted(&p, &o);
			continue;
		}
		if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) {
			copy_comment(&p, &o);
			continue;
		}
		if (p[0] == ':' && p[1] == ':') {
			*o++ = *p++;
			*o++ = *p++;
			continue;
		}
		if (p[0] == ':' && is_name_start(p[1])) {
			const char *name = p;

			for (p++; is_name_char(*p); p++)
				;
			if ((num = named_number(nm, &n, name,
			    (size_t)(p - name))) < 0)
				goto toomany;
			o += sprintf(o, "$%ld", num);
			continue;
		}
		if (*p != '?') {
			*o++ = *p++;
			continue;
		}
		p++;
		if (*p >= '0' && *p <= '9') {
			char *end;

			num = strtol(p, &end, 10);
			p = end;
			if (num < 1 || num > PG_SQL_MAX_PARAMS) {
				snprintf(err, errlen, "placeholder ?%ld out of "
				    "range", num);
				goto fail;
			}
			if (num > n)
				n = (int)num;
		} else {
			if (n >= PG_SQL_MAX_PARAMS)
				goto toomany;
			num = ++n;
		}
		o += sprintf(o, "$%ld", num);
	}
	*o = '\0';
	*nparams = n;
	/* The array was made for the most; keep what is used. */
	if ((*names = realloc(nm, (size_t)(n > 0 ? n : 1) *
	    sizeof(char *))) == NULL)
		log_fatal("out of memory");
	return out;
toomany:
	snprintf(err, errlen, "more than %d placeholders", PG_SQL_MAX_PARAMS);
fail:
	for (int i = 0; i < n; i++)
		free(nm[i]);
	free(nm);
	free(out);
	return NULL;
}
