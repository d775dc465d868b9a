/*
 * eventcache.c: events in memory (see eventcache.h), in a snapcache table:
 * each slot holds one malloc'd snapshot of an event, its texts packed
 * after it.
 */
#include <stdlib.h>

#include "eventcache.h"
#include "log.h"
#include "snapcache.h"

struct snapshot {
	struct snaphead h;	/* h.slug is ev.slug */
	struct event	ev;	/* its strings point into text[] */
	char		text[];
};

static struct snapcache eventcache = SNAPCACHE_INIT(EVENTCACHE_TTL_MS);

#define EVENT_NSTRINGS (4 + 2 * LANG__MAX)

/* The addresses of e's strings in str, for copying them in and out. */
static void
event_strings(struct event *e, const char **str[EVENT_NSTRINGS])
{
	size_t n = 0;

	str[n++] = &e->slug;
	str[n++] = &e->timezone;
	str[n++] = &e->location;
	str[n++] = &e->online_url;
	for (int l = 0; l < LANG__MAX; l++) {
		str[n++] = &e->title[l];
		str[n++] = &e->description[l];
	}
}

/* A new snapshot of ev (malloc'd, one block); aborts on out of memory. */
static struct snapshot *
snapshot_new(const struct event *ev)
{
	struct event	 e = *ev;
	const char     **str[EVENT_NSTRINGS], **to[EVENT_NSTRINGS];
	struct snapshot *sn;
	size_t		 size = 0, off = 0;

	event_strings(&e, str);
	for (size_t i = 0; i < EVENT_NSTRINGS; i++)
		size += snapcache_text_size(*str[i]);
	if ((sn = malloc(sizeof(*sn) + size)) == NULL)
		log_fatal("event cache: out of memory");
	sn->ev = e;
	event_strings(&sn->ev, to);
	for (size_t i = 0; i < EVENT_NSTRINGS; i++)
		*to[i] = snapcache_text_put(sn->text, &off, *str[i]);
	sn->h.slug = sn->ev.slug;
	return sn;
}

/* snapcache_copy_fn: the snapshot's event to out, its strings copied
 * into arena. */
static void
eventcache_copy(const struct snaphead *h, struct arena *arena, void *out)
{
	struct event *ev = out;
	const char  **str[EVENT_NSTRINGS];

	*ev = ((const struct snapshot *)h)->ev;
	event_strings(ev, str);
	for (size_t i = 0; i < EVENT_NSTRINGS; i++)
		if (*str[i] != NULL)
			*str[i] = arena_strdup(arena, *str[i]);
}

enum db_err
eventcache_get(struct store *s, struct arena *arena, const char *slug,
    struct event *out)
{
	unsigned long version;
	enum db_err   e;

	if (snapcache_lookup(&eventcache, slug, eventcache_copy, arena, out))
		return DB_OK;
	version = snapcache_version(&eventcache);
	if ((e = store_event_get(s, arena, slug, out)) != DB_OK)
		return e;
	snapcache_put(&eventcache, &snapshot_new(out)->h, version);
	return DB_OK;
}

void
eventcache_changed(void)
{
	snapcache_changed(&eventcache);
}

void
eventcache_clear(void)
{
	snapcache_clear(&eventcache);
}
