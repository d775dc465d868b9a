/*
 * pledges.h: the pledges resource, in two files: pledges.c (submission,
 * confirmation, the public wall) and moderation.c (the staff side:
 * listing, decisions, the CSV export). What other modules use of it.
 */
#ifndef ICOMMIT_PLEDGES_H
#define ICOMMIT_PLEDGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "download.h"
#include "store.h"
#include "store_pledges.h"

/* A pledge as JSON: PUBLIC_PLEDGE of API.md (never the e-mail), or with
 * staff every field (status, e-mail, language, public, confirmed_at). */
json_t	*pledge_json(const struct pledge *p, bool staff);

/*
 * The confirm endpoint's job for a "pledge" token: pledge ref is counted
 * from now on (confirming again changes nothing). Sets *campaign (its
 * slug, from arena) and *count (the campaign's count afterwards). Runs
 * inside the writer's transaction.
 */
enum db_err pledges_confirm_tx(struct store *s, struct arena *arena,
	    int64_t ref, const char **campaign, int64_t *count);

/* A staff decision on one pledge, run as a writer job (or inside any
 * transaction, as icommitctl does): moderation_tx(store, &m). */
struct moderation {
	int64_t	      id;
	bool	      approve;	/* else reject */
	struct arena *arena;
	bool	      unconfirmed; /* out: approval refused, never confirmed */
	const char   *status;	   /* out: the status afterwards */
	bool	      changed;	   /* out: the status changed */
};
enum db_err moderation_tx(struct store *s, void *arg);

/* The pledges CSV of API.md (?campaign=, ?status=, ?from=, ?to=). */
extern const struct export pledges_export;

#endif
