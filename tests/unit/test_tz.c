/*
 * test_tz.c: UTC offsets from the system's tz database at instants on
 * both sides of daylight-saving changes, and refusals of bad zone names
 * and broken files; wall-clock times of a zone made instants (the times
 * staff enter for a venue), across a change of clocks both ways.
 */
#include <string.h>

#include "check.h"
#include "tz.h"
#include "util.h"

static const struct {
	const char *zone;
	int64_t	    t;
	int32_t	    offset;
	const char *abbr;
} good[] = {
	{ "UTC", 1796302800, 0, "UTC" },
	/* 2026-12-03T13:00Z: southern summer. */
	{ "America/Santiago", 1796302800, -3 * 3600, "-03" },
	{ "America/Sao_Paulo", 1796302800, -3 * 3600, "-03" },
	{ "America/Mexico_City", 1796302800, -6 * 3600, "CST" },
	{ "America/Bogota", 1796302800, -5 * 3600, "-05" },
	{ "Europe/Paris", 1796302800, 3600, "CET" },
	/* 2026-07-01T12:00Z: southern winter, northern summer. */
	{ "America/Santiago", 1782907200, -4 * 3600, "-04" },
	{ "Europe/Paris", 1782907200, 2 * 3600, "CEST" },
	/* 1990-01-01: Brazil still had summer time then. */
	{ "America/Sao_Paulo", 631152000, -2 * 3600, "-02" },
};

/* Wall-clock times (time_parse_local) in a zone and the instant they are
 * (the first of two when the clocks went back); from Python's zoneinfo. */
static const struct {
	const char    *zone, *wall;
	enum tz_local  kind;
	int64_t	       utc;
} local[] = {
	{ "UTC", "2026-12-03T10:00", TZ_LOCAL_OK, 1796292000 },
	{ "America/Sao_Paulo", "2026-12-03T10:00", TZ_LOCAL_OK, 1796302800 },
	{ "Europe/Paris", "2026-12-03T10:00", TZ_LOCAL_OK, 1796288400 },
	{ "America/Santiago", "2026-07-01T08:00", TZ_LOCAL_OK, 1782907200 },
	/* Paris, 2026-03-29: 02:00 becomes 03:00, so 02:30 never shows. */
	{ "Europe/Paris", "2026-03-29T02:30", TZ_LOCAL_GAP, 1774747800 },
	{ "Europe/Paris", "2026-03-29T03:30", TZ_LOCAL_OK, 1774747800 },
	/* Paris, 2026-10-25: 03:00 becomes 02:00, so 02:30 shows twice. */
	{ "Europe/Paris", "2026-10-25T02:30", TZ_LOCAL_FOLD, 1792888200 },
	{ "Europe/Paris", "2026-10-25T03:30", TZ_LOCAL_OK, 1792895400 },
	/* Santiago, 2026-09-06: midnight becomes 01:00. */
	{ "America/Santiago", "2026-09-06T00:30", TZ_LOCAL_GAP, 1788669000 },
	/* Santiago, 2026-04-05: midnight becomes 23:00 the day before. */
	{ "America/Santiago", "2026-04-04T23:30", TZ_LOCAL_FOLD, 1775356200 },
	{ "No/Such_Zone", "2026-12-03T10:00", TZ_LOCAL_BADZONE, 0 },
	{ "../../etc/passwd", "2026-12-03T10:00", TZ_LOCAL_BADZONE, 0 },
};

static void
test_local(void)
{
	static const char *const bad_wall[] = { "", "2026-12-03",
		"2026-12-03T10:00Z", "2026-12-03T10:00-03:00",
		"2026-12-03T10:00+01:00", "2026-12-03T10", "2026-13-03T10:00",
		"2026-02-30T10:00", "2026-12-03T24:00", "2026-12-03T10:00:00.5",
		"2026-12-03x10:00", " 2026-12-03T10:00", NULL };
	char	buf[TIME_LOCAL_LEN];
	int64_t wall, utc;

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		check_context("%s in %s", local[i].wall, local[i].zone);
		CHECK_INT(time_parse_local(local[i].wall, &wall), 0);
		time_format_local(wall, buf);
		CHECK_STR(buf, local[i].wall);
		utc = 0;
		CHECK_INT(tz_local_to_utc(local[i].zone, wall, &utc),
		    local[i].kind);
		if (local[i].kind != TZ_LOCAL_BADZONE)
			CHECK_INT(utc, local[i].utc);
	}
	check_context("seconds");
	CHECK_INT(time_parse_local("2026-12-03T10:00:30", &wall), 0);
	CHECK_INT(wall, 1796292030);
	for (size_t i = 0; bad_wall[i] != NULL; i++) {
		check_context("bad wall clock \"%s\"", bad_wall[i]);
		CHECK_INT(time_parse_local(bad_wall[i], &wall), -1);
	}
}

/*
 * Zone files are kept in memory (16 of them): the same answers from a
 * kept file as from the file, for more zones than are kept (each read
 * again after its entry made room for another) and in another order.
 */
static void
test_kept(void)
{
	static const char *const zones[] = { "America/Santiago",
		"America/Sao_Paulo", "America/Mexico_City", "America/Bogota",
		"America/Lima", "America/Argentina/Buenos_Aires",
		"America/Caracas", "America/Havana", "America/Panama",
		"America/Montevideo", "America/Asuncion", "America/La_Paz",
		"America/Guayaquil", "America/Santo_Domingo", "America/Jamaica",
		"America/Costa_Rica", "Europe/Paris", "Europe/Lisbon",
		"Europe/Madrid", "Africa/Abidjan" };
	enum { N = sizeof(zones) / sizeof(zones[0]) };
	const int64_t t[2] = { 1780000000, 1796292030 };	/* June, December */
	int32_t	   first[N][2], off;
	char	   abbr[TZ_ABBR_MAX];

	for (size_t round = 0; round < 3; round++)
		for (size_t k = 0; k < N; k++) {
			/* Forwards, backwards, forwards. */
			size_t i = round == 1 ? N - 1 - k : k;

			for (int j = 0; j < 2; j++) {
				check_context("%s, round %zu", zones[i], round);
				CHECK_INT(tz_offset(zones[i], t[j], &off, abbr),
				    0);
				if (round == 0)
					first[i][j] = off;
				CHECK_INT(off, first[i][j]);
			}
		}
	check_context("kept: America/Santiago in June, December");
	CHECK_INT(first[0][0], -4 * 3600);
	CHECK_INT(first[0][1], -3 * 3600);
	check_context("a bad name after good ones");
	CHECK_INT(tz_offset("America/Nowhere", t[0], &off, abbr), -1);
}

int
main(void)
{
	static const char *const bad[] = { "", "/etc/passwd", "../../etc/passwd",
		"America/../../etc/passwd", "No/Such_Zone", "America/Santiago ",
		"Europe/Paris;x", NULL };
	static const unsigned char broken[][60] = {
		"TZif", "TZif2\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0",
		"NOTZ", "",
	};
	char	abbr[TZ_ABBR_MAX];
	int32_t off;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		check_context("%s at %lld", good[i].zone, (long long)good[i].t);
		CHECK_INT(tz_offset(good[i].zone, good[i].t, &off, abbr), 0);
		CHECK_INT(off, good[i].offset);
		CHECK_STR(abbr, good[i].abbr);
	}
	for (size_t i = 0; bad[i] != NULL; i++) {
		check_context("bad zone \"%s\"", bad[i]);
		CHECK_INT(tz_offset(bad[i], 0, &off, abbr), -1);
	}
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		check_context("broken file %zu", i);
		CHECK_INT(tz_offset_parse(broken[i], sizeof(broken[i]), 0, &off,
		    abbr), -1);
	}
	/* A header that claims more data than the file has. */
	{
		unsigned char h[44] = "TZif2";

		memset(h + 20, 0xff, 24);
		check_context("huge counts");
		CHECK_INT(tz_offset_parse(h, sizeof(h), 0, &off, abbr), -1);
	}
	test_local();
	test_kept();
	return check_done();
}
