/*
 * store.h: the storage layer. Handlers and icommitctl call these functions
 * and never touch SQL: they own the statements and map every SQLite outcome
 * to an enum db_err. One struct store per thread (its own connection and
 * prepared statements); a second implementation of this interface (for
 * example on PostgreSQL) would replace store.c alone.
 */
#ifndef ICOMMIT_STORE_H
#define ICOMMIT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "util.h"

struct store;

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

/*
 * Opens the database at path and prepares the statements. With migrate,
 * applies pending migrations first; without, refuses a database whose
 * schema is not the current one. Returns NULL with err set on failure.
 */
struct store *store_open(const char *path, bool create, bool migrate,
	    char *err, size_t errlen);
void	store_close(struct store *s);
/* The connection, for db_backup and the like. */
sqlite3 *store_db(struct store *s);

/* DB_OK when the database can be read. */
enum db_err store_health(struct store *s);

/* Strings in *out are allocated from arena. DB_NOTFOUND if no such slug. */
enum db_err store_campaign_get(struct store *s, struct arena *arena,
	    const char *slug, struct campaign *out);

/* Calls fn for each campaign by slug; fn returns non-zero to stop. */
typedef int (*store_campaign_fn)(const struct campaign *c, void *arg);
enum db_err store_campaign_list(struct store *s, struct arena *arena,
	    store_campaign_fn fn, void *arg);

/* Inserts a campaign (id, count ignored); sets c->id. */
enum db_err store_campaign_add(struct store *s, struct campaign *c);

#endif
