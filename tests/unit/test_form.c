/*
 * test_form.c: form.c — percent_decode, form_parse (query strings and
 * urlencoded bodies) and form_get.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "form.h"

/* in/out may hold NUL bytes, so each has its length (-1: use strlen). */
static const struct {
	const char *in;
	int	    in_len;
	bool	    plus_space;
	int	    rc;
	const char *out;
	size_t	    out_len;
} decodes[] = {
	{ "", -1, true, 0, "", 0 },
	{ "abc", -1, true, 0, "abc", 3 },
	{ "a%20b", -1, true, 0, "a b", 3 },
	{ "a+b", -1, true, 0, "a b", 3 },
	{ "a+b", -1, false, 0, "a+b", 3 },
	{ "a%2Bb", -1, true, 0, "a+b", 3 },
	{ "%41%42%43", -1, true, 0, "ABC", 3 },
	{ "%4a%4A", -1, true, 0, "JJ", 2 },
	{ "se%C3%B1al", -1, true, 0, "se\xc3\xb1" "al", 6 },
	{ "a%C3%A7%C3%A3o", -1, true, 0, "a\xc3\xa7\xc3\xa3o", 6 },
	{ "%25", -1, true, 0, "%", 1 },
	{ "%2525", -1, true, 0, "%25", 3 },
	{ "%00", -1, true, 0, "\0", 1 },
	{ "a%00b", -1, true, 0, "a\0b", 3 },
	{ "%FF%fe", -1, true, 0, "\xff\xfe", 2 },	/* bytes, unchecked */
	{ "a=b&c", -1, true, 0, "a=b&c", 5 },
	{ "abc", 2, true, 0, "ab", 2 },		/* only len bytes */
	{ "%41", 2, true, -1, NULL, 0 },	/* "%4" within len */
	{ "%zz", -1, true, -1, NULL, 0 },
	{ "%4", -1, true, -1, NULL, 0 },
	{ "%", -1, true, -1, NULL, 0 },
	{ "abc%", -1, true, -1, NULL, 0 },
	{ "abc%4", -1, true, -1, NULL, 0 },
	{ "%g0", -1, true, -1, NULL, 0 },
	{ "%0g", -1, true, -1, NULL, 0 },
	{ "% 1", -1, true, -1, NULL, 0 },
	{ "%+1", -1, true, -1, NULL, 0 },
	{ "%%41", -1, true, -1, NULL, 0 },
	{ "ok%2", -1, true, -1, NULL, 0 },
};

static void
test_percent_decode(void)
{
	for (size_t i = 0; i < sizeof(decodes) / sizeof(decodes[0]); i++) {
		size_t len = decodes[i].in_len < 0 ? strlen(decodes[i].in) :
		    (size_t)decodes[i].in_len;
		/* Exactly len bytes (at least 1): ASan sees any overrun. */
		char  *in = malloc(len ? len : 1);
		char  *out = malloc(len ? len : 1);
		size_t outlen = 12345;
		int    rc;

		if (in == NULL || out == NULL)
			abort();
		memcpy(in, decodes[i].in, len);
		check_context("decode row %zu \"%s\"", i, decodes[i].in);
		rc = percent_decode(in, len, out, &outlen,
		    decodes[i].plus_space);
		CHECK_INT(rc, decodes[i].rc);
		if (rc == 0) {
			CHECK_INT(outlen, decodes[i].out_len);
			CHECK(outlen <= len);
			CHECK(outlen == decodes[i].out_len &&
			    memcmp(out, decodes[i].out, outlen) == 0);
		}
		free(in);
		free(out);
	}
	check_context("%s", "");
}

/*
 * Form inputs and the pairs expected, written "k=v|k=v" (values shown with
 * NUL as "\\0"), or rc -1.
 */
static const struct {
	const char *in;
	int	    rc;
	const char *pairs;
} forms[] = {
	{ "", 0, "" },
	{ "a=1&b=2", 0, "a=1|b=2" },
	{ "a=1&&b=2", 0, "a=1|b=2" },
	{ "&&", 0, "" },
	{ "&a=1&", 0, "a=1" },
	{ "a", 0, "a=" },
	{ "a&b=2", 0, "a=|b=2" },
	{ "a=", 0, "a=" },
	{ "=x", 0, "=x" },
	{ "=", 0, "=" },
	{ "a=1=2", 0, "a=1=2" },
	{ "a=1&a=2", 0, "a=1|a=2" },
	{ "name=Ana+Mar%C3%ADa&country=cl", 0,
	    "name=Ana Mar\xc3\xad" "a|country=cl" },
	{ "q=a%26b%3Dc", 0, "q=a&b=c" },
	{ "first+name=x", 0, "first name=x" },
	{ "a%3Db=c", 0, "a=b=c" },
	{ "v=%00", 0, "v=\\0" },
	{ "v=a%00b", 0, "v=a\\0b" },
	{ "website=&consent=on", 0, "website=|consent=on" },
	{ "a=%zz", -1, NULL },
	{ "a=%4", -1, NULL },
	{ "a=%", -1, NULL },
	{ "a%=1", -1, NULL },
	{ "%zz=1", -1, NULL },
	{ "a=1&b=%G1&c=3", -1, NULL },
	{ "a=1&b=2%", -1, NULL },
};

/* Renders a kvlist as "k=v|k=v", NUL bytes as "\0". */
static const char *
show_pairs(const struct kvlist *l, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->count && o + 8 < len; i++) {
		const struct kv *kv = &l->items[i];

		if (i > 0)
			buf[o++] = '|';
		for (size_t k = 0; k < kv->key_len && o + 8 < len; k++)
			buf[o++] = kv->key[k];
		buf[o++] = '=';
		for (size_t k = 0; k < kv->value_len && o + 8 < len; k++) {
			if (kv->value[k] == '\0') {
				buf[o++] = '\\';
				buf[o++] = '0';
			} else
				buf[o++] = kv->value[k];
		}
		buf[o] = '\0';
	}
	return buf;
}

static void
test_form_parse(void)
{
	struct arena  arena = { 0 };
	struct kvlist l;
	char	      buf[512];

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t len = strlen(forms[i].in);
		char  *in = malloc(len ? len : 1);	/* not NUL-terminated */
		int    rc;

		if (in == NULL)
			abort();
		memcpy(in, forms[i].in, len);
		check_context("form row %zu \"%s\"", i, forms[i].in);
		rc = form_parse(&arena, in, len, &l);
		CHECK_INT(rc, forms[i].rc);
		if (rc == 0) {
			CHECK_STR(show_pairs(&l, buf, sizeof(buf)),
			    forms[i].pairs);
			/* Keys and values end in a NUL at their length. */
			for (size_t k = 0; k < l.count; k++) {
				const struct kv *kv = &l.items[k];

				CHECK(kv->key[kv->key_len] == '\0');
				CHECK(kv->value[kv->value_len] == '\0');
			}
		}
		free(in);
		arena_reset(&arena);
	}
	arena_free(&arena);
	check_context("%s", "");
}

/* FORM_MAX_PAIRS pairs are fine, one more is rejected; empty pieces free. */
static void
test_form_limits(void)
{
	struct arena  arena = { 0 };
	struct kvlist l;
	size_t	      cap = (FORM_MAX_PAIRS + 1) * 8 + 1;
	char	     *buf = malloc(cap);

	if (buf == NULL)
		abort();
	check_context("FORM_MAX_PAIRS pairs");
	buf[0] = '\0';
	for (int i = 0; i < FORM_MAX_PAIRS; i++)
		snprintf(buf + strlen(buf), 8, "%sk=%d", i ? "&" : "", i % 10);
	CHECK_INT(form_parse(&arena, buf, strlen(buf), &l), 0);
	CHECK_INT(l.count, FORM_MAX_PAIRS);

	check_context("FORM_MAX_PAIRS + 1 pairs");
	strcat(buf, "&x");
	CHECK_INT(form_parse(&arena, buf, strlen(buf), &l), -1);

	check_context("FORM_MAX_PAIRS pairs and many empty pieces");
	buf[0] = '\0';
	for (int i = 0; i < FORM_MAX_PAIRS; i++)
		snprintf(buf + strlen(buf), 8, "%sk&&", i ? "&" : "");
	CHECK_INT(form_parse(&arena, buf, strlen(buf), &l), 0);
	CHECK_INT(l.count, FORM_MAX_PAIRS);
	free(buf);
	arena_free(&arena);
	check_context("%s", "");
}

static void
test_form_get(void)
{
	static const char in[] =
	    "country=CL&name=Ana&country=MX&empty=&flag&nul%00key=1&q=a+b";
	struct arena	 arena = { 0 };
	struct kvlist	 l;
	const struct kv *kv;

	check_context("form_get");
	if (!CHECK_INT(form_parse(&arena, in, sizeof(in) - 1, &l), 0))
		return;
	kv = form_get(&l, "country");
	CHECK(kv != NULL && strcmp(kv->value, "CL") == 0); /* the first one */
	kv = form_get(&l, "name");
	CHECK(kv != NULL && strcmp(kv->value, "Ana") == 0);
	kv = form_get(&l, "empty");
	CHECK(kv != NULL && kv->value_len == 0);
	kv = form_get(&l, "flag");
	CHECK(kv != NULL && kv->value_len == 0);
	kv = form_get(&l, "q");
	CHECK(kv != NULL && strcmp(kv->value, "a b") == 0);
	CHECK(form_get(&l, "missing") == NULL);
	CHECK(form_get(&l, "Country") == NULL);
	CHECK(form_get(&l, "countr") == NULL);
	/* "nul\0key" is not the key "nul". */
	CHECK(form_get(&l, "nul") == NULL);

	check_context("form_get on an empty list");
	CHECK_INT(form_parse(&arena, "", 0, &l), 0);
	CHECK_INT(l.count, 0);
	CHECK(form_get(&l, "a") == NULL);
	arena_free(&arena);
	check_context("%s", "");
}

int
main(void)
{
	test_percent_decode();
	test_form_parse();
	test_form_limits();
	test_form_get();
	return check_done();
}
