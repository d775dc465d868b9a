/*
 * store_driver.h: the boundary between the storage layer's machinery
 * (store.c, store_stmt.c) and a database engine. An engine is one const
 * struct store_driver of function pointers; store.c picks it per
 * connection from the database setting and calls nothing else of the
 * engine. SQLite's is store_sqlite.c (with db_sqlite.c); PostgreSQL's
 * is store_pg.c (with db_pg.c and db_pg_sql.c), built with
 * ICOMMIT_POSTGRES.
 * Only store.c, store_stmt.c and the drivers include this header:
 * store_<table>.c see struct stmt as opaque (store_impl.h), the rest of
 * the program sees struct store as opaque (store.h).
 */
#ifndef ICOMMIT_STORE_DRIVER_H
#define ICOMMIT_STORE_DRIVER_H

#include <stddef.h>

#include "store_impl.h"

/*
 * The head of every engine's statement: a driver's own statement struct
 * has it as its first member (and casts). A statement belongs to one
 * connection and is used by one thread at a time.
 */
struct stmt {
	const struct store_driver *drv;
	bool		 campaigns;	/* writes campaigns or campaign_counters
					 * (set by store_stmt.c) */
	bool		 events;	/* writes events, but not only the seat
					 * count (set by store_stmt.c) */
};

/* The head of a driver's syncer (store_syncer_open), like struct stmt. */
struct store_syncer {
	const struct store_driver *drv;
};

struct store {
	const struct store_driver *drv;
	void	      *conn;		/* the driver's connection (sqlite3 *) */
	bool	       readonly;	/* opened immutable: writes refused */
	struct stmt  **stmt[SET__MAX];	/* [set][id], NULL until first used;
					 * no arrays on a store_connect one */
	bool	       campaigns_written; /* see store_campaigns_written */
	bool	       events_written;	/* see store_events_written */
};

/* open's flags: STORE_CREATE and STORE_READONLY of store.h, and: */
#define STORE_OR_IMMUTABLE 0x100 /* when it cannot be opened for writing,
				  * an immutable read-only view (and set
				  * s->readonly) */

/* Whether a connection is a worker's or the writer's (tune). */
enum store_role {
	STORE_ROLE_WORKER,
	STORE_ROLE_WRITER,
};

/* What checkpoint does (store.h: store_checkpoint and its kin). */
enum store_ckpt {
	STORE_CKPT_PASSIVE,	/* copy what it can, block no one */
	STORE_CKPT_FLUSH,	/* ... then fdatasync the database file */
	STORE_CKPT_TRUNCATE,	/* copy all, empty the WAL file */
};

/*
 * An engine. Every member is set. Unless said otherwise, int results are
 * 0 or -1 (then err holds one line, for the operator: never a password),
 * and failures of enum db_err results are logged by the driver as "what:
 * the engine's message (code)" before it returns.
 */
struct store_driver {
	const char *name;	/* "sqlite", "postgresql" */
	/* The most jobs the writer puts in one transaction (each in its own
	 * savepoint), 0 for no limit of the engine's; and whether the engine
	 * locks rows, so that a batch's jobs should take their locks in one
	 * order (writer.h's struct writer_job order). */
	int	max_batch;
	bool	row_locks;

	/* -- connections -- */
	/* Opens database (the setting as written) into s->conn (and
	 * s->readonly); flags as above. */
	int	(*open)(struct store *s, const char *database, int flags,
		    char *err, size_t errlen);
	/* Closes s->conn, which may be NULL; every statement is finalized. */
	void	(*close)(struct store *s);
	/* The newest migration compiled in for the engine (the same number
	 * for every engine), and the database's (-1 when unreadable). */
	int	(*schema_latest)(void);
	int	(*schema_version)(struct store *s);
	/* Applies the engine's pending migrations (sql/<engine>/). */
	int	(*migrate)(struct store *s, int *applied, char *err,
		    size_t errlen);

	/* -- statements -- */
	/* Prepares set->sql[id], or the engine's own text of set (sql_pg),
	 * for as long as the connection lives; NULL with err set. */
	struct stmt *(*prepare)(struct store *s, const struct stmt_set *set,
		    int id, char *err, size_t errlen);
	void	(*finalize)(struct stmt *st);
	/* Runs st to its next row: DB_OK with *row true (a row to read) or
	 * false (done); or a failure, logged, with st reset. */
	enum db_err (*step)(struct store *s, struct stmt *st, bool *row,
		    const char *what);
	/* Ends st's run and clears its bindings, ready for the next. */
	void	(*reset)(struct stmt *st);
	/* The next run of st reads many rows once (a CSV export,
	 * store_stream_rows): the engine may fetch them in pieces, in
	 * memory that does not grow with their number. */
	void	(*stream)(struct stmt *st);
	/* Rows changed by the last statement stepped on s, and the id of the
	 * last row inserted (asked when an INSERT returned no row). */
	int64_t	(*changes)(struct store *s);
	int64_t	(*last_insert_id)(struct store *s);
	/* Parameters from 1; text and blobs are borrowed until the step and
	 * never NULL here (store_stmt.c binds NULL for them). */
	int	(*bind_index)(struct stmt *st, const char *name);
	void	(*bind_int64)(struct stmt *st, int i, int64_t v);
	void	(*bind_text)(struct stmt *st, int i, const char *v);
	void	(*bind_blob)(struct stmt *st, int i, const void *v,
		    size_t len);
	void	(*bind_null)(struct stmt *st, int i);
	/* Columns of the current row from 0; a NULL reads as 0 or NULL
	 * (*len 0); what is returned is valid until the next step or reset. */
	int	(*col_count)(struct stmt *st);
	const char *(*col_name)(struct stmt *st, int col);
	enum col_type (*col_type)(struct stmt *st, int col);
	int64_t	(*col_int64)(struct stmt *st, int col);
	const char *(*col_text)(struct stmt *st, int col, size_t *len);
	const void *(*col_blob)(struct stmt *st, int col, size_t *len);

	/* -- transactions (store.h) -- */
	enum db_err (*begin)(struct store *s);
	enum db_err (*commit)(struct store *s);
	void	(*rollback)(struct store *s);
	bool	(*in_txn)(struct store *s);

	/* -- the connection as a whole (store.h; a no-op where the engine
	 * has nothing to do) -- */
	void	(*tune)(struct store *s, enum store_role role);
	void	(*release_memory)(struct store *s);
	enum db_err (*checkpoint)(struct store *s, enum store_ckpt mode,
		    int64_t *frames, int64_t *left);
	int	(*backup)(struct store *s, const char *dest, char *err,
		    size_t errlen);
	bool	(*integrity_ok)(struct store *s);
	/* Gives the space of deleted rows back (store_vacuum). */
	int	(*vacuum)(struct store *s, bool full, char *err, size_t errlen);

	/* -- the writer's deferred sync (store.h; syncer_open returns NULL
	 * where each commit is durable when it returns) -- */
	struct store_syncer *(*syncer_open)(struct store *s);
	int	(*syncer_sync)(struct store_syncer *y);
	void	(*syncer_close)(struct store *s, struct store_syncer *y);
	/* -- full-text search (store_search_query) -- */
	char   *(*search_query)(const char *words);
};

extern const struct store_driver store_sqlite_driver;
#ifdef ICOMMIT_POSTGRES
extern const struct store_driver store_pg_driver;
#endif

/* store_stmt.c's part of opening and closing (for store.c): the empty
 * arrays of statements, every statement prepared at once (0, or -1 with
 * err naming it, after label: store_label), and every statement finalized
 * and the arrays freed. */
void	store_stmts_new(struct store *s);
int	store_stmts_prepare(struct store *s, const char *label, char *err,
	    size_t errlen);
void	store_stmts_free(struct store *s);

#endif
