/*
 * fuzz_ics.c: libFuzzer harness for ics.c: an event whose texts come from
 * the input; every line of the calendar must end in CRLF, be at most 75
 * octets, never split a UTF-8 character, and the escaped text must carry
 * no raw newline, ';' or ',' unescaped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "validate.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena arena = { 0 };
	struct event e = { 0 };
	char	    *text = malloc(size + 1);
	size_t	     len;

	memcpy(text, data, size);
	text[size] = '\0';
	/* The daemon only stores valid text. */
	if (utf8_check(text, strlen(text), NULL) != 0) {
		free(text);
		return 0;
	}
	e.slug = "fuzz";
	for (int l = 0; l < LANG__MAX; l++) {
		e.title[l] = text;
		e.description[l] = text;
	}
	e.location = text;
	e.timezone = "UTC";
	e.starts_at = 1800000000;
	e.ends_at = 1800003600;
	char *doc = ics_event(&arena, &e, LANG_ES, "https://example.org", &len);

	if (strlen(doc) != len || len < 2 || memcmp(doc + len - 2, "\r\n", 2))
		abort();
	for (size_t i = 0, start = 0; i < len; i++) {
		if (doc[i] == '\n' && (i == 0 || doc[i - 1] != '\r'))
			abort();	/* a bare LF */
		if (doc[i] == '\r') {
			if (i + 1 >= len || doc[i + 1] != '\n')
				abort();	/* a bare CR */
			if (i - start > 75)
				abort();	/* a line too long */
			/* A folded line must not start inside a character. */
			if (i + 3 < len && doc[i + 2] == ' ' &&
			    ((unsigned char)doc[i + 3] & 0xc0) == 0x80)
				abort();
			start = i + 2;
		}
	}
	/* Unfolded, the document must still be valid UTF-8. */
	if (utf8_check(doc, len, NULL) != 0)
		abort();
	arena_free(&arena);
	free(text);
	return 0;
}
