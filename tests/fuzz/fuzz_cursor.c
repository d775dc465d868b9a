/*
 * fuzz_cursor.c: libFuzzer harness for cursor.c: decoding never reads past
 * its input, accepts only ids > 0, and what it accepts re-encodes to the
 * same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char   *in = malloc(size ? size : 1);
	char	again[CURSOR_MAX];
	int64_t id;

	memcpy(in, data, size);
	if (cursor_decode(in, size, &id) == 0) {
		if (id <= 0)
			abort();
		cursor_encode(id, again);
		if (strlen(again) != size || memcmp(again, in, size) != 0)
			abort();
	}
	free(in);
	return 0;
}
