/*
 * test_time.c: time_format (util.c), the RFC 3339 UTC time of every API
 * answer and export: a table of known times (leap days, century years,
 * before the epoch, the ends of years 0000-9999 and what lies beyond,
 * written as the epoch), then every day of years 0000-9999 at a second
 * that moves through the day, against gmtime_r and snprintf, and read
 * back by time_parse.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "util.h"

static const struct {
	int64_t	    t;
	const char *text;
} table[] = {
	{ 0, "1970-01-01T00:00:00Z" },
	{ 1, "1970-01-01T00:00:01Z" },
	{ -1, "1969-12-31T23:59:59Z" },
	{ -86400, "1969-12-31T00:00:00Z" },
	{ -86401, "1969-12-30T23:59:59Z" },
	{ 59, "1970-01-01T00:00:59Z" },
	{ 3599, "1970-01-01T00:59:59Z" },
	{ 86399, "1970-01-01T23:59:59Z" },
	{ 1767225600, "2026-01-01T00:00:00Z" },
	{ 1767225601, "2026-01-01T00:00:01Z" },
	{ 1796292030, "2026-12-03T10:00:30Z" },
	{ 951782400, "2000-02-29T00:00:00Z" },
	{ 951868800, "2000-03-01T00:00:00Z" },
	{ 1709164800, "2024-02-29T00:00:00Z" },
	{ 1709251199, "2024-02-29T23:59:59Z" },
	{ 4107542400, "2100-03-01T00:00:00Z" },	/* 2100: no 29 Feb */
	{ 4107456000, "2100-02-28T00:00:00Z" },
	{ -2203891200, "1900-03-01T00:00:00Z" },
	{ -2208988800, "1900-01-01T00:00:00Z" },
	{ 2147483647, "2038-01-19T03:14:07Z" },
	{ 2147483648, "2038-01-19T03:14:08Z" },
	{ -62167219200, "0000-01-01T00:00:00Z" },
	{ -62162035200, "0000-03-01T00:00:00Z" },	/* 0000 is a leap year */
	{ 253402300799, "9999-12-31T23:59:59Z" },
	/* Outside 0000-9999: the epoch. */
	{ -62167219201, "1970-01-01T00:00:00Z" },
	{ 253402300800, "1970-01-01T00:00:00Z" },
	{ INT64_MAX, "1970-01-01T00:00:00Z" },
	{ INT64_MIN, "1970-01-01T00:00:00Z" },
	{ INT64_MIN + 1, "1970-01-01T00:00:00Z" },
	{ (int64_t)1 << 40, "1970-01-01T00:00:00Z" },
};

/* What time_format wrote before it was written by hand. */
static void
reference(int64_t t, char out[TIME_RFC3339_LEN])
{
	time_t	  tt = (time_t)t;
	struct tm tm;
	char	  buf[64];

	if (gmtime_r(&tt, &tm) == NULL || tm.tm_year > 9999 - 1900 ||
	    tm.tm_year < -1900)
		snprintf(buf, sizeof(buf), "1970-01-01T00:00:00Z");
	else
		snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	memcpy(out, buf, TIME_RFC3339_LEN - 1);
	out[TIME_RFC3339_LEN - 1] = '\0';
}

int
main(void)
{
	char	got[TIME_RFC3339_LEN], want[TIME_RFC3339_LEN];
	int64_t back;
	long	days = 0, bad = 0;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		check_context("%lld", (long long)table[i].t);
		time_format(table[i].t, got);
		CHECK_STR(got, table[i].text);
		reference(table[i].t, want);
		CHECK_STR(want, table[i].text);
	}
	/* Every day of 0000-9999 (days from the epoch), one second of it
	 * each (a different hour, minute and second from one day to the
	 * next). */
	for (int64_t day = -719528; day <= 2932896; day++) {
		int64_t t = day * 86400 + (day * 7919 % 86400 + 86400) % 86400;

		days++;
		time_format(t, got);
		reference(t, want);
		if ((strcmp(got, want) != 0 || time_parse(got, &back) != 0 ||
		    back != t) && bad++ < 5) {
			check_context("%lld", (long long)t);
			CHECK_STR(got, want);
			CHECK_INT(back, t);
		}
	}
	check_context("%ld days", days);
	CHECK_INT(bad, 0);
	CHECK_INT(days, 3652425);
	return check_done();
}
