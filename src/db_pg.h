/*
 * db_pg.h: PostgreSQL connections for the PostgreSQL driver of the storage
 * layer (store_pg.c), and nobody else: connecting (and reconnecting after
 * a lost connection), the mapping of SQLSTATEs to enum db_err, the
 * migrations compiled from sql/pg/ under their advisory lock, the tuning
 * of a connection, VACUUM and the health check (db_pg.c); and the
 * PostgreSQL text of a statement, its placeholders numbered (db_pg_sql.c).
 */
#ifndef ICOMMIT_DB_PG_H
#define ICOMMIT_DB_PG_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Generated at build time from sql/pg/ (scripts/cmake/embed_sql.cmake), in
 * order. */
extern const struct migration db_pg_migrations[];
extern const int db_pg_migrations_count;

/* The most commands held back to go with the next statement (see
 * deferred). */
#define DB_PG_DEFERRED 4

/*
 * One connection (a struct store's conn). Used by one thread at a time.
 * After a lost connection (or one to a standby) it is marked broken and
 * made again before its next use outside a transaction; gen then moves on,
 * so that each statement is prepared again (the server forgot them).
 */
struct pg_conn {
	PGconn	   *pg;
	unsigned    gen;	/* bumped by every (re)connection */
	bool	    broken;	/* reconnect before the next use */
	bool	    in_txn;	/* between store_begin and commit/rollback */
	bool	    txn_sent;	/* ... and something of it reached the server */
	bool	    writer;	/* tuned as the writer's */
	int64_t	    changes;	/* rows changed by the last INSERT/UPDATE/... */
	unsigned    names;	/* statements s1, s2, ... prepared so far */
	/*
	 * Commands whose only outcome is success or a failure that the next
	 * statement would meet anyway (BEGIN, SAVEPOINT, RELEASE): held back
	 * and sent in one pipeline with the next statement, which saves a
	 * round trip each (static strings).
	 */
	const char *deferred[DB_PG_DEFERRED];
	int	    ndeferred;
};

/*
 * Connects to database (a postgresql:// URI or a key=value conninfo, never
 * logged: it may hold a password). Returns 0, or -1 with one line in err.
 */
int	db_pg_connect(struct pg_conn *c, const char *database, char *err,
	    size_t errlen);
void	db_pg_close(struct pg_conn *c);
/* Connects again (after broken was set), tuned as before; 0, or -1
 * (logged). The caller says what becomes of its transaction. */
int	db_pg_reconnect(struct pg_conn *c);

/*
 * What a failed result means: logged as "what: message (SQLSTATE)"
 * (without values: a message that could quote one is cut to its
 * SQLSTATE and constraint), mapped to a db_err; marks c broken when the
 * connection is gone or is a standby's. res may be NULL (out of memory,
 * or no connection).
 */
enum db_err db_pg_fail(struct pg_conn *c, const PGresult *res,
	    const char *what);
/* Whether res (or its absence) says that the connection is gone. */
bool	db_pg_lost(struct pg_conn *c, const PGresult *res);
/* Whether res succeeded (a command, or rows). */
bool	db_pg_ok(const PGresult *res);
/* Runs one command without parameters or rows wanted; DB_OK or its
 * failure (logged as what). */
enum db_err db_pg_command(struct pg_conn *c, const char *sql,
	    const char *what);

/* The settings of a worker's or (writer) the writer's connection, made
 * again after each reconnection. */
void	db_pg_tune(struct pg_conn *c, bool writer);

/* The newest migration compiled in; the one the database is at (0 for an
 * empty database, -1 when it cannot be read). */
int	db_pg_schema_latest(void);
int	db_pg_schema_version(struct pg_conn *c);
/* Applies the pending migrations of sql/pg/ under the migrator's advisory
 * lock (sql/pg/README.md). Returns 0, or -1 with err set. */
int	db_pg_migrate(struct pg_conn *c, int *applied, char *err,
	    size_t errlen);

/* VACUUM (ANALYZE), or with full VACUUM (FULL, ANALYZE), of the tables
 * that hold personal data. Returns 0, or -1 with err set. */
int	db_pg_vacuum(struct pg_conn *c, bool full, char *err, size_t errlen);
/* The server answers and the schema is this program's. */
bool	db_pg_integrity_ok(struct pg_conn *c);

/*
 * A statement's text for PostgreSQL: SQLite's placeholders numbered as
 * SQLite numbers them (? the next number, ?N, :name the same number at
 * every use) and written $N, outside string literals, quoted names,
 * comments and :: casts. Returns the new text (free()) and sets *nparams
 * (the highest number) and *names (a new array of *nparams names, ":key"
 * at the number of a named parameter, else NULL; free each and it), or
 * NULL on a placeholder it cannot number (err set).
 */
char   *db_pg_sql(const char *sql, int *nparams, char ***names, char *err,
	    size_t errlen);

#endif
