/*
 * loginlimit.h: the staff login throttle. Only failures count, per client
 * address (RATELIMIT_LOGIN) and per user name (RATELIMIT_LOGIN_ACCOUNT),
 * with ratelimit_init's allowances; a login is refused (429) once either
 * has run out. With one daemon on SQLite the counts are ratelimit.c's
 * buckets in memory; where several nodes share the database (PostgreSQL,
 * store_shared) they are in it (store_nodes.h: login_attempts, one row per
 * key and minute), so that a guesser gains nothing by spreading attempts
 * over the nodes.
 */
#ifndef ICOMMIT_LOGINLIMIT_H
#define ICOMMIT_LOGINLIMIT_H

#include <stdbool.h>

#include "request.h"
#include "writer.h"

/* Whether r's client may try username now; false with *retry_after
 * (seconds, ≥ 1) when either count is at its allowance. */
bool	loginlimit_allowed(struct req *r, const char *username,
	    int *retry_after);
/* Counts a failed login of r's client as username. */
void	loginlimit_failed(struct req *r, const char *username);
/* Forgets the minutes that no longer count (the scheduler, every minute;
 * nothing on SQLite). */
void	loginlimit_purge(struct store *s, struct writer *w);

#endif
