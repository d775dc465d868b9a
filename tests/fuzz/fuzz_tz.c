/*
 * fuzz_tz.c: libFuzzer harness for tz.c's TZif reader: any bytes, at any
 * instant, give 0 with a sane offset and a terminated abbreviation, or -1,
 * and never read outside the buffer; a wall-clock time read against them
 * gives one of enum tz_local's answers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t at[] = { INT64_MIN, -1, 0, 1796302800,
		INT64_MAX };
	unsigned char	    *copy = malloc(size ? size : 1);
	char		     abbr[TZ_ABBR_MAX];
	int32_t		     off;
	int64_t		     utc;

	memcpy(copy, data, size);	/* exact size: ASan sees overreads */
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (tz_offset_parse(copy, size, at[i], &off, abbr) == 0 &&
		    memchr(abbr, '\0', sizeof(abbr)) == NULL)
			abort();
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (tz_local_parse(copy, size, at[i], &utc) > TZ_LOCAL_BADZONE)
			abort();
	free(copy);
	return 0;
}
