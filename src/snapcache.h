/*
 * snapcache.h: the machinery of the daemon's caches of rows by slug
 * (campcache, eventcache): a small direct-mapped table of snapshots, each
 * good until the cache's version moves (a commit that wrote its table) and
 * for at most a TTL. The row's type, its copy in and out, is the caller's.
 */
#ifndef ICOMMIT_SNAPCACHE_H
#define ICOMMIT_SNAPCACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define SNAPCACHE_SLOTS 64

/* The head of a snapshot: a cache's own snapshot struct has it as its
 * first member, and is one malloc'd block (freed with free()). */
struct snaphead {
	const char     *slug;	/* in the block */
	unsigned long	version;	/* the cache's version when read */
	int64_t		read_ms;	/* monotonic time when read */
};

struct snapcache {
	atomic_ulong	version;	/* bumped by snapcache_changed */
	int64_t		ttl_ms;
	struct {
		pthread_mutex_t	 lock;
		struct snaphead *snap;
	} slots[SNAPCACHE_SLOTS];
};

/* A static struct snapcache of entries good for at most ttl ms. */
#define SNAPCACHE_INIT(ttl) { .version = 1, .ttl_ms = (ttl), .slots = { \
	[0 ... SNAPCACHE_SLOTS - 1] = { PTHREAD_MUTEX_INITIALIZER, NULL } } }

/* Called with the good snapshot of a slug, under its slot's lock: copies
 * its row to out, with strings from arena (as the cache's get says). */
typedef void (*snapcache_copy_fn)(const struct snaphead *sn,
	    struct arena *arena, void *out);

/* When c holds a good snapshot of slug, calls copy(sn, arena, out) and
 * returns true; false otherwise. */
bool	snapcache_lookup(struct snapcache *c, const char *slug,
	    snapcache_copy_fn copy, struct arena *arena, void *out);
/* The version to give snapcache_put: take it before reading the row, so
 * that a commit landing meanwhile leaves the new snapshot already stale. */
unsigned long snapcache_version(struct snapcache *c);
/* Stores sn (made with a slug, owned by c from here) as read at version,
 * replacing the slot's snapshot. */
void	snapcache_put(struct snapcache *c, struct snaphead *sn,
	    unsigned long version);
/* Marks every snapshot of c stale. */
void	snapcache_changed(struct snapcache *c);
/* Frees every snapshot of c. */
void	snapcache_clear(struct snapcache *c);

/* Packing a row's strings after it: the bytes s needs (0 for NULL), and
 * its copy appended at text + *off (NULL stays NULL). */
size_t	snapcache_text_size(const char *s);
const char *snapcache_text_put(char *text, size_t *off, const char *s);

#endif
