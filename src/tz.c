/*
 * tz.c: reading TZif files (RFC 8536) from /usr/share/zoneinfo: the local
 * time type in force at an instant, and the instant of a wall-clock time
 * (see tz.h). Times after the file's last transition keep its last type;
 * Debian's files list transitions to 2037. The files read are kept in
 * memory for a while (tz_read).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tz.h"
#include "util.h"

#define TZ_DIR	    "/usr/share/zoneinfo/"
#define TZ_FILE_MAX 8192	/* the largest zone file is under 4 KiB */
#define TZ_NAME_MAX 112		/* TZ_DIR and the name fit in 128 bytes */

/*
 * Zone files read before: every registration's mail shows its event's
 * local time, which was an open, a read and a close a request. An entry
 * is read again once it is TZ_CACHE_US old, so that a tzdata upgrade is
 * seen within that; at most TZ_CACHE_ZONES zones (only names whose file
 * was read, so input cannot fill it with junk), the oldest making room.
 */
#define TZ_CACHE_ZONES 16
#define TZ_CACHE_US    (300 * 1000000LL)

struct tz_cached {
	char		 zone[TZ_NAME_MAX];
	int64_t		 loaded_us;	/* mono_us() when read; 0: free */
	size_t		 len;
	unsigned char	*bytes;
};

static struct tz_cached tz_cache[TZ_CACHE_ZONES];
static pthread_mutex_t	tz_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The six counts of a TZif header at p. */
struct tzhead {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static void
head_read(const unsigned char *p, struct tzhead *h)
{
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
}

/* Bytes of a data block whose times are tsize bytes wide. */
static size_t
block_len(const struct tzhead *h, size_t tsize)
{
	return (size_t)h->timecnt * (tsize + 1) + (size_t)h->typecnt * 6 +
	    h->charcnt + (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt +
	    h->isutcnt;
}

int
tz_offset_parse(const unsigned char *buf, size_t len, int64_t t,
    int32_t *offset, char abbr[TZ_ABBR_MAX])
{
	struct tzhead	     h;
	const unsigned char *p, *types, *infos, *chars;
	size_t		     tsize = 4, idx = 0;

	if (len < 44 || memcmp(buf, "TZif", 4) != 0)
		return -1;
	head_read(buf, &h);
	p = buf + 44;
	if (buf[4] >= '2') {
		/* Skip the 32-bit block for the 64-bit one that follows. */
		if (block_len(&h, 4) + 44 > len - 44)
			return -1;
		p += block_len(&h, 4);
		if (memcmp(p, "TZif", 4) != 0)
			return -1;
		head_read(p, &h);
		p += 44;
		tsize = 8;
	}
	if (h.typecnt == 0 || h.typecnt > 256 || h.timecnt > 100000 ||
	    h.charcnt > 1024 || block_len(&h, tsize) > len - (size_t)(p - buf))
		return -1;
	types = p + (size_t)h.timecnt * tsize;
	infos = types + h.timecnt;
	chars = infos + (size_t)h.typecnt * 6;
	/* The last transition at or before t; before the first, type 0. */
	for (size_t i = 0; i < h.timecnt; i++) {
		int64_t at = tsize == 8 ? be64(p + i * 8) :
		    (int64_t)(int32_t)be32(p + i * 4);

		if (at > t)
			break;
		idx = types[i];
	}
	if (idx >= h.typecnt)
		return -1;
	*offset = (int32_t)be32(infos + idx * 6);
	if (infos[idx * 6 + 5] >= h.charcnt)
		return -1;
	snprintf(abbr, TZ_ABBR_MAX, "%.*s", (int)(h.charcnt -
	    infos[idx * 6 + 5]), (const char *)chars + infos[idx * 6 + 5]);
	return 0;
}

/* Copies zone's kept file into buf if it is fresh; its length, or -1. */
static ssize_t
tz_cache_get(const char *zone, unsigned char *buf, int64_t now)
{
	ssize_t n = -1;

	pthread_mutex_lock(&tz_cache_lock);
	for (int i = 0; i < TZ_CACHE_ZONES; i++) {
		struct tz_cached *c = &tz_cache[i];

		if (c->loaded_us != 0 && now - c->loaded_us < TZ_CACHE_US &&
		    strcmp(c->zone, zone) == 0) {
			memcpy(buf, c->bytes, c->len);
			n = (ssize_t)c->len;
			break;
		}
	}
	pthread_mutex_unlock(&tz_cache_lock);
	return n;
}

/* Keeps a copy of zone's file (len bytes at buf), read at now: in its
 * entry, or a free one, or the oldest. Without memory, keeps nothing. */
static void
tz_cache_put(const char *zone, const unsigned char *buf, size_t len,
    int64_t now)
{
	struct tz_cached *c = NULL;
	unsigned char	 *copy = malloc(len);

	if (copy == NULL)
		return;
	memcpy(copy, buf, len);
	pthread_mutex_lock(&tz_cache_lock);
	for (int i = 0; i < TZ_CACHE_ZONES; i++) {
		struct tz_cached *e = &tz_cache[i];

		if (e->loaded_us != 0 && strcmp(e->zone, zone) == 0) {
			c = e;
			break;
		}
		if (c == NULL || c->loaded_us > e->loaded_us)
			c = e;	/* free (0) or the oldest so far */
	}
	free(c->bytes);
	snprintf(c->zone, sizeof(c->zone), "%s", zone);
	c->bytes = copy;
	c->len = len;
	c->loaded_us = now;
	pthread_mutex_unlock(&tz_cache_lock);
}

/* Reads zone's TZif file into buf (TZ_FILE_MAX bytes), from memory when
 * it was read less than TZ_CACHE_US ago; its length, or -1 for a name
 * that is not a zone's or a file that cannot be read. */
static ssize_t
tz_read(const char *zone, unsigned char *buf)
{
	char	path[128];
	ssize_t n;
	int	fd;
	int64_t now = mono_us();

	/* A name, not a path: letters, digits, "/_+-", no "..". */
	if (zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") ||
	    strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") != strlen(zone) ||
	    strlen(zone) >= TZ_NAME_MAX ||
	    (size_t)snprintf(path, sizeof(path), TZ_DIR "%s", zone) >=
	    sizeof(path))
		return -1;
	if ((n = tz_cache_get(zone, buf, now)) > 0)
		return n;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, TZ_FILE_MAX);
	close(fd);
	if (n <= 0)
		return -1;
	tz_cache_put(zone, buf, (size_t)n, now);
	return n;
}

int
tz_offset(const char *zone, int64_t t, int32_t *offset,
    char abbr[TZ_ABBR_MAX])
{
	unsigned char buf[TZ_FILE_MAX];
	ssize_t	      n;

	if (strcmp(zone, "UTC") == 0) {
		*offset = 0;
		snprintf(abbr, TZ_ABBR_MAX, "UTC");
		return 0;
	}
	if ((n = tz_read(zone, buf)) < 0)
		return -1;
	return tz_offset_parse(buf, (size_t)n, t, offset, abbr);
}

enum tz_local
tz_local_parse(const unsigned char *buf, size_t len, int64_t local,
    int64_t *utc)
{
	char	abbr[TZ_ABBR_MAX];
	int32_t before, after, o1, o2;
	int64_t t1, t2;
	bool	ok1, ok2;

	/* The offsets a day either side bound the ones that can apply; an
	 * instant t fits when its own offset brings it to local. */
	if (local < INT64_MIN / 2 || local > INT64_MAX / 2 ||
	    tz_offset_parse(buf, len, local - 86400, &before, abbr) != 0 ||
	    tz_offset_parse(buf, len, local + 86400, &after, abbr) != 0)
		return TZ_LOCAL_BADZONE;
	t1 = local - before;
	t2 = local - after;
	if (tz_offset_parse(buf, len, t1, &o1, abbr) != 0 ||
	    tz_offset_parse(buf, len, t2, &o2, abbr) != 0)
		return TZ_LOCAL_BADZONE;
	ok1 = t1 + o1 == local;
	ok2 = t2 + o2 == local;
	if (ok1 && ok2 && t1 != t2) {
		*utc = t1 < t2 ? t1 : t2;
		return TZ_LOCAL_FOLD;
	}
	if (ok1 || ok2) {
		*utc = ok1 ? t1 : t2;
		return TZ_LOCAL_OK;
	}
	/* Skipped: read with the offset before the jump. */
	*utc = t1;
	return TZ_LOCAL_GAP;
}

enum tz_local
tz_local_to_utc(const char *zone, int64_t local, int64_t *utc)
{
	unsigned char buf[TZ_FILE_MAX];
	ssize_t	      n;

	if (strcmp(zone, "UTC") == 0) {
		*utc = local;
		return TZ_LOCAL_OK;
	}
	if ((n = tz_read(zone, buf)) < 0)
		return TZ_LOCAL_BADZONE;
	return tz_local_parse(buf, (size_t)n, local, utc);
}
