/*
 * store_pledges.h: pledges, their counter and tallies, the wall, staff's
 * listing and the export. Implemented in store_pledges.c; the connection
 * and the types every table shares are in store.h.
 */
#ifndef ICOMMIT_STORE_PLEDGES_H
#define ICOMMIT_STORE_PLEDGES_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* Pledge statuses; a pledge is counted when confirmed or approved. */
#define PLEDGE_PENDING	 "pending_confirmation"
#define PLEDGE_CONFIRMED "confirmed"
#define PLEDGE_APPROVED	 "approved"
#define PLEDGE_REJECTED	 "rejected"
bool	pledge_counted(const char *status);

struct pledge {
	int64_t	    id;
	int64_t	    campaign_id;
	const char *status;
	bool	    has_confirmed_at;
	int64_t	    confirmed_at;
	const char *name;
	const char *email;
	const char *email_key;	/* normalised, for repeats */
	const char *organisation; /* optional ones may be NULL */
	const char *actor_type;
	const char *country;
	const char *city;
	const char *commitment;
	const char *category;
	bool	    has_quantity;
	int64_t	    quantity;
	const char *unit;
	bool	    has_target_year;
	int64_t	    target_year;
	bool	    public_;
	const char *language;
	int64_t	    created_at;
};

/* The pledge of email_key in a campaign: DB_OK with *id and *status
 * (a static string), or DB_NOTFOUND. */
enum db_err store_pledge_find(struct store *s, int64_t campaign_id,
	    const char *email_key, int64_t *id, const char **status);
/* Inserts p (p->status, created_at set by the caller) and sets p->id;
 * DB_NOTFOUND, nothing inserted, when the campaign has a pledge of
 * p->email_key already. */
enum db_err store_pledge_insert(struct store *s, struct pledge *p);
/* Reads pledge id into out (strings from arena). */
enum db_err store_pledge_get(struct store *s, struct arena *arena,
	    int64_t id, struct pledge *out);
/*
 * Moves pledge p (as read by store_pledge_get) to status, keeping the
 * counter and the tallies in step: +1 when it becomes counted, -1 when it
 * stops being counted. Call inside a transaction.
 */
enum db_err store_pledge_set_status(struct store *s, const struct pledge *p,
	    const char *status, int64_t now);

/*
 * Deletes pledge p (as read by store_pledge_get), taking it off the
 * counter and the tallies when it was counted. Its tokens and consent
 * records are the caller's. Call inside a transaction.
 */
enum db_err store_pledge_delete(struct store *s, const struct pledge *p,
	    int64_t now);

/* The public wall. */
struct wall_query {
	int64_t	    campaign_id;
	bool	    approved_only;	/* moderation = yes */
	const char *country, *actor_type, *category; /* NULL: any */
	int64_t	    before_id;		/* INT64_MAX for the first page */
	int	    limit;
};
typedef int (*store_pledge_fn)(const struct pledge *p, void *arg);
enum db_err store_wall(struct store *s, struct arena *arena,
	    const struct wall_query *q, store_pledge_fn fn, void *arg);

/* Tallies of counted pledges: fn(dimension, key, value, arg); the days
 * are store_timeline's. */
typedef void (*store_tally_fn)(const char *dimension, const char *key,
	    int64_t value, void *arg);
enum db_err store_tallies(struct store *s, int64_t campaign_id,
	    store_tally_fn fn, void *arg);

/*
 * The counted pledges by the UTC day they count from (their confirmation):
 * fn(day "YYYY-MM-DD", pledges, arg) for each day whose number is not 0,
 * oldest first. Reads a tally kept with the counter: no scan of pledges.
 */
typedef void (*store_day_fn)(const char *day, int64_t value, void *arg);
enum db_err store_timeline(struct store *s, int64_t campaign_id,
	    store_day_fn fn, void *arg);

/*
 * Recomputes every counter and tally from the pledges, in the caller's
 * transaction, and reports each campaign whose stored count had drifted:
 * fn(slug, stored, actual). *tally_rows is set to the number of tally rows
 * that differed. On PostgreSQL every counter's row is held first, as a
 * writer holds its counter's while it changes a count.
 */
enum db_err store_recount(struct store *s, store_drift_fn fn, void *arg,
	    int64_t *tally_rows);

/* Staff's view of pledges: every status, with e-mails. */
struct admin_pledge_query {
	bool	    has_campaign;
	int64_t	    campaign_id;
	const char *status;	/* NULL: any */
	int64_t	    before_id;
	int	    limit;
};
enum db_err store_admin_pledges(struct store *s, struct arena *arena,
	    const struct admin_pledge_query *q, store_pledge_fn fn, void *arg);

/*
 * Streams pledges for an export, oldest first. fn gets each row, whose 17
 * columns are those of API.md's export in order (store.h's store_row),
 * and returns non-zero to stop.
 */
struct export_query {
	bool	    has_campaign;
	int64_t	    campaign_id;
	const char *status;
	bool	    has_from, has_to;
	int64_t	    from, to;
};
#define EXPORT_PLEDGE_COLUMNS 17
enum db_err store_export_pledges(struct store *s, const struct export_query *q,
	    store_row_fn fn, void *arg);

#endif
