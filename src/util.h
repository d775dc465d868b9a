/*
 * util.h: small things every module uses: the four languages (and how
 * each writes a count), RFC 3339 time stamps and the clock.
 */
#ifndef ICOMMIT_UTIL_H
#define ICOMMIT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lang { LANG_ES, LANG_EN, LANG_PT, LANG_FR, LANG__MAX };

/* "es", "en", "pt", "fr", indexed by enum lang, and NULL: the one list of
 * our languages, usable as a choice list by the validators. */
extern const char *const lang_codes[LANG__MAX + 1];

/* Returns the language for a two-letter code, or -1 if it is not one of ours. */
int	lang_from_code(const char *code);

/*
 * Bytes num_format needs: 19 digits, 6 separators of up to 3 bytes, NUL.
 */
#define NUM_FORMAT_LEN 40

/*
 * Writes the count n (below 0 as 0) with its digits grouped in threes the
 * way lang writes numbers, exactly as the site's pages do (www/js/format.js:
 * Intl.NumberFormat with useGrouping 'always', so four digits are grouped
 * too): "1.234" in es and pt, "1,234" in en, "1 234" in fr with U+202F
 * NARROW NO-BREAK SPACE.
 */
void	num_format(int64_t n, enum lang lang, char out[NUM_FORMAT_LEN]);

/* Seconds since the epoch, UTC. */
int64_t	now_unix(void);
/* Microseconds on a monotonic clock (durations, deadlines). */
int64_t	mono_us(void);

#define TIME_RFC3339_LEN 21	/* "2026-11-28T12:00:00Z" and its NUL */

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" (UTC; a year outside 0000-9999 as
 * the epoch). */
void	time_format(int64_t t, char out[TIME_RFC3339_LEN]);

/*
 * Parses an RFC 3339 date-time with a "Z" or a numeric offset (fractions of
 * a second are ignored), or a bare date "YYYY-MM-DD" (midnight UTC).
 * Returns 0 and sets *out, or -1.
 */
int	time_parse(const char *s, int64_t *out);

#define TIME_LOCAL_LEN 17	/* "2026-12-03T10:00" and its NUL */

/*
 * A wall-clock time without a zone, as an HTML datetime-local input gives
 * it: "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS". *out is the time as if
 * the wall clock were UTC (tz_local_to_utc makes it an instant of a zone).
 * Returns 0, or -1.
 */
int	time_parse_local(const char *s, int64_t *out);
/* Writes wall-clock seconds t (as time_parse_local reads them) as
 * "YYYY-MM-DDTHH:MM". */
void	time_format_local(int64_t t, char out[TIME_LOCAL_LEN]);

#endif
