/*
 * store_pg_impl.h: what the PostgreSQL driver's two files share:
 * store_pg.c (connections, statements, runs, transactions) and
 * store_pg_values.c (a statement's parameters and the columns of its
 * current row). Nothing else includes it.
 */
#ifndef ICOMMIT_STORE_PG_IMPL_H
#define ICOMMIT_STORE_PG_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db_pg.h"
#include "store_driver.h"

/* Type oids of pg_type (catalog/pg_type_d.h, not installed for clients). */
#define PG_BOOLOID	16
#define PG_BYTEAOID	17
#define PG_INT8OID	20
#define PG_INT2OID	21
#define PG_INT4OID	23
#define PG_NUMERICOID	1700

struct pg_stmt {
	struct stmt	base;	/* first: a struct stmt * is one of these */
	struct pg_conn *c;
	char		name[16];	/* s12 */
	char	       *sql;		/* the text, $N placeholders */
	unsigned	gen;		/* c->gen when prepared (0: not yet) */
	bool		readonly;	/* a SELECT: may run again at once */
	bool		deferrable;	/* SAVEPOINT, RELEASE (see deferred) */
	bool		per_run;	/* planned at each run (PG_PLAN_PER_RUN) */
	int		nparams;
	char	      **names;		/* ":key" at its number, or NULL */
	const char    **values;
	int	       *lengths, *formats;
	char	      (*num)[24];	/* the text of int64 parameters */
	/* A run: its rows, the current one. */
	bool		running;
	PGresult       *res;
	int		row, nrows;
	/* A streamed run (pg_stream): its cursor, whether it opened its
	 * own transaction, whether the cursor has more rows, and whether
	 * their FETCH is sent and its rows not read yet (store_pg.c). */
	bool		stream, cursor, own_txn, more, ahead;
	char	       *declare;
	/* bytea columns decoded by col_blob until the next step or reset */
	unsigned char  *blob[4];
	int		nblob;
};

static inline struct pg_stmt *
pg_raw(struct stmt *st)
{
	return (struct pg_stmt *)st;
}

/* store_pg_values.c: the driver's bind_* and col_* (store_driver.h). */
int		 pg_bind_index(struct stmt *base, const char *name);
void		 pg_bind_int64(struct stmt *base, int i, int64_t v);
void		 pg_bind_text(struct stmt *base, int i, const char *v);
void		 pg_bind_blob(struct stmt *base, int i, const void *v,
		    size_t len);
void		 pg_bind_null(struct stmt *base, int i);
int		 pg_col_count(struct stmt *base);
const char	*pg_col_name(struct stmt *base, int col);
enum col_type	 pg_col_type(struct stmt *base, int col);
int64_t		 pg_col_int64(struct stmt *base, int col);
const char	*pg_col_text(struct stmt *base, int col, size_t *len);
const void	*pg_col_blob(struct stmt *base, int col, size_t *len);

#endif
