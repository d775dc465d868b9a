/*
 * test_tz.c: UTC offsets from the system's tz database at instants on
 * both sides of daylight-saving changes, and refusals of bad zone names
 * and broken files.
 */
#include <string.h>

#include "check.h"
#include "tz.h"

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
	return check_done();
}
