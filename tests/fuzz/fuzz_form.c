/*
 * fuzz_form.c: libFuzzer harness for form.c: form_parse (query strings and
 * urlencoded bodies) and percent_decode over arbitrary bytes, with the
 * invariants form.h promises checked on every input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "form.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena	 arena = { 0 };
	struct kvlist	 list;
	/* Exact-size copies, so ASan sees a read or write one byte past. */
	char		*in = malloc(size ? size : 1);
	char		*out = malloc(size ? size : 1);
	size_t		 outlen;

	if (in == NULL || out == NULL)
		abort();
	memcpy(in, data, size);

	for (int plus = 0; plus < 2; plus++) {
		outlen = (size_t)-1;
		if (percent_decode(in, size, out, &outlen, plus) == 0 &&
		    outlen > size)
			abort();
	}

	if (form_parse(&arena, in, size, &list) == 0) {
		if (list.count > FORM_MAX_PAIRS)
			abort();
		for (size_t i = 0; i < list.count; i++) {
			const struct kv *kv = &list.items[i];

			if (kv->key_len > size || kv->value_len > size ||
			    kv->key[kv->key_len] != '\0' ||
			    kv->value[kv->value_len] != '\0')
				abort();
			/* The first pair with this key is found. */
			if (strlen(kv->key) == kv->key_len &&
			    form_get(&list, kv->key) == NULL)
				abort();
		}
		(void)form_get(&list, "return");
		(void)form_get(&list, "");
	}

	arena_free(&arena);
	free(out);
	free(in);
	return 0;
}
