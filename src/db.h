/*
 * db.h: what the storage layer answers, whatever the engine behind it:
 * the few outcomes handlers care about (enum db_err) and their text, and
 * the shape of a migration. The engines are behind store.h: SQLite in
 * db_sqlite.c and store_sqlite.c, PostgreSQL in db_pg.c and store_pg.c.
 */
#ifndef ICOMMIT_DB_H
#define ICOMMIT_DB_H

enum db_err {
	DB_OK = 0,
	DB_NOTFOUND,	/* no such row */
	DB_BUSY,	/* locked past the busy timeout */
	DB_FULL,	/* disk or quota full */
	DB_READONLY,	/* file or directory not writable (PostgreSQL: a
			 * standby, e.g. the old primary after a failover) */
	DB_RETRY,	/* a conflict with another connection: a
			 * serialization failure, a deadlock, or a race on a
			 * unique key lost to another node; the whole
			 * transaction may succeed if run again (the writer
			 * does, a few times). Never from SQLite. */
	DB_ERROR,	/* anything else (logged) */
};

const char *db_strerror(enum db_err e);

/* One schema migration of an engine, compiled in from sql/<engine>/. */
struct migration {
	int	    version;	/* the number in NNN_name.sql */
	const char *name;	/* "NNN_name" */
	const char *sql;
};

#endif
