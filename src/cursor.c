/*
 * cursor.c: pagination cursors (see cursor.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"

void
cursor_encode(int64_t id, char out[CURSOR_MAX])
{
	char raw[24];
	int  n = snprintf(raw, sizeof(raw), "k%lld", (long long)id);

	sodium_bin2base64(out, CURSOR_MAX, (const unsigned char *)raw,
	    (size_t)n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
cursor_decode(const char *s, size_t len, int64_t *id)
{
	unsigned char raw[24];
	size_t	      n;
	int64_t	      v = 0;

	if (len == 0 || len >= CURSOR_MAX)
		return -1;
	if (sodium_base642bin(raw, sizeof(raw) - 1, s, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
		return -1;
	if (n < 2 || n > 19 || raw[0] != 'k' || raw[1] == '0')
		return -1;
	for (size_t i = 1; i < n; i++) {
		if (raw[i] < '0' || raw[i] > '9')
			return -1;
		v = v * 10 + (raw[i] - '0');
	}
	*id = v;
	return v > 0 ? 0 : -1;
}
