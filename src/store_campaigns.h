/*
 * store_campaigns.h: campaigns, their counters. Implemented in
 * store_campaigns.c; the connection and the types every table shares are
 * in store.h.
 */
#ifndef ICOMMIT_STORE_CAMPAIGNS_H
#define ICOMMIT_STORE_CAMPAIGNS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct campaign {
	int64_t	    id;
	const char *slug;
	const char *title[LANG__MAX];
	const char *description[LANG__MAX];
	bool	    has_goal;
	int64_t	    goal;
	bool	    has_opens_at, has_closes_at;
	int64_t	    opens_at, closes_at;
	bool	    paused;
	int64_t	    count;		/* counted pledges */
	int64_t	    count_updated_at;
};

/* A campaign's state at time now: "open", "paused", "upcoming", "closed". */
const char *campaign_status(const struct campaign *c, int64_t now);

/* Strings in *out are allocated from arena. DB_NOTFOUND if no such slug. */
enum db_err store_campaign_get(struct store *s, struct arena *arena,
	    const char *slug, struct campaign *out);

/* Calls fn for each campaign by slug; fn returns non-zero to stop. */
typedef int (*store_campaign_fn)(const struct campaign *c, void *arg);
enum db_err store_campaign_list(struct store *s, struct arena *arena,
	    store_campaign_fn fn, void *arg);

/* The slug of campaign id (from arena). */
enum db_err store_campaign_slug(struct store *s, struct arena *arena,
	    int64_t id, const char **slug);

/* Inserts a campaign (id, count ignored); sets c->id. */
enum db_err store_campaign_add(struct store *s, struct campaign *c);

/* The counter of a campaign (campcache_counter): never a scan. */
struct counter {
	int64_t count;
	int64_t updated_at;
	bool	has_goal;
	int64_t goal;
};
enum db_err store_counter_value(struct store *s, int64_t campaign_id,
	    int64_t *count);

/* Updates the campaign named c->slug with every field of c. */
enum db_err store_campaign_update(struct store *s, const struct campaign *c);

#endif
