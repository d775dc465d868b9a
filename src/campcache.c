/*
 * campcache.c: campaigns in memory (see campcache.h), in a snapcache
 * table: each slot holds one malloc'd snapshot of a campaign, its texts
 * packed after it.
 */
#include <stdlib.h>

#include "campcache.h"
#include "log.h"
#include "snapcache.h"

struct snapshot {
	struct snaphead h;	/* h.slug is c.slug */
	struct campaign c;	/* its strings point into text[] */
	char		text[];
};

static struct snapcache campcache = SNAPCACHE_INIT(CAMPCACHE_TTL_MS);

/* Copies src (and its texts) to dst, with strings from arena (NULL: the
 * texts are left out, dst's string pointers NULL). */
static void
campaign_copy(struct arena *arena, struct campaign *dst,
    const struct campaign *src)
{
	*dst = *src;
	if (arena == NULL) {
		dst->slug = NULL;
		for (int l = 0; l < LANG__MAX; l++)
			dst->title[l] = dst->description[l] = NULL;
		return;
	}
	dst->slug = arena_strdup(arena, src->slug);
	for (int l = 0; l < LANG__MAX; l++) {
		dst->title[l] = src->title[l] == NULL ? NULL :
		    arena_strdup(arena, src->title[l]);
		dst->description[l] = src->description[l] == NULL ? NULL :
		    arena_strdup(arena, src->description[l]);
	}
}

/* A new snapshot of c (malloc'd, one block); aborts on out of memory. */
static struct snapshot *
snapshot_new(const struct campaign *c)
{
	struct snapshot *sn;
	size_t		 size = snapcache_text_size(c->slug), off = 0;

	for (int l = 0; l < LANG__MAX; l++)
		size += snapcache_text_size(c->title[l]) +
		    snapcache_text_size(c->description[l]);
	if ((sn = malloc(sizeof(*sn) + size)) == NULL)
		log_fatal("campaign cache: out of memory");
	sn->c = *c;
	sn->c.slug = sn->h.slug = snapcache_text_put(sn->text, &off, c->slug);
	for (int l = 0; l < LANG__MAX; l++) {
		sn->c.title[l] = snapcache_text_put(sn->text, &off,
		    c->title[l]);
		sn->c.description[l] = snapcache_text_put(sn->text, &off,
		    c->description[l]);
	}
	return sn;
}

/* snapcache_copy_fn: the snapshot's campaign to out. */
static void
campcache_copy(const struct snaphead *h, struct arena *arena, void *out)
{
	campaign_copy(arena, out, &((const struct snapshot *)h)->c);
}

/*
 * The shared path of campcache_get and campcache_counter: a hit, or a read
 * through s (the version taken before it: see snapcache_version).
 */
static enum db_err
campcache_fetch(struct store *s, struct arena *arena, const char *slug,
    struct campaign *out)
{
	struct arena	tmp = { 0 };
	unsigned long	version;
	enum db_err	e;

	if (snapcache_lookup(&campcache, slug, campcache_copy, arena, out))
		return DB_OK;
	version = snapcache_version(&campcache);
	e = store_campaign_get(s, arena != NULL ? arena : &tmp, slug, out);
	if (e != DB_OK) {
		arena_free(&tmp);
		return e;
	}
	snapcache_put(&campcache, &snapshot_new(out)->h, version);
	if (arena == NULL)
		campaign_copy(NULL, out, out);
	arena_free(&tmp);
	return DB_OK;
}

enum db_err
campcache_get(struct store *s, struct arena *arena, const char *slug,
    struct campaign *out)
{
	return campcache_fetch(s, arena, slug, out);
}

enum db_err
campcache_counter(struct store *s, const char *slug, struct counter *out)
{
	struct campaign c;
	enum db_err	e = campcache_fetch(s, NULL, slug, &c);

	if (e != DB_OK)
		return e;
	out->count = c.count;
	out->updated_at = c.count_updated_at;
	out->has_goal = c.has_goal;
	out->goal = c.goal;
	return DB_OK;
}

void
campcache_changed(void)
{
	snapcache_changed(&campcache);
}

void
campcache_clear(void)
{
	snapcache_clear(&campcache);
}
