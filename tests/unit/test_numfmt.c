/*
 * test_numfmt.c: num_format (util.c), the SVG badge's count, against a
 * table of what the browser's Intl.NumberFormat(lang, { useGrouping:
 * 'always' }) writes (www/js/format.js, the pages' one rule): every number
 * from four digits up grouped in threes, with "." (es, pt), "," (en) or
 * U+202F NARROW NO-BREAK SPACE (fr).
 */
#include <stdint.h>

#include "check.h"
#include "util.h"

#define NNBSP "\xe2\x80\xaf"

static const struct {
	int64_t	    n;
	const char *text[LANG__MAX];
} table[] = {
	{ 0, { "0", "0", "0", "0" } },
	{ 7, { "7", "7", "7", "7" } },
	{ 999, { "999", "999", "999", "999" } },
	/* Spanish too: CLDR's default would leave "1000" alone. */
	{ 1000, { "1.000", "1,000", "1.000", "1" NNBSP "000" } },
	{ 1234, { "1.234", "1,234", "1.234", "1" NNBSP "234" } },
	{ 12345, { "12.345", "12,345", "12.345", "12" NNBSP "345" } },
	{ 123456, { "123.456", "123,456", "123.456", "123" NNBSP "456" } },
	{ 1234567, { "1.234.567", "1,234,567", "1.234.567",
	    "1" NNBSP "234" NNBSP "567" } },
	{ INT64_MAX, { "9.223.372.036.854.775.807",
	    "9,223,372,036,854,775,807", "9.223.372.036.854.775.807",
	    "9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775"
	    NNBSP "807" } },
	/* Not a count: shown as none. */
	{ -5, { "0", "0", "0", "0" } },
};

int
main(void)
{
	char out[NUM_FORMAT_LEN];

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		for (int l = 0; l < LANG__MAX; l++) {
			check_context("%lld in %s", (long long)table[i].n,
			    lang_codes[l]);
			num_format(table[i].n, (enum lang)l, out);
			CHECK_STR(out, table[i].text[l]);
		}
	}
	return check_done();
}
