/*
 * test_validate.c: validate.c — utf8_check, text_check, email_valid,
 * email_normalise, country_valid, and the field extractors over JSON
 * objects (and over form-decoded objects of strings), with the reasons of
 * API.md.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fields.h"

/* ---- utf8_check ------------------------------------------------------- */

static const struct {
	const char *name;
	const char *s;
	int	    len;	/* -1: strlen */
	int	    rc;
	size_t	    cps;
} utf8[] = {
	{ "empty", "", -1, 0, 0 },
	{ "ASCII", "I commit", -1, 0, 8 },
	{ "NUL is valid UTF-8", "a\0b", 3, 0, 3 },
	{ "pt acao", "a\xc3\xa7\xc3\xa3o", -1, 0, 4 },
	{ "es senal", "se\xc3\xb1" "al", -1, 0, 5 },
	{ "fr Ca va", "\xc3\x87" "a va", -1, 0, 5 },
	{ "fr electrique", "\xc3\xa9lectrique", -1, 0, 10 },
	{ "euro 3-byte", "\xe2\x82\xac", -1, 0, 1 },
	{ "emoji 4-byte", "\xf0\x9f\x9a\x8c", -1, 0, 1 },	/* bus */
	{ "emoji + ASCII", "EV \xf0\x9f\x94\x8c\xf0\x9f\x9a\x97", -1, 0, 5 },
	{ "U+0080", "\xc2\x80", -1, 0, 1 },
	{ "U+07FF", "\xdf\xbf", -1, 0, 1 },
	{ "U+0800", "\xe0\xa0\x80", -1, 0, 1 },
	{ "U+D7FF", "\xed\x9f\xbf", -1, 0, 1 },
	{ "U+E000", "\xee\x80\x80", -1, 0, 1 },
	{ "U+FFFF", "\xef\xbf\xbf", -1, 0, 1 },
	{ "U+10000", "\xf0\x90\x80\x80", -1, 0, 1 },
	{ "U+10FFFF", "\xf4\x8f\xbf\xbf", -1, 0, 1 },
	{ "lone continuation", "\x80", -1, -1, 0 },
	{ "continuation after ASCII", "a\xbf", -1, -1, 0 },
	{ "truncated 2-byte", "\xc3", -1, -1, 0 },
	{ "truncated 2-byte then ASCII", "\xc3" "a", -1, -1, 0 },
	{ "truncated 3-byte", "\xe2\x82", -1, -1, 0 },
	{ "truncated 4-byte", "\xf0\x9f\x9a", -1, -1, 0 },
	{ "truncated by len", "\xc3\xa7", 1, -1, 0 },
	{ "overlong C0 AF", "\xc0\xaf", -1, -1, 0 },
	{ "overlong C1 BF", "\xc1\xbf", -1, -1, 0 },
	{ "overlong E0 80 AF", "\xe0\x80\xaf", -1, -1, 0 },
	{ "overlong E0 9F BF", "\xe0\x9f\xbf", -1, -1, 0 },
	{ "overlong F0 8F BF BF", "\xf0\x8f\xbf\xbf", -1, -1, 0 },
	{ "surrogate ED A0 80", "\xed\xa0\x80", -1, -1, 0 },
	{ "surrogate ED BF BF", "\xed\xbf\xbf", -1, -1, 0 },
	{ "above U+10FFFF F4 90 80 80", "\xf4\x90\x80\x80", -1, -1, 0 },
	{ "F5", "\xf5\x80\x80\x80", -1, -1, 0 },
	{ "FE", "\xfe", -1, -1, 0 },
	{ "FF", "\xff", -1, -1, 0 },
	{ "FF inside text", "se\xff" "al", -1, -1, 0 },
	{ "Latin-1 not UTF-8", "se\xf1" "al", -1, -1, 0 },
	{ "bad 2nd continuation", "\xe2\x28\xa1", -1, -1, 0 },
};

static void
test_utf8(void)
{
	for (size_t i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		size_t len = utf8[i].len < 0 ? strlen(utf8[i].s) :
		    (size_t)utf8[i].len;
		char  *s = malloc(len ? len : 1);	/* exact: ASan */
		size_t cps = 99999;

		if (s == NULL)
			abort();
		memcpy(s, utf8[i].s, len);
		check_context("utf8 %s", utf8[i].name);
		CHECK_INT(utf8_check(s, len, &cps), utf8[i].rc);
		if (utf8[i].rc == 0)
			CHECK_INT(cps, utf8[i].cps);
		CHECK_INT(utf8_check(s, len, NULL), utf8[i].rc);
		free(s);
	}
	check_context("%s", "");
}

/* ---- text_check ------------------------------------------------------- */

static const struct {
	const char     *name;
	const char     *s;
	int		len;
	bool		multiline;
	enum text_check want;
} texts[] = {
	{ "plain", "Flota de buses el\xc3\xa9" "ctricos", -1, false, TEXT_OK },
	{ "tab", "a\tb", -1, false, TEXT_OK },
	{ "newline one-line", "a\nb", -1, false, TEXT_CONTROL },
	{ "newline multiline", "a\nb", -1, true, TEXT_OK },
	{ "CRLF multiline", "a\r\nb\r\n", -1, true, TEXT_OK },
	{ "CR one-line", "a\rb", -1, false, TEXT_CONTROL },
	/* text_check's comment: CR only before a newline. */
	{ "lone CR multiline", "a\rb", -1, true, TEXT_CONTROL },
	{ "CR at end multiline", "a\r", -1, true, TEXT_CONTROL },
	{ "NUL", "a\0b", 3, false, TEXT_CONTROL },
	{ "NUL multiline", "a\0b", 3, true, TEXT_CONTROL },
	{ "ESC", "a\x1b[31mb", -1, false, TEXT_CONTROL },
	{ "BEL", "\x07", -1, true, TEXT_CONTROL },
	{ "vertical tab", "a\vb", -1, true, TEXT_CONTROL },
	{ "form feed", "a\fb", -1, true, TEXT_CONTROL },
	{ "DEL", "a\x7f", -1, false, TEXT_CONTROL },
	{ "C1 U+0080", "a\xc2\x80", -1, false, TEXT_CONTROL },
	{ "C1 U+0085 NEL", "a\xc2\x85" "b", -1, true, TEXT_CONTROL },
	{ "C1 U+009B CSI", "\xc2\x9b" "31m", -1, false, TEXT_CONTROL },
	{ "C1 U+009F", "\xc2\x9f", -1, false, TEXT_CONTROL },
	{ "U+00A0 is not C1", "a\xc2\xa0" "b", -1, false, TEXT_OK },
	{ "U+00A9 is not C1", "\xc2\xa9 2026", -1, false, TEXT_OK },
	{ "bad UTF-8", "a\xff", -1, false, TEXT_BAD_UTF8 },
	{ "overlong NUL C0 80", "a\xc0\x80", -1, false, TEXT_BAD_UTF8 },
	{ "emoji", "\xf0\x9f\x8c\x8e", -1, false, TEXT_OK },
};

static void
test_text(void)
{
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len = texts[i].len < 0 ? strlen(texts[i].s) :
		    (size_t)texts[i].len;
		char  *s = malloc(len ? len : 1);
		size_t cps = 0;

		if (s == NULL)
			abort();
		memcpy(s, texts[i].s, len);
		check_context("text %s", texts[i].name);
		CHECK_INT(text_check(s, len, texts[i].multiline, &cps),
		    texts[i].want);
		free(s);
	}
	check_context("text cps");
	{
		size_t cps = 0;

		CHECK_INT(text_check("a\xc3\xa7\xc3\xa3o\n!", 8, true, &cps),
		    TEXT_OK);
		CHECK_INT(cps, 6);
	}
	check_context("%s", "");
}

/* ---- email_valid ------------------------------------------------------ */

static const char *const emails_good[] = {
	"ana@example.org",
	"a@b.co",
	"Ana.Maria@Example.ORG",
	"ana+icommit@example.org",
	"ana+a+b@example.org",
	"first.last@mail.ministerio.gob.cl",
	"o'brien@example.ie",
	"user_name-1@sub-domain.example.com",
	"x@123.example",
	"jos\xc3\xa9@example.com.mx",			/* UTF-8 local */
	"ana@correo.\xc3\xb1\x61nd\xc3\xba.pe",		/* UTF-8 domain */
	/* Chinese: user@example.company */
	"\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90."
	    "\xe5\x85\xac\xe5\x8f\xb8",
	"!#$%&*+/=?^`{|}~@example.org",
};

static const char *const emails_bad[] = {
	"",
	"ana",
	"ana.example.org",
	"ana@@example.org",
	"ana@b@example.org",
	"@example.org",
	"ana@",
	"ana@localhost",			/* no dot in domain */
	".ana@example.org",
	"ana.@example.org",
	"an..a@example.org",
	"ana@.example.org",
	"ana@example.org.",			/* trailing dot */
	"ana@example..org",
	"ana maria@example.org",
	"ana@exa mple.org",
	" ana@example.org",
	"ana@example.org ",
	"ana@-example.org",
	"ana@example-.org",
	"ana@sub.-example.org",
	"ana@example.o",			/* one-letter TLD */
	"ana@example.org-",
	"ana@exam_ple.org",
	"ana@example.org/x",
	"<ana@example.org>",
	"\"ana\"@example.org",
	"ana(x)@example.org",
	"ana,b@example.org",
	"ana;b@example.org",
	"ana@[192.0.2.1]",
	"ana\t@example.org",
	"ana\n@example.org",
	"ana\x7f@example.org",
	"ana\xff@example.org",			/* not UTF-8 */
	"ana@exa\xc3mple.org",			/* truncated UTF-8 */
};

/* Builds an address of exactly len bytes: 64-byte local, 63-byte labels. */
static char *
email_of_length(size_t len)
{
	char  *s = malloc(len + 1);
	size_t o = 0;

	if (s == NULL)
		abort();
	memset(s, 'l', 64);
	o = 64;
	s[o++] = '@';
	while (len - o > 64) {
		memset(s + o, 'd', 63);
		o += 63;
		s[o++] = '.';
	}
	/* The rest: a label then ".org"-like TLD of at least 2 letters. */
	memset(s + o, 'e', len - o);
	s[len - 3] = '.';
	s[len] = '\0';
	return s;
}

static void
test_email(void)
{
	char *s;

	for (size_t i = 0; i < sizeof(emails_good) / sizeof(emails_good[0]);
	    i++) {
		check_context("good email \"%s\"", emails_good[i]);
		CHECK(email_valid(emails_good[i], strlen(emails_good[i])));
	}
	for (size_t i = 0; i < sizeof(emails_bad) / sizeof(emails_bad[0]);
	    i++) {
		check_context("bad email \"%s\"", emails_bad[i]);
		CHECK(!email_valid(emails_bad[i], strlen(emails_bad[i])));
	}
	check_context("email with NUL");
	CHECK(!email_valid("ana@example.org\0x", 17));
	CHECK(!email_valid("ana\0@example.org", 16));

	check_context("email of 254 bytes");
	s = email_of_length(254);
	CHECK_INT(strlen(s), 254);
	CHECK(email_valid(s, 254));
	free(s);
	check_context("email of 255 bytes");
	s = email_of_length(255);
	CHECK_INT(strlen(s), 255);
	CHECK(!email_valid(s, 255));
	free(s);
	check_context("email length is len, not strlen");
	CHECK(email_valid("ana@example.orgXYZ", 15));
	check_context("%s", "");
}

static const struct {
	const char *in, *out;
} normalised[] = {
	{ "ana@example.org", "ana@example.org" },
	{ "Ana@Example.ORG", "ana@example.org" },
	{ "ana+icommit@example.org", "ana@example.org" },
	{ "ANA+News+2026@EXAMPLE.org", "ana@example.org" },
	{ "ana@ex+ample.org", "ana@ex+ample.org" },	/* + only in local */
	{ "a+b@c+d.org", "a@c+d.org" },
	{ "+tag@example.org", "@example.org" },
	{ "Jos\xc3\xa9@Example.mx", "jos\xc3\xa9@example.mx" },
	{ "", "" },
};

static void
test_email_normalise(void)
{
	struct arena arena = { 0 };

	for (size_t i = 0; i < sizeof(normalised) / sizeof(normalised[0]);
	    i++) {
		check_context("normalise \"%s\"", normalised[i].in);
		CHECK_STR(email_normalise(&arena, normalised[i].in),
		    normalised[i].out);
	}
	arena_free(&arena);
	check_context("%s", "");
}

/* ---- country_valid ---------------------------------------------------- */

static void
test_country(void)
{
	/* Assigned codes in Debian's iso-codes (Kosovo's XK is not there). */
	static const char *const good[] = {
		"CL", "MX", "BR", "FR", "AR", "CO", "PE", "UY", "CR", "PA",
		"DO", "JM", "TT", "BB", "HT", "CU", "ES", "PT", "GB", "US",
		"AD", "ZW", "AQ", "BQ", "CW", "SX",
	};
	static const char *const bad[] = {
		"ZZ", "XK", "EU", "UK", "AA", "QZ", "cl", "Cl", "cL", "C",
		"", "CHL", "C1", "  ", "CL ", "\xc3\x87L",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		check_context("good country %s", good[i]);
		CHECK(country_valid(good[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_context("bad country \"%s\"", bad[i]);
		CHECK(!country_valid(bad[i]));
	}
	check_context("%s", "");
}

/* ---- field extractors ------------------------------------------------- */

static struct arena arena;

/* Starts a submission from JSON text (dies on a parse error). */
static void
fields_json(struct fields *f, const char *text)
{
	json_error_t err;

	memset(f, 0, sizeof(*f));
	f->arena = &arena;
	/* As request.c parses bodies. */
	f->in = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &err);
	if (f->in == NULL) {
		fprintf(stderr, "bad test JSON %s: %s\n", text, err.text);
		exit(2);
	}
}

/* Starts a submission {key: v}, taking v (for strings JSON cannot spell). */
static void
fields_one(struct fields *f, const char *key, json_t *v, bool from_form)
{
	memset(f, 0, sizeof(*f));
	f->arena = &arena;
	f->from_form = from_form;
	f->in = json_object();
	if (f->in == NULL || v == NULL)
		abort();
	json_object_set_new(f->in, key, v);
}

/* The reason recorded for key, or NULL. */
static const char *
reason_of(const struct fields *f, const char *key)
{
	if (f->errors == NULL)
		return NULL;
	return json_string_value(json_object_get(f->errors, key));
}

static void
test_reason_names(void)
{
	static const char *const api[REASON__MAX] = {
		"required", "too_long", "too_short", "invalid_email",
		"invalid_choice", "invalid_country", "out_of_range",
		"invalid_utf8", "must_be_true", "wrong_type",
	};

	for (int i = 0; i < REASON__MAX; i++) {
		check_context("reason %d", i);
		CHECK_STR(reason_names[i], api[i]);
	}
	check_context("%s", "");
}

/* field_string(f, "v", required, min, max, multiline) on {"v": JSON}. */
static const struct {
	const char *json;
	bool	    required;
	size_t	    min, max;
	bool	    multiline;
	int	    rc;
	const char *out;	/* NULL: absent or bad */
	const char *reason;	/* NULL: none recorded */
} strings[] = {
	{ "{\"v\": \"Ana\"}", true, 1, 120, false, 0, "Ana", NULL },
	{ "{\"v\": \"  Ana  \"}", true, 1, 120, false, 0, "Ana", NULL },
	{ "{\"v\": \"\\t\\r\\n Ana Mar\\u00eda \\n\"}", true, 1, 120, false,
	    0, "Ana Mar\xc3\xad" "a", NULL },
	{ "{\"v\": \"a\\tb\"}", true, 1, 120, false, 0, "a\tb", NULL },
	{ "{\"v\": \"a\\nb\"}", true, 1, 120, true, 0, "a\nb", NULL },
	{ "{\"v\": \"a\\nb\"}", true, 1, 120, false, -1, NULL, "invalid_utf8" },
	{ "{\"v\": \"a\\u001bb\"}", true, 1, 120, true, -1, NULL,
	    "invalid_utf8" },
	{ "{\"v\": \"a\\u0085b\"}", true, 1, 120, true, -1, NULL,
	    "invalid_utf8" },
	{ "{\"v\": \"a\\u007fb\"}", true, 1, 120, true, -1, NULL,
	    "invalid_utf8" },
	{ "{\"v\": \"Ana\\u0000Maria\"}", true, 1, 120, true, -1, NULL,
	    "invalid_utf8" },
	/* Lengths in code points: "ação" is 4 code points, 6 bytes. */
	{ "{\"v\": \"a\\u00e7\\u00e3o\"}", true, 1, 4, false, 0,
	    "a\xc3\xa7\xc3\xa3o", NULL },
	{ "{\"v\": \"a\\u00e7\\u00e3o\"}", true, 5, 10, false, -1, NULL,
	    "too_short" },
	{ "{\"v\": \"a\\u00e7\\u00e3o!\"}", true, 1, 4, false, -1, NULL,
	    "too_long" },
	{ "{\"v\": \"short\"}", true, 10, 2000, true, -1, NULL, "too_short" },
	{ "{\"v\": \"  short    \"}", true, 10, 2000, true, -1, NULL,
	    "too_short" },	/* trimmed before counting */
	{ "{\"v\": \"0123456789\"}", true, 10, 2000, true, 0, "0123456789",
	    NULL },
	/* Absent: missing, null, empty, blank. */
	{ "{}", true, 1, 120, false, -1, NULL, "required" },
	{ "{}", false, 1, 120, false, 0, NULL, NULL },
	{ "{\"v\": null}", true, 1, 120, false, -1, NULL, "required" },
	{ "{\"v\": null}", false, 1, 120, false, 0, NULL, NULL },
	{ "{\"v\": \"\"}", true, 1, 120, false, -1, NULL, "required" },
	{ "{\"v\": \"\"}", false, 1, 120, false, 0, NULL, NULL },
	{ "{\"v\": \" \\t\\n \"}", true, 1, 120, false, -1, NULL,
	    "required" },
	{ "{\"v\": \" \\t\\n \"}", false, 1, 120, false, 0, NULL, NULL },
	{ "{\"V\": \"Ana\"}", true, 1, 120, false, -1, NULL, "required" },
	/* Wrong types. */
	{ "{\"v\": 42}", true, 1, 120, false, -1, NULL, "wrong_type" },
	{ "{\"v\": 4.2}", false, 1, 120, false, -1, NULL, "wrong_type" },
	{ "{\"v\": true}", true, 1, 120, false, -1, NULL, "wrong_type" },
	{ "{\"v\": false}", false, 1, 120, false, -1, NULL, "wrong_type" },
	{ "{\"v\": [\"Ana\"]}", true, 1, 120, false, -1, NULL, "wrong_type" },
	{ "{\"v\": {\"first\": \"Ana\"}}", true, 1, 120, false, -1, NULL,
	    "wrong_type" },
	{ "{\"v\": []}", false, 1, 120, false, -1, NULL, "wrong_type" },
};

static void
test_field_string(void)
{
	struct fields f;
	const char   *out;
	char	     *s;

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		check_context("field_string row %zu %s", i, strings[i].json);
		fields_json(&f, strings[i].json);
		out = "unset";
		CHECK_INT(field_string(&f, "v", strings[i].required,
		    strings[i].min, strings[i].max, strings[i].multiline, &out),
		    strings[i].rc);
		CHECK_STR(out, strings[i].out);
		CHECK_STR(reason_of(&f, "v"), strings[i].reason);
		CHECK(fields_ok(&f) == (strings[i].reason == NULL));
		fields_free(&f);
	}

	/* 120 emoji (480 bytes) fit in 120; 121 are too long. */
	s = malloc(4 * 121 + 1);
	if (s == NULL)
		abort();
	for (int i = 0; i < 121; i++)
		memcpy(s + 4 * i, "\xf0\x9f\x9a\x8c", 4);
	check_context("120 emoji");
	fields_one(&f, "v", json_stringn(s, 4 * 120), false);
	CHECK_INT(field_string(&f, "v", true, 1, 120, false, &out), 0);
	CHECK(out != NULL && strlen(out) == 480 && memcmp(out, s, 480) == 0);
	fields_free(&f);
	check_context("121 emoji");
	fields_one(&f, "v", json_stringn(s, 4 * 121), false);
	CHECK_INT(field_string(&f, "v", true, 1, 120, false, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "too_long");
	fields_free(&f);
	free(s);

	/* NUL inside: JSON "\u0000" parsed with JSON_ALLOW_NUL, or a form. */
	check_context("NUL inside");
	fields_one(&f, "v", json_stringn("Ana\0Maria", 9), false);
	CHECK_INT(field_string(&f, "v", true, 1, 120, false, &out), -1);
	CHECK_STR(out, NULL);
	CHECK_STR(reason_of(&f, "v"), "invalid_utf8");
	fields_free(&f);
	check_context("NUL at the end");
	fields_one(&f, "v", json_stringn("Ana\0", 4), false);
	CHECK_INT(field_string(&f, "v", true, 1, 120, false, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "invalid_utf8");
	fields_free(&f);

	/* A form value is stored unchecked: bad UTF-8 must be caught here. */
	check_context("form value with bad UTF-8");
	fields_one(&f, "v", json_stringn_nocheck("se\xf1" "al", 5), true);
	CHECK_INT(field_string(&f, "v", true, 1, 120, false, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "invalid_utf8");
	fields_free(&f);
	check_context("form value, overlong");
	fields_one(&f, "v", json_stringn_nocheck("a\xc0\xaf", 3), true);
	CHECK_INT(field_string(&f, "v", false, 1, 120, true, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "invalid_utf8");
	fields_free(&f);
	check_context("%s", "");
}

/* field_email / field_choice / field_country on {"v": JSON}. */
static const struct {
	const char *json;
	bool	    required;
	int	    rc;
	const char *out, *reason;
} email_fields[] = {
	{ "{\"v\": \"ana@example.org\"}", true, 0, "ana@example.org", NULL },
	{ "{\"v\": \"Ana.Maria@Example.ORG\"}", true, 0,
	    "ana.maria@example.org", NULL },
	{ "{\"v\": \"  ANA+Icommit@Example.org \"}", true, 0,
	    "ana+icommit@example.org", NULL },
	{ "{\"v\": \"Jos\\u00e9@Example.mx\"}", true, 0,
	    "jos\xc3\xa9@example.mx", NULL },
	{ "{\"v\": \"ana\"}", true, -1, NULL, "invalid_email" },
	{ "{\"v\": \"ana@localhost\"}", true, -1, NULL, "invalid_email" },
	{ "{\"v\": \"ana @example.org\"}", true, -1, NULL, "invalid_email" },
	{ "{\"v\": \"ana@example.org\\n\"}", true, 0, "ana@example.org",
	    NULL },	/* trimmed */
	{ "{\"v\": \"ana\\n@example.org\"}", true, -1, NULL, "invalid_utf8" },
	{ "{\"v\": 42}", true, -1, NULL, "wrong_type" },
	{ "{\"v\": [\"ana@example.org\"]}", true, -1, NULL, "wrong_type" },
	{ "{\"v\": \"\"}", true, -1, NULL, "required" },
	{ "{}", true, -1, NULL, "required" },
	{ "{}", false, 0, NULL, NULL },
	{ "{\"v\": null}", false, 0, NULL, NULL },
};

static const char *const actor_types[] = {
	"individual", "private_sector", "finance", "government",
	"civil_society", "academia", "other", NULL,
};

static const struct {
	const char *json;
	bool	    required;
	int	    rc;
	const char *out, *reason;
} choice_fields[] = {
	{ "{\"v\": \"government\"}", true, 0, "government", NULL },
	{ "{\"v\": \" civil_society \"}", true, 0, "civil_society", NULL },
	{ "{\"v\": \"other\"}", true, 0, "other", NULL },
	{ "{\"v\": \"Government\"}", true, -1, NULL, "invalid_choice" },
	{ "{\"v\": \"gov\"}", true, -1, NULL, "invalid_choice" },
	{ "{\"v\": \"governments\"}", true, -1, NULL, "invalid_choice" },
	{ "{\"v\": \"civil society\"}", true, -1, NULL, "invalid_choice" },
	{ "{\"v\": 3}", true, -1, NULL, "wrong_type" },
	{ "{\"v\": [\"finance\"]}", true, -1, NULL, "wrong_type" },
	{ "{\"v\": \"\"}", true, -1, NULL, "required" },
	{ "{}", true, -1, NULL, "required" },
	{ "{}", false, 0, NULL, NULL },
};

static const struct {
	const char *json;
	bool	    required;
	int	    rc;
	const char *out, *reason;
} country_fields[] = {
	{ "{\"v\": \"CL\"}", true, 0, "CL", NULL },
	{ "{\"v\": \"cl\"}", true, 0, "CL", NULL },
	{ "{\"v\": \"mX\"}", true, 0, "MX", NULL },
	{ "{\"v\": \" br \"}", true, 0, "BR", NULL },
	{ "{\"v\": \"fr\"}", false, 0, "FR", NULL },
	{ "{\"v\": \"ZZ\"}", true, -1, NULL, "invalid_country" },
	{ "{\"v\": \"xk\"}", true, -1, NULL, "invalid_country" },
	{ "{\"v\": \"CHL\"}", true, -1, NULL, "invalid_country" },
	{ "{\"v\": \"Chile\"}", true, -1, NULL, "invalid_country" },
	{ "{\"v\": \"C\"}", true, -1, NULL, "invalid_country" },
	{ "{\"v\": \"\\u00e7l\"}", true, -1, NULL, "invalid_country" },
	{ "{\"v\": 56}", true, -1, NULL, "wrong_type" },
	{ "{\"v\": \"\"}", true, -1, NULL, "required" },
	{ "{\"v\": null}", true, -1, NULL, "required" },
	{ "{}", false, 0, NULL, NULL },
};

static void
test_field_email_choice_country(void)
{
	struct fields f;
	const char   *out;

	for (size_t i = 0; i < sizeof(email_fields) / sizeof(email_fields[0]);
	    i++) {
		check_context("field_email %s", email_fields[i].json);
		fields_json(&f, email_fields[i].json);
		out = "unset";
		CHECK_INT(field_email(&f, "v", email_fields[i].required, &out),
		    email_fields[i].rc);
		CHECK_STR(out, email_fields[i].out);
		CHECK_STR(reason_of(&f, "v"), email_fields[i].reason);
		fields_free(&f);
	}
	for (size_t i = 0;
	    i < sizeof(choice_fields) / sizeof(choice_fields[0]); i++) {
		check_context("field_choice %s", choice_fields[i].json);
		fields_json(&f, choice_fields[i].json);
		out = "unset";
		CHECK_INT(field_choice(&f, "v", choice_fields[i].required,
		    actor_types, &out), choice_fields[i].rc);
		CHECK_STR(out, choice_fields[i].out);
		CHECK_STR(reason_of(&f, "v"), choice_fields[i].reason);
		fields_free(&f);
	}
	for (size_t i = 0;
	    i < sizeof(country_fields) / sizeof(country_fields[0]); i++) {
		check_context("field_country %s", country_fields[i].json);
		fields_json(&f, country_fields[i].json);
		out = "unset";
		CHECK_INT(field_country(&f, "v", country_fields[i].required,
		    &out), country_fields[i].rc);
		CHECK_STR(out, country_fields[i].out);
		CHECK_STR(reason_of(&f, "v"), country_fields[i].reason);
		fields_free(&f);
	}

	/* A form value with a NUL is not a choice or a country. */
	check_context("form choice with NUL");
	fields_one(&f, "v", json_stringn_nocheck("finance\0x", 9), true);
	CHECK_INT(field_choice(&f, "v", true, actor_types, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "invalid_choice");
	fields_free(&f);
	check_context("form country with NUL");
	fields_one(&f, "v", json_stringn_nocheck("C\0", 2), true);
	CHECK_INT(field_country(&f, "v", true, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "invalid_country");
	fields_free(&f);
	check_context("form country with bad UTF-8");
	fields_one(&f, "v", json_stringn_nocheck("\xff\xfe", 2), true);
	CHECK_INT(field_country(&f, "v", true, &out), -1);
	CHECK_STR(reason_of(&f, "v"), "invalid_country");
	fields_free(&f);
	check_context("%s", "");
}

/* field_int(f, "v", required, min, max) on {"v": JSON}, JSON or form. */
static const struct {
	const char *json;
	bool	    from_form;
	bool	    required;
	long long   min, max;
	int	    rc;
	bool	    present;
	long long   out;
	const char *reason;
} ints[] = {
	{ "{\"v\": 2030}", false, false, 2019, 2100, 0, true, 2030, NULL },
	{ "{\"v\": 2019}", false, false, 2019, 2100, 0, true, 2019, NULL },
	{ "{\"v\": 2100}", false, false, 2019, 2100, 0, true, 2100, NULL },
	{ "{\"v\": 2018}", false, false, 2019, 2100, -1, false, 0,
	    "out_of_range" },
	{ "{\"v\": 2101}", false, false, 2019, 2100, -1, false, 0,
	    "out_of_range" },
	{ "{\"v\": -2030}", false, false, 2019, 2100, -1, false, 0,
	    "out_of_range" },
	{ "{\"v\": 0}", false, false, 0, 1000000000000LL, 0, true, 0, NULL },
	{ "{\"v\": 1000000000000}", false, false, 0, 1000000000000LL, 0, true,
	    1000000000000LL, NULL },
	{ "{\"v\": 1000000000001}", false, false, 0, 1000000000000LL, -1,
	    false, 0, "out_of_range" },
	{ "{\"v\": -1}", false, false, 0, 1000000000000LL, -1, false, 0,
	    "out_of_range" },
	{ "{\"v\": 9223372036854775807}", false, false, 0, 1000000000000LL,
	    -1, false, 0, "out_of_range" },
	{ "{\"v\": -9223372036854775808}", false, false, 0, 1000000000000LL,
	    -1, false, 0, "out_of_range" },
	{ "{\"v\": 1.0}", false, false, 0, 10, -1, false, 0, "wrong_type" },
	{ "{\"v\": 2030.0}", false, false, 2019, 2100, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": 1e3}", false, false, 0, 10000, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"2030\"}", false, false, 2019, 2100, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": true}", false, false, 0, 10, -1, false, 0, "wrong_type" },
	{ "{\"v\": [1]}", false, false, 0, 10, -1, false, 0, "wrong_type" },
	{ "{\"v\": {}}", false, false, 0, 10, -1, false, 0, "wrong_type" },
	{ "{}", false, false, 0, 10, 0, false, 0, NULL },
	{ "{}", false, true, 0, 10, -1, false, 0, "required" },
	{ "{\"v\": null}", false, false, 0, 10, 0, false, 0, NULL },
	{ "{\"v\": null}", false, true, 0, 10, -1, false, 0, "required" },
	/* From a form every value is a string of decimal digits. */
	{ "{\"v\": \"2030\"}", true, false, 2019, 2100, 0, true, 2030, NULL },
	{ "{\"v\": \" 2030 \"}", true, false, 2019, 2100, 0, true, 2030,
	    NULL },
	{ "{\"v\": \"+5\"}", true, false, 0, 10, 0, true, 5, NULL },
	{ "{\"v\": \"007\"}", true, false, 0, 10, 0, true, 7, NULL },
	{ "{\"v\": \"-1\"}", true, false, 0, 10, -1, false, 0,
	    "out_of_range" },
	{ "{\"v\": \"2018\"}", true, false, 2019, 2100, -1, false, 0,
	    "out_of_range" },
	{ "{\"v\": \"99999999999999999999\"}", true, false, 0,
	    1000000000000LL, -1, false, 0, "out_of_range" },
	{ "{\"v\": \"20x0\"}", true, false, 2019, 2100, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"2030.0\"}", true, false, 2019, 2100, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"1e3\"}", true, false, 0, 10000, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"0x10\"}", true, false, 0, 100, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"-\"}", true, false, 0, 100, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"1 000\"}", true, false, 0, 10000, -1, false, 0,
	    "wrong_type" },
	{ "{\"v\": \"\"}", true, false, 0, 10, 0, false, 0, NULL },
	{ "{\"v\": \"\"}", true, true, 0, 10, -1, false, 0, "required" },
	{ "{\"v\": \"  \"}", true, true, 0, 10, -1, false, 0, "required" },
};

static void
test_field_int(void)
{
	struct fields f;

	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		bool	  present = !ints[i].present;
		long long out = 12345;

		check_context("field_int row %zu %s%s", i, ints[i].json,
		    ints[i].from_form ? " (form)" : "");
		fields_json(&f, ints[i].json);
		f.from_form = ints[i].from_form;
		CHECK_INT(field_int(&f, "v", ints[i].required, ints[i].min,
		    ints[i].max, &present, &out), ints[i].rc);
		CHECK_INT(present, ints[i].present);
		CHECK_INT(out, ints[i].out);
		CHECK_STR(reason_of(&f, "v"), ints[i].reason);
		fields_free(&f);
	}
	check_context("form int with NUL");
	{
		bool	  present;
		long long out;

		fields_one(&f, "v", json_stringn_nocheck("20\0" "30", 5), true);
		CHECK_INT(field_int(&f, "v", true, 0, 10000, &present, &out),
		    -1);
		CHECK_STR(reason_of(&f, "v"), "wrong_type");
		fields_free(&f);
	}
	check_context("%s", "");
}

/* field_bool and field_true on {"v": JSON}, JSON or form. */
static const struct {
	const char *json;
	bool	    from_form;
	bool	    required;
	int	    rc;
	bool	    present, out;
	const char *reason;
} bools[] = {
	{ "{\"v\": true}", false, false, 0, true, true, NULL },
	{ "{\"v\": false}", false, false, 0, true, false, NULL },
	{ "{\"v\": true}", true, true, 0, true, true, NULL },
	{ "{}", false, false, 0, false, false, NULL },
	{ "{}", false, true, -1, false, false, "required" },
	{ "{\"v\": null}", false, false, 0, false, false, NULL },
	{ "{\"v\": null}", false, true, -1, false, false, "required" },
	{ "{\"v\": \"true\"}", false, false, -1, false, false, "wrong_type" },
	{ "{\"v\": \"yes\"}", false, false, -1, false, false, "wrong_type" },
	{ "{\"v\": 1}", false, false, -1, false, false, "wrong_type" },
	{ "{\"v\": 0}", false, false, -1, false, false, "wrong_type" },
	{ "{\"v\": [true]}", false, false, -1, false, false, "wrong_type" },
	/* validate.h: a string empty after trimming counts as absent. */
	{ "{\"v\": \"\"}", false, false, 0, false, false, NULL },
	{ "{\"v\": \"\"}", false, true, -1, false, false, "required" },
	/* Forms: checkbox values. */
	{ "{\"v\": \"true\"}", true, false, 0, true, true, NULL },
	{ "{\"v\": \"on\"}", true, false, 0, true, true, NULL },
	{ "{\"v\": \"yes\"}", true, false, 0, true, true, NULL },
	{ "{\"v\": \"1\"}", true, false, 0, true, true, NULL },
	{ "{\"v\": \"false\"}", true, false, 0, true, false, NULL },
	{ "{\"v\": \"off\"}", true, false, 0, true, false, NULL },
	{ "{\"v\": \"no\"}", true, false, 0, true, false, NULL },
	{ "{\"v\": \"0\"}", true, false, 0, true, false, NULL },
	{ "{\"v\": \"maybe\"}", true, false, -1, false, false, "wrong_type" },
	{ "{\"v\": \"2\"}", true, false, -1, false, false, "wrong_type" },
	{ "{\"v\": \"\"}", true, false, 0, false, false, NULL },
	{ "{\"v\": \"\"}", true, true, -1, false, false, "required" },
	{ "{\"v\": \"  \"}", true, true, -1, false, false, "required" },
	{ "{\"v\": [\"on\", \"on\"]}", true, false, -1, false, false,
	    "wrong_type" },
};

static void
test_field_bool(void)
{
	struct fields f;
	bool	      present, out;

	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
		check_context("field_bool row %zu %s%s", i, bools[i].json,
		    bools[i].from_form ? " (form)" : "");
		fields_json(&f, bools[i].json);
		f.from_form = bools[i].from_form;
		present = !bools[i].present;
		out = !bools[i].out;
		CHECK_INT(field_bool(&f, "v", bools[i].required, &present,
		    &out), bools[i].rc);
		CHECK_INT(present, bools[i].present);
		CHECK_INT(out, bools[i].out);
		CHECK_STR(reason_of(&f, "v"), bools[i].reason);
		fields_free(&f);
	}

	/* "on\0junk" from a form is not "on". */
	check_context("form bool with NUL");
	fields_one(&f, "v", json_stringn_nocheck("on\0junk", 7), true);
	CHECK_INT(field_bool(&f, "v", false, &present, &out), -1);
	CHECK(!out);
	CHECK_STR(reason_of(&f, "v"), "wrong_type");
	fields_free(&f);
	check_context("%s", "");
}

static const struct {
	const char *json;
	bool	    from_form;
	int	    rc;
	const char *reason;
} trues[] = {
	{ "{\"consent\": true}", false, 0, NULL },
	{ "{\"consent\": false}", false, -1, "must_be_true" },
	{ "{}", false, -1, "required" },
	{ "{\"consent\": null}", false, -1, "required" },
	{ "{\"consent\": \"true\"}", false, -1, "wrong_type" },
	{ "{\"consent\": 1}", false, -1, "wrong_type" },
	{ "{\"consent\": \"on\"}", true, 0, NULL },
	{ "{\"consent\": \"off\"}", true, -1, "must_be_true" },
	{ "{\"consent\": \"\"}", true, -1, "required" },
	{ "{\"consent\": \"sure\"}", true, -1, "wrong_type" },
};

static const struct {
	const char *json;
	bool	    filled;
} honeypots[] = {
	{ "{}", false },
	{ "{\"website\": null}", false },
	{ "{\"website\": \"\"}", false },
	{ "{\"website\": \"   \"}", false },
	{ "{\"website\": \"\\n\\t\"}", false },
	{ "{\"website\": false}", false },
	{ "{\"website\": \"http://spam.example\"}", true },
	{ "{\"website\": \" x \"}", true },
	{ "{\"website\": true}", true },
	{ "{\"website\": 0}", true },
	{ "{\"website\": []}", true },
	{ "{\"website\": {}}", true },
	{ "{\"Website\": \"x\"}", false },
};

static void
test_field_true_honeypot(void)
{
	struct fields f;

	for (size_t i = 0; i < sizeof(trues) / sizeof(trues[0]); i++) {
		check_context("field_true %s%s", trues[i].json,
		    trues[i].from_form ? " (form)" : "");
		fields_json(&f, trues[i].json);
		f.from_form = trues[i].from_form;
		CHECK_INT(field_true(&f, "consent"), trues[i].rc);
		CHECK_STR(reason_of(&f, "consent"), trues[i].reason);
		fields_free(&f);
	}
	for (size_t i = 0; i < sizeof(honeypots) / sizeof(honeypots[0]); i++) {
		check_context("field_honeypot %s", honeypots[i].json);
		fields_json(&f, honeypots[i].json);
		CHECK_INT(field_honeypot(&f, "website"), honeypots[i].filled);
		CHECK(fields_ok(&f));	/* a honeypot records no reason */
		fields_free(&f);
	}
	/* A value hidden behind a NUL is still a value. */
	check_context("honeypot \\0x");
	fields_one(&f, "website", json_stringn_nocheck("\0x", 2), true);
	CHECK(field_honeypot(&f, "website"));
	fields_free(&f);
	check_context("%s", "");
}

/* A whole pledge with many bad fields: every one is reported at once. */
static void
test_all_errors_at_once(void)
{
	static const char *const units[] = { "vehicles", "buses", "chargers",
		"mw", "usd", "tco2e", "people", NULL };
	struct fields f;
	const char   *s;
	bool	      present, b;
	long long     n;

	check_context("a pledge with nine bad fields");
	fields_json(&f, "{\"name\": 42, \"email\": \"ana@localhost\","
	    " \"organisation\": \"\\u0000\", \"actor_type\": \"robot\","
	    " \"country\": \"ZZ\", \"city\": [\"Santiago\"],"
	    " \"commitment\": \"too short\", \"quantity\": 1.5,"
	    " \"unit\": \"buses\", \"target_year\": 2200,"
	    " \"public\": \"yes\", \"consent\": false, \"website\": \"\"}");
	CHECK_INT(field_string(&f, "name", true, 1, 120, false, &s), -1);
	CHECK_INT(field_email(&f, "email", true, &s), -1);
	CHECK_INT(field_string(&f, "organisation", false, 0, 160, false, &s),
	    -1);
	CHECK_INT(field_choice(&f, "actor_type", true, actor_types, &s), -1);
	CHECK_INT(field_country(&f, "country", true, &s), -1);
	CHECK_INT(field_string(&f, "city", false, 0, 120, false, &s), -1);
	CHECK_INT(field_string(&f, "commitment", true, 10, 2000, true, &s),
	    -1);
	CHECK_INT(field_int(&f, "quantity", false, 0, 1000000000000LL,
	    &present, &n), -1);
	CHECK_INT(field_choice(&f, "unit", false, units, &s), 0);
	CHECK_STR(s, "buses");
	CHECK_INT(field_int(&f, "target_year", false, 2019, 2100, &present,
	    &n), -1);
	CHECK_INT(field_bool(&f, "public", false, &present, &b), -1);
	CHECK_INT(field_true(&f, "consent"), -1);
	CHECK(!field_honeypot(&f, "website"));
	CHECK(!fields_ok(&f));
	CHECK_INT(json_object_size(f.errors), 11);
	CHECK_STR(reason_of(&f, "name"), "wrong_type");
	CHECK_STR(reason_of(&f, "email"), "invalid_email");
	CHECK_STR(reason_of(&f, "organisation"), "invalid_utf8");
	CHECK_STR(reason_of(&f, "actor_type"), "invalid_choice");
	CHECK_STR(reason_of(&f, "country"), "invalid_country");
	CHECK_STR(reason_of(&f, "city"), "wrong_type");
	CHECK_STR(reason_of(&f, "commitment"), "too_short");
	CHECK_STR(reason_of(&f, "quantity"), "wrong_type");
	CHECK_STR(reason_of(&f, "target_year"), "out_of_range");
	CHECK_STR(reason_of(&f, "public"), "wrong_type");
	CHECK_STR(reason_of(&f, "consent"), "must_be_true");
	CHECK_STR(reason_of(&f, "unit"), NULL);
	fields_free(&f);
	CHECK(f.in == NULL && f.errors == NULL);

	check_context("the first reason for a key wins");
	fields_json(&f, "{}");
	fields_fail(&f, "name", REASON_REQUIRED);
	fields_fail(&f, "name", REASON_TOO_LONG);
	CHECK_STR(reason_of(&f, "name"), "required");
	CHECK_INT(json_object_size(f.errors), 1);
	fields_free(&f);

	check_context("a good pledge");
	fields_json(&f, "{\"name\": \" Ana Mar\\u00eda \", \"email\":"
	    " \"Ana@Example.ORG\", \"actor_type\": \"government\","
	    " \"country\": \"cl\", \"commitment\": \"100 buses el\\u00e9"
	    "ctricos en Santiago para 2030.\", \"quantity\": 100,"
	    " \"unit\": \"buses\", \"target_year\": 2030, \"public\": true,"
	    " \"consent\": true, \"unknown\": [1, 2, 3]}");
	CHECK_INT(field_string(&f, "name", true, 1, 120, false, &s), 0);
	CHECK_STR(s, "Ana Mar\xc3\xad" "a");
	CHECK_INT(field_email(&f, "email", true, &s), 0);
	CHECK_STR(s, "ana@example.org");
	CHECK_INT(field_choice(&f, "actor_type", true, actor_types, &s), 0);
	CHECK_INT(field_country(&f, "country", true, &s), 0);
	CHECK_STR(s, "CL");
	CHECK_INT(field_string(&f, "organisation", false, 0, 160, false, &s),
	    0);
	CHECK_STR(s, NULL);
	CHECK_INT(field_int(&f, "quantity", false, 0, 1000000000000LL,
	    &present, &n), 0);
	CHECK(present && n == 100);
	CHECK_INT(field_true(&f, "consent"), 0);
	CHECK(fields_ok(&f));
	fields_free(&f);
	check_context("%s", "");
}

/* field_time_zoned: a UTC time, or the venue's wall clock at KEY_local
 * (Europe/Paris: 02:30 on 2026-03-29 is skipped, on 2026-10-25 doubled),
 * and fields_merge's prefixed reasons. */
static void
test_field_time_zoned(void)
{
	static const struct {
		const char *json, *zone;
		int	    rc;
		bool	    has;
		int64_t	    t;
		const char *key, *reason;	/* the reason recorded, if any */
	} rows[] = {
		{ "{\"at\": \"2026-12-03T13:00:00Z\"}", "Europe/Paris", 0, true,
		    1796302800, NULL, NULL },
		{ "{\"at_local\": \"2026-12-03T14:00\"}", "Europe/Paris", 0, true,
		    1796302800, NULL, NULL },
		{ "{\"at_local\": \"2026-12-03T10:00\"}", "America/Sao_Paulo", 0,
		    true, 1796302800, NULL, NULL },
		{ "{\"at_local\": \"2026-12-03T13:00:00\"}", "UTC", 0, true,
		    1796302800, NULL, NULL },
		{ "{\"at_local\": \"2026-10-25T02:30\"}", "Europe/Paris", 0, true,
		    1792888200, NULL, NULL },
		{ "{\"at_local\": \"2026-03-29T02:30\"}", "Europe/Paris", -1,
		    false, 0, "at_local", "out_of_range" },
		{ "{\"at_local\": \"2026-12-03T14:00Z\"}", "Europe/Paris", -1,
		    false, 0, "at_local", "out_of_range" },
		{ "{\"at_local\": 14}", "Europe/Paris", -1, false, 0, "at_local",
		    "wrong_type" },
		{ "{\"at_local\": \"2026-12-03T14:00\"}", "No/Such_Zone", -1,
		    false, 0, "at_local", "invalid_choice" },
		{ "{\"at\": \"2026-12-03T13:00:00Z\", \"at_local\": "
		    "\"2026-12-03T14:00\"}", "UTC", -1, false, 0, "at_local",
		    "invalid_choice" },
		{ "{}", "UTC", -1, false, 0, "at", "required" },
		{ "{\"at_local\": null}", "UTC", -1, false, 0, "at_local",
		    "required" },
	};
	struct fields f, outer;
	bool	      has;
	int64_t	      t;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		check_context("field_time_zoned row %zu %s in %s", i,
		    rows[i].json, rows[i].zone);
		fields_json(&f, rows[i].json);
		has = false;
		t = 0;
		CHECK_INT(field_time_zoned(&f, "at", true, rows[i].zone, &has,
		    &t), rows[i].rc);
		CHECK(has == rows[i].has);
		if (rows[i].has)
			CHECK_INT(t, rows[i].t);
		if (rows[i].key != NULL)
			CHECK_STR(reason_of(&f, rows[i].key), rows[i].reason);
		else
			CHECK(fields_ok(&f));
		fields_free(&f);
	}
	check_context("a null local time clears an optional one");
	fields_json(&f, "{\"at_local\": null}");
	has = true;
	CHECK_INT(field_time_zoned(&f, "at", false, "UTC", &has, &t), 0);
	CHECK(!has && fields_ok(&f));
	fields_free(&f);

	check_context("fields_merge prefixes every reason");
	fields_json(&outer, "{}");
	fields_json(&f, "{}");
	fields_fail(&f, "title.es", REASON_REQUIRED);
	fields_fail(&f, "starts_at_local", REASON_OUT_OF_RANGE);
	fields_merge(&outer, "agenda.3.", &f);
	CHECK_STR(reason_of(&outer, "agenda.3.title.es"), "required");
	CHECK_STR(reason_of(&outer, "agenda.3.starts_at_local"), "out_of_range");
	CHECK_INT(json_object_size(outer.errors), 2);
	fields_free(&f);
	fields_merge(&outer, "x.", &f);	/* nothing to merge */
	CHECK_INT(json_object_size(outer.errors), 2);
	fields_free(&outer);
	check_context("%s", "");
}

int
main(void)
{
	test_utf8();
	test_text();
	test_email();
	test_email_normalise();
	test_country();
	test_reason_names();
	test_field_string();
	test_field_email_choice_country();
	test_field_int();
	test_field_bool();
	test_field_true_honeypot();
	test_all_errors_at_once();
	test_field_time_zoned();
	arena_free(&arena);
	return check_done();
}
