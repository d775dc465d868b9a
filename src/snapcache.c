/*
 * snapcache.c: snapshots of rows by slug (see snapcache.h). A slug's slot
 * is its hash, and a second row on the same slot simply replaces the
 * first.
 */
#include <stdlib.h>
#include <string.h>

#include "snapcache.h"
#include "util.h"

static unsigned
snapcache_slot(const char *slug)
{
	unsigned h = 2166136261u;	/* FNV-1a */

	for (const unsigned char *p = (const unsigned char *)slug; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % SNAPCACHE_SLOTS;
}

bool
snapcache_lookup(struct snapcache *c, const char *slug, snapcache_copy_fn copy,
    struct arena *arena, void *out)
{
	unsigned	 slot = snapcache_slot(slug);
	struct snaphead *sn;
	bool		 hit = false;

	pthread_mutex_lock(&c->slots[slot].lock);
	sn = c->slots[slot].snap;
	if (sn != NULL && strcmp(sn->slug, slug) == 0 &&
	    sn->version == atomic_load_explicit(&c->version,
	    memory_order_acquire) &&
	    mono_us() / 1000 - sn->read_ms < c->ttl_ms) {
		copy(sn, arena, out);
		hit = true;
	}
	pthread_mutex_unlock(&c->slots[slot].lock);
	return hit;
}

unsigned long
snapcache_version(struct snapcache *c)
{
	return atomic_load_explicit(&c->version, memory_order_acquire);
}

void
snapcache_put(struct snapcache *c, struct snaphead *sn, unsigned long version)
{
	unsigned	 slot = snapcache_slot(sn->slug);
	struct snaphead *old;

	sn->version = version;
	sn->read_ms = mono_us() / 1000;
	pthread_mutex_lock(&c->slots[slot].lock);
	old = c->slots[slot].snap;
	c->slots[slot].snap = sn;
	pthread_mutex_unlock(&c->slots[slot].lock);
	free(old);
}

void
snapcache_changed(struct snapcache *c)
{
	atomic_fetch_add_explicit(&c->version, 1, memory_order_release);
}

void
snapcache_clear(struct snapcache *c)
{
	for (size_t i = 0; i < SNAPCACHE_SLOTS; i++) {
		pthread_mutex_lock(&c->slots[i].lock);
		free(c->slots[i].snap);
		c->slots[i].snap = NULL;
		pthread_mutex_unlock(&c->slots[i].lock);
	}
}

size_t
snapcache_text_size(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

const char *
snapcache_text_put(char *text, size_t *off, const char *s)
{
	size_t len;
	char  *p;

	if (s == NULL)
		return NULL;
	len = strlen(s) + 1;
	p = text + *off;
	memcpy(p, s, len);
	*off += len;
	return p;
}
