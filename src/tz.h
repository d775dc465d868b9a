/*
 * tz.h: the UTC offset of an IANA time zone ("America/Santiago") at an
 * instant, from the system's tz database, without touching TZ or tzset
 * (neither is thread-safe), so that mails can show an event's local time.
 */
#ifndef ICOMMIT_TZ_H
#define ICOMMIT_TZ_H

#include <stddef.h>
#include <stdint.h>

#define TZ_ABBR_MAX 16

/*
 * Sets *offset (seconds east of UTC) and abbr (e.g. "-03", "CET") for
 * zone at time t. Returns 0, or -1 when the zone is not a valid name or
 * its file cannot be read (then the caller shows UTC). "UTC" needs no
 * file.
 */
int	tz_offset(const char *zone, int64_t t, int32_t *offset,
	    char abbr[TZ_ABBR_MAX]);

/* The same, parsing a TZif file's bytes (for the unit tests). */
int	tz_offset_parse(const unsigned char *buf, size_t len, int64_t t,
	    int32_t *offset, char abbr[TZ_ABBR_MAX]);

#endif
