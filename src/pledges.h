/*
 * pledges.h: pledge logic shared by the HTTP handlers and icommitctl.
 */
#ifndef ICOMMIT_PLEDGES_H
#define ICOMMIT_PLEDGES_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"

struct store;

/* A staff decision on one pledge, run as a writer job (or inside any
 * transaction): pledge_moderate_tx(store, &m). */
struct moderation {
	int64_t	      id;
	bool	      approve;	/* else reject */
	struct arena *arena;
	bool	      unconfirmed; /* out: approval refused, never confirmed */
	const char   *status;	   /* out: the status afterwards */
	bool	      changed;	   /* out: the status changed */
};
enum db_err pledge_moderate_tx(struct store *s, void *arg);

#endif
