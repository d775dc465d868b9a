/*
 * tz.c: reading TZif files (RFC 8536) from /usr/share/zoneinfo: the local
 * time type in force at an instant (see tz.h). Times after the file's last
 * transition keep its last type; Debian's files list transitions to 2037.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tz.h"

#define TZ_DIR	    "/usr/share/zoneinfo/"
#define TZ_FILE_MAX 8192	/* the largest zone file is under 4 KiB */

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

int
tz_offset(const char *zone, int64_t t, int32_t *offset,
    char abbr[TZ_ABBR_MAX])
{
	unsigned char	     buf[TZ_FILE_MAX];
	char		     path[128];
	ssize_t		     n;
	int		     fd;

	if (strcmp(zone, "UTC") == 0) {
		*offset = 0;
		snprintf(abbr, TZ_ABBR_MAX, "UTC");
		return 0;
	}
	/* A name, not a path: letters, digits, "/_+-", no "..". */
	if (zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") ||
	    strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") != strlen(zone) ||
	    (size_t)snprintf(path, sizeof(path), TZ_DIR "%s", zone) >=
	    sizeof(path))
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return -1;
	return tz_offset_parse(buf, (size_t)n, t, offset, abbr);
}
