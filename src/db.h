/*
 * db.h: what the storage layer answers, whatever the engine behind it:
 * the few outcomes handlers care about (enum db_err) and their text, and
 * the shape of a migration. The engines are behind store.h: SQLite in
 * db_sqlite.c and store_sqlite.c.
 */
#ifndef ICOMMIT_DB_H
#define ICOMMIT_DB_H

enum db_err {
	DB_OK = 0,
	DB_NOTFOUND,	/* no such row */
	DB_BUSY,	/* locked past the busy timeout */
	DB_FULL,	/* disk or quota full */
	DB_READONLY,	/* file or directory not writable */
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
