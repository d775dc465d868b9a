/*
 * db.c: the text of the storage layer's outcomes (see db.h), the same for
 * every engine.
 */
#include "db.h"

const char *
db_strerror(enum db_err e)
{
	switch (e) {
	case DB_OK:
		return "ok";
	case DB_NOTFOUND:
		return "not found";
	case DB_BUSY:
		return "database busy";
	case DB_FULL:
		return "disk full";
	case DB_READONLY:
		return "database read-only";
	case DB_RETRY:
		return "conflict with another transaction";
	case DB_ERROR:
		break;
	}
	return "database error";
}
