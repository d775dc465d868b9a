/*
 * validate.c: the pure checks every field rule is built on (see
 * validate.h): UTF-8, free text, e-mail addresses and their identity key,
 * ISO 3166-1 country codes, slugs. The field extractors that apply them to
 * a submission are in fields.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

extern const char iso3166_alpha2[][3];
extern const size_t iso3166_alpha2_count;

int
utf8_check(const char *str, size_t len, size_t *cps)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t		     i = 0, n = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t	      need;
		unsigned      cp, min;

		if (c < 0x80) {
			i++;
			n++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return -1;
		if (len - i <= need)
			return -1;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		i += need + 1;
		n++;
	}
	if (cps != NULL)
		*cps = n;
	return 0;
}

enum text_check
text_check(const char *str, size_t len, bool multiline, size_t *cps)
{
	const unsigned char *s = (const unsigned char *)str;

	if (utf8_check(str, len, cps) != 0)
		return TEXT_BAD_UTF8;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '\t' || (multiline && c == '\n'))
			continue;
		/* A carriage return only as part of a CRLF line end. */
		if (multiline && c == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (c < 0x20 || c == 0x7f)
			return TEXT_CONTROL;
		/* C1 controls U+0080..U+009F are encoded C2 80..C2 9F. */
		if (c == 0xc2 && i + 1 < len && s[i + 1] <= 0x9f)
			return TEXT_CONTROL;
	}
	return TEXT_OK;
}

static bool
email_local_char(unsigned char c)
{
	if (c >= 0x80)
		return true;
	if (c <= 0x20 || c == 0x7f)
		return false;
	return strchr("\"(),:;<>@[\\]", c) == NULL;
}

bool
email_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *at = NULL;
	size_t		     i, local_len, label_len = 0, labels = 0;

	if (len == 0 || len > 254 || utf8_check(str, len, NULL) != 0)
		return false;
	/* No C1 controls and no no-break space (C2 80..C2 A0). */
	for (i = 0; i + 1 < len; i++)
		if (s[i] == 0xc2 && s[i + 1] <= 0xa0)
			return false;
	for (i = 0; i < len; i++)
		if (s[i] == '@') {
			if (at != NULL)
				return false;
			at = s + i;
		}
	if (at == NULL)
		return false;
	local_len = (size_t)(at - s);
	if (local_len == 0 || local_len > 64 || s[0] == '.' ||
	    s[local_len - 1] == '.')
		return false;
	for (i = 0; i < local_len; i++) {
		if (!email_local_char(s[i]))
			return false;
		if (s[i] == '.' && s[i + 1] == '.')
			return false;
	}
	/* The domain: labels separated by dots, at least two labels. */
	for (i = local_len + 1; i <= len; i++) {
		unsigned char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (label_len == 0 || label_len > 63 || s[i - 1] == '-')
				return false;
			labels++;
			label_len = 0;
			continue;
		}
		if (!(c >= 0x80 || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-'))
			return false;
		if (label_len == 0 && c == '-')
			return false;
		label_len++;
	}
	if (labels < 2)
		return false;
	/* The top-level label has at least two characters. */
	const unsigned char *dot = s + len - 1;
	while (*dot != '.')
		dot--;
	return (size_t)(s + len - dot - 1) >= 2;
}

char *
email_normalise(struct arena *arena, const char *email)
{
	const char *at = strrchr(email, '@');
	size_t	    len = strlen(email), local = at ? (size_t)(at - email) : len;
	const char *plus = memchr(email, '+', local);
	char	   *out = arena_alloc(arena, len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		char c = email[i];

		if (plus != NULL && i >= (size_t)(plus - email) && i < local)
			continue;
		*o++ = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	*o = '\0';
	return out;
}

static int
country_cmp(const void *key, const void *elem)
{
	return strcmp(key, elem);
}

bool
country_valid(const char *code)
{
	if (strlen(code) != 2)
		return false;
	return bsearch(code, iso3166_alpha2, iso3166_alpha2_count,
	    sizeof(iso3166_alpha2[0]), country_cmp) != NULL;
}

bool
slug_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= SLUG_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}
