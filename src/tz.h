/*
 * tz.h: the UTC offset of an IANA time zone ("America/Santiago") at an
 * instant, and the instant of a wall-clock time there, from the system's
 * tz database, without touching TZ or tzset (neither is thread-safe), so
 * that mails can show an event's local time and staff can enter times as
 * the venue's clocks show them.
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

/* What tz_local_to_utc made of a wall-clock time. */
enum tz_local {
	TZ_LOCAL_OK,		/* one instant has that wall-clock time */
	TZ_LOCAL_FOLD,		/* two have (clocks went back): the earlier */
	TZ_LOCAL_GAP,		/* none has (clocks jumped over it) */
	TZ_LOCAL_BADZONE,	/* zone unknown (see tz_offset) */
};

/*
 * The instant *utc at which the wall clock of zone shows local (seconds
 * as if that wall clock were UTC: time_parse_local). At a change of
 * clocks a wall-clock time can be ambiguous (TZ_LOCAL_FOLD: *utc is the
 * first of the two) or skipped (TZ_LOCAL_GAP: *utc is the time the same
 * distance after the jump, as if the clock had not changed yet, which
 * callers may refuse). Assumes at most one change within a day either
 * side, as in every zone of the tz database.
 */
enum tz_local tz_local_to_utc(const char *zone, int64_t local, int64_t *utc);

/* The same, parsing a TZif file's bytes (for the unit tests). */
int	tz_offset_parse(const unsigned char *buf, size_t len, int64_t t,
	    int32_t *offset, char abbr[TZ_ABBR_MAX]);
enum tz_local tz_local_parse(const unsigned char *buf, size_t len,
	    int64_t local, int64_t *utc);

#endif
