/*
 * campcache.c: campaigns in memory (see campcache.h). A small direct-mapped
 * table: a slug's slot is its hash, and a second campaign on the same slot
 * simply replaces the first. Each slot holds one malloc'd snapshot of the
 * campaign (its texts packed after it) and the data version it was read at.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "campcache.h"
#include "log.h"
#include "util.h"

#define CAMPCACHE_SLOTS 64

struct snapshot {
	struct campaign c;	/* its strings point into text[] */
	unsigned long	version;	/* campcache_version when read */
	int64_t		read_ms;	/* monotonic time when read */
	char		text[];
};

static struct {
	pthread_mutex_t	 lock;
	struct snapshot *snap;
} slots[CAMPCACHE_SLOTS] = {
	[0 ... CAMPCACHE_SLOTS - 1] = { PTHREAD_MUTEX_INITIALIZER, NULL },
};

/* Bumped after every commit of this process. */
static atomic_ulong campcache_version = 1;

static unsigned
campcache_slot(const char *slug)
{
	unsigned h = 2166136261u;	/* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)slug; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % CAMPCACHE_SLOTS;
}

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

/* Appends s to the snapshot's text at *off and returns the copy (NULL
 * stays NULL). */
static const char *
snapshot_put(struct snapshot *sn, size_t *off, const char *s)
{
	size_t len;
	char  *p;

	if (s == NULL)
		return NULL;
	len = strlen(s) + 1;
	p = sn->text + *off;
	memcpy(p, s, len);
	*off += len;
	return p;
}

/* A new snapshot of c (malloc'd, one block); aborts on out of memory. */
static struct snapshot *
snapshot_new(const struct campaign *c, unsigned long version)
{
	struct snapshot *sn;
	size_t		 size = strlen(c->slug) + 1, off = 0;

	for (int l = 0; l < LANG__MAX; l++) {
		size += c->title[l] != NULL ? strlen(c->title[l]) + 1 : 0;
		size += c->description[l] != NULL ?
		    strlen(c->description[l]) + 1 : 0;
	}
	if ((sn = malloc(sizeof(*sn) + size)) == NULL)
		log_fatal("campaign cache: out of memory");
	sn->c = *c;
	sn->version = version;
	sn->read_ms = mono_us() / 1000;
	sn->c.slug = snapshot_put(sn, &off, c->slug);
	for (int l = 0; l < LANG__MAX; l++) {
		sn->c.title[l] = snapshot_put(sn, &off, c->title[l]);
		sn->c.description[l] = snapshot_put(sn, &off,
		    c->description[l]);
	}
	return sn;
}

/* Copies the slot's snapshot of slug into *out when it is still good;
 * true if it did. */
static bool
campcache_lookup(unsigned slot, const char *slug, struct arena *arena,
    struct campaign *out)
{
	struct snapshot *sn;
	bool		 hit = false;

	pthread_mutex_lock(&slots[slot].lock);
	sn = slots[slot].snap;
	if (sn != NULL && strcmp(sn->c.slug, slug) == 0 &&
	    sn->version == atomic_load_explicit(&campcache_version,
	    memory_order_acquire) &&
	    mono_us() / 1000 - sn->read_ms < CAMPCACHE_TTL_MS) {
		campaign_copy(arena, out, &sn->c);
		hit = true;
	}
	pthread_mutex_unlock(&slots[slot].lock);
	return hit;
}

/*
 * The shared path of campcache_get and campcache_counter: a hit, or a read
 * through s. The version is taken before the read, so that a commit
 * landing meanwhile leaves the new entry already stale (never a stale
 * entry that looks current).
 */
static enum db_err
campcache_fetch(struct store *s, struct arena *arena, const char *slug,
    struct campaign *out)
{
	struct arena	 tmp = { 0 };
	struct snapshot *sn, *old;
	unsigned	 slot = campcache_slot(slug);
	unsigned long	 version;
	enum db_err	 e;

	if (campcache_lookup(slot, slug, arena, out))
		return DB_OK;
	version = atomic_load_explicit(&campcache_version,
	    memory_order_acquire);
	e = store_campaign_get(s, arena != NULL ? arena : &tmp, slug, out);
	if (e != DB_OK) {
		arena_free(&tmp);
		return e;
	}
	sn = snapshot_new(out, version);
	if (arena == NULL)
		campaign_copy(NULL, out, out);
	arena_free(&tmp);
	pthread_mutex_lock(&slots[slot].lock);
	old = slots[slot].snap;
	slots[slot].snap = sn;
	pthread_mutex_unlock(&slots[slot].lock);
	free(old);
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
	atomic_fetch_add_explicit(&campcache_version, 1, memory_order_release);
}

void
campcache_clear(void)
{
	for (size_t i = 0; i < CAMPCACHE_SLOTS; i++) {
		pthread_mutex_lock(&slots[i].lock);
		free(slots[i].snap);
		slots[i].snap = NULL;
		pthread_mutex_unlock(&slots[i].lock);
	}
}
