/*
 * form.c: percent-decoding, key=value splitting and the readers of
 * parameters of a fixed form (see form.h).
 */
#include <string.h>

#include "form.h"
#include "util.h"
#include "validate.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
percent_decode(const char *in, size_t len, char *out, size_t *outlen,
    bool plus_space)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = in[i];

		if (c == '%') {
			int hi, lo;

			if (len - i < 3)
				return -1;
			hi = hexval(in[i + 1]);
			lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_space)
			out[o++] = ' ';
		else
			out[o++] = c;
	}
	*outlen = o;
	return 0;
}

int
form_parse(struct arena *arena, const char *buf, size_t len,
    struct kvlist *out)
{
	size_t pos = 0, n = 0;

	out->items = NULL;
	out->count = 0;
	if (len == 0)
		return 0;
	out->items = arena_alloc(arena, sizeof(struct kv) * FORM_MAX_PAIRS);
	while (pos < len) {
		const char *piece = buf + pos;
		const char *amp = memchr(piece, '&', len - pos);
		size_t	    plen = amp ? (size_t)(amp - piece) : len - pos;
		const char *eq = memchr(piece, '=', plen);
		size_t	    klen = eq ? (size_t)(eq - piece) : plen;
		size_t	    vlen = eq ? plen - klen - 1 : 0;
		struct kv  *kv;
		char	   *k, *v;

		pos += plen + (amp ? 1 : 0);
		if (plen == 0)
			continue;
		if (n == FORM_MAX_PAIRS)
			return -1;
		kv = &out->items[n];
		k = arena_alloc(arena, klen + 1);
		v = arena_alloc(arena, vlen + 1);
		if (percent_decode(piece, klen, k, &kv->key_len, true) != 0 ||
		    (eq && percent_decode(eq + 1, vlen, v, &kv->value_len,
		    true) != 0))
			return -1;
		if (!eq)
			kv->value_len = 0;
		k[kv->key_len] = '\0';
		v[kv->value_len] = '\0';
		kv->key = k;
		kv->value = v;
		n++;
	}
	out->count = n;
	return 0;
}

const struct kv *
form_get(const struct kvlist *list, const char *key)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i].key, key) == 0 &&
		    strlen(list->items[i].key) == list->items[i].key_len)
			return &list->items[i];
	return NULL;
}

/* The non-empty value of key, or NULL. */
static const struct kv *
form_value(const struct kvlist *list, const char *key)
{
	const struct kv *kv = form_get(list, key);

	return kv != NULL && kv->value_len > 0 ? kv : NULL;
}

int
form_choice(const struct kvlist *list, const char *key,
    const char *const *choices, const char **out)
{
	const struct kv *kv = form_value(list, key);

	*out = NULL;
	if (kv == NULL)
		return 0;
	for (size_t i = 0; choices[i] != NULL; i++)
		if (strlen(choices[i]) == kv->value_len &&
		    memcmp(kv->value, choices[i], kv->value_len) == 0) {
			*out = choices[i];
			return 0;
		}
	return -1;
}

int
form_country(const struct kvlist *list, const char *key, char out[3])
{
	const struct kv *kv = form_value(list, key);

	out[0] = '\0';
	if (kv == NULL)
		return 0;
	if (kv->value_len != 2)
		return -1;
	out[0] = (char)(kv->value[0] & ~0x20);
	out[1] = (char)(kv->value[1] & ~0x20);
	out[2] = '\0';
	if (!country_valid(out)) {
		out[0] = '\0';
		return -1;
	}
	return 1;
}

int
form_time(const struct kvlist *list, const char *key, bool *has, int64_t *t)
{
	const struct kv *kv = form_value(list, key);

	*has = false;
	if (kv == NULL)
		return 0;
	if (time_parse(kv->value, t) != 0)
		return -1;
	*has = true;
	return 0;
}
