/*
 * fields.c: the field extractors (see fields.h): each reads one field of a
 * submission (a JSON object, or a form's strings), applies the checks of
 * validate.c and records API.md's reason for a bad field, so that a handler
 * reports every bad field at once. Text with control characters is
 * reported as `invalid_utf8`: API.md has one reason for "not acceptable
 * text" and clients need not tell the two apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "tz.h"

const char *const reason_names[REASON__MAX] = {
	[REASON_REQUIRED] = "required",
	[REASON_TOO_LONG] = "too_long",
	[REASON_TOO_SHORT] = "too_short",
	[REASON_INVALID_EMAIL] = "invalid_email",
	[REASON_INVALID_CHOICE] = "invalid_choice",
	[REASON_INVALID_COUNTRY] = "invalid_country",
	[REASON_OUT_OF_RANGE] = "out_of_range",
	[REASON_INVALID_UTF8] = "invalid_utf8",
	[REASON_MUST_BE_TRUE] = "must_be_true",
	[REASON_WRONG_TYPE] = "wrong_type",
};

void
fields_fail(struct fields *f, const char *key, enum reason reason)
{
	if (f->errors == NULL)
		f->errors = json_object();
	if (f->errors == NULL)
		abort();
	if (json_object_get(f->errors, key) == NULL)
		json_object_set_new(f->errors, key,
		    json_string(reason_names[reason]));
}

bool
fields_ok(const struct fields *f)
{
	return f->errors == NULL;
}

void
fields_free(struct fields *f)
{
	json_decref(f->in);
	json_decref(f->errors);
	f->in = NULL;
	f->errors = NULL;
}

static bool
is_trim(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Gets key as a trimmed string. Returns 1 when present (s, len set), 0 when
 * absent, -1 when it has the wrong type (reason recorded).
 */
static int
field_text(struct fields *f, const char *key, const char **s, size_t *len)
{
	json_t *v = json_object_get(f->in, key);

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		fields_fail(f, key, REASON_WRONG_TYPE);
		return -1;
	}
	*s = json_string_value(v);
	*len = json_string_length(v);
	while (*len > 0 && is_trim(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_trim((*s)[*len - 1]))
		(*len)--;
	return *len > 0;
}

/* Reports a missing field: -1 if it was required, else 0. */
static int
field_absent(struct fields *f, const char *key, bool required)
{
	if (required) {
		fields_fail(f, key, REASON_REQUIRED);
		return -1;
	}
	return 0;
}

int
field_string(struct fields *f, const char *key, bool required, size_t min,
    size_t max, bool multiline, const char **out)
{
	const char *s;
	size_t	    len, cps;
	int	    rc;

	*out = NULL;
	rc = field_text(f, key, &s, &len);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return field_absent(f, key, required);
	switch (text_check(s, len, multiline, &cps)) {
	case TEXT_OK:
		break;
	case TEXT_BAD_UTF8:
	case TEXT_CONTROL:
		fields_fail(f, key, REASON_INVALID_UTF8);
		return -1;
	}
	if (cps > max) {
		fields_fail(f, key, REASON_TOO_LONG);
		return -1;
	}
	if (cps < min) {
		fields_fail(f, key, REASON_TOO_SHORT);
		return -1;
	}
	*out = arena_strndup(f->arena, s, len);
	return 0;
}

int
field_email(struct fields *f, const char *key, bool required,
    const char **out)
{
	const char *s;
	char	   *copy;

	*out = NULL;
	if (field_string(f, key, required, 1, 254, false, &s) != 0)
		return -1;
	if (s == NULL)
		return 0;
	if (!email_valid(s, strlen(s))) {
		fields_fail(f, key, REASON_INVALID_EMAIL);
		return -1;
	}
	copy = arena_strdup(f->arena, s);
	for (char *p = copy; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	*out = copy;
	return 0;
}

int
field_choice(struct fields *f, const char *key, bool required,
    const char *const *choices, const char **out)
{
	const char *s;
	size_t	    len;
	int	    rc;

	*out = NULL;
	rc = field_text(f, key, &s, &len);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return field_absent(f, key, required);
	for (size_t i = 0; choices[i] != NULL; i++)
		if (strlen(choices[i]) == len && memcmp(choices[i], s, len) == 0) {
			*out = choices[i];
			return 0;
		}
	fields_fail(f, key, REASON_INVALID_CHOICE);
	return -1;
}

int
field_country(struct fields *f, const char *key, bool required,
    const char **out)
{
	const char *s;
	size_t	    len;
	char	    code[3];
	int	    rc;

	*out = NULL;
	rc = field_text(f, key, &s, &len);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return field_absent(f, key, required);
	if (len != 2) {
		fields_fail(f, key, REASON_INVALID_COUNTRY);
		return -1;
	}
	for (int i = 0; i < 2; i++)
		code[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
	code[2] = '\0';
	if (!country_valid(code)) {
		fields_fail(f, key, REASON_INVALID_COUNTRY);
		return -1;
	}
	*out = arena_strdup(f->arena, code);
	return 0;
}

/* Parses an optionally signed decimal; 0, -1 not a number, -2 overflow. */
static int
parse_decimal(const char *s, size_t len, long long *out)
{
	bool		   neg = false;
	unsigned long long v = 0;
	size_t		   i = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i++;
	}
	if (i == len)
		return -1;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (9223372036854775807ULL - 9) / 10)
			return -2;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = neg ? -(long long)v : (long long)v;
	return 0;
}

int
field_int(struct fields *f, const char *key, bool required, long long min,
    long long max, bool *present, long long *out)
{
	json_t	 *v = json_object_get(f->in, key);
	long long n;

	*present = false;
	*out = 0;
	if (v == NULL || json_is_null(v))
		return field_absent(f, key, required);
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (f->big_ints && json_is_real(v) &&
	    json_real_value(v) == (double)(long long)json_real_value(v)) {
		n = (long long)json_real_value(v);
	} else if (f->big_ints && json_is_real(v) &&
	    (json_real_value(v) >= 9.2e18 || json_real_value(v) <= -9.2e18)) {
		fields_fail(f, key, REASON_OUT_OF_RANGE);
		return -1;
	} else if (json_is_string(v)) {
		const char *s;
		size_t	    len;
		int	    rc = field_text(f, key, &s, &len);

		if (rc == 0)
			return field_absent(f, key, required);
		if (!f->from_form) {
			fields_fail(f, key, REASON_WRONG_TYPE);
			return -1;
		}
		rc = parse_decimal(s, len, &n);
		if (rc != 0) {
			fields_fail(f, key, rc == -2 ? REASON_OUT_OF_RANGE :
			    REASON_WRONG_TYPE);
			return -1;
		}
	} else {
		fields_fail(f, key, REASON_WRONG_TYPE);
		return -1;
	}
	if (n < min || n > max) {
		fields_fail(f, key, REASON_OUT_OF_RANGE);
		return -1;
	}
	*present = true;
	*out = n;
	return 0;
}

int
field_bool(struct fields *f, const char *key, bool required, bool *present,
    bool *out)
{
	static const char *const yes[] = { "true", "on", "yes", "1", NULL };
	static const char *const no[] = { "false", "off", "no", "0", NULL };
	json_t	   *v = json_object_get(f->in, key);
	const char *s;
	size_t	    len;

	*present = false;
	*out = false;
	if (v == NULL || json_is_null(v))
		return field_absent(f, key, required);
	if (json_is_boolean(v)) {
		*present = true;
		*out = json_is_true(v);
		return 0;
	}
	if (json_is_string(v)) {
		int rc = field_text(f, key, &s, &len);

		if (rc == 0)
			return field_absent(f, key, required);
		if (f->from_form) {
			for (size_t i = 0; yes[i] != NULL; i++)
				if (strlen(yes[i]) == len &&
				    memcmp(s, yes[i], len) == 0) {
					*present = *out = true;
					return 0;
				}
			for (size_t i = 0; no[i] != NULL; i++)
				if (strlen(no[i]) == len &&
				    memcmp(s, no[i], len) == 0) {
					*present = true;
					return 0;
				}
		}
	}
	fields_fail(f, key, REASON_WRONG_TYPE);
	return -1;
}

int
field_true(struct fields *f, const char *key)
{
	bool present, value;

	if (field_bool(f, key, true, &present, &value) != 0)
		return -1;
	if (!value) {
		fields_fail(f, key, REASON_MUST_BE_TRUE);
		return -1;
	}
	return 0;
}

bool
field_honeypot(struct fields *f, const char *key)
{
	json_t *v = json_object_get(f->in, key);
	const char *s;
	size_t	    len;

	if (v == NULL || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return field_text(f, key, &s, &len) > 0;
	return true;
}

void
field_langs(struct fields *f, const char *key, bool all_required,
    bool nonempty, size_t max, bool multiline, const char *out[LANG__MAX])
{
	json_t *o = json_object_get(f->in, key);

	if (o == NULL || json_is_null(o)) {
		if (all_required)
			fields_fail(f, key, REASON_REQUIRED);
		return;
	}
	if (!json_is_object(o)) {
		fields_fail(f, key, REASON_WRONG_TYPE);
		return;
	}
	for (int l = 0; l < LANG__MAX; l++) {
		struct fields sub = { .in = o, .arena = f->arena };
		const char   *text;
		char	      name[80];

		if (!all_required && json_object_get(o, lang_codes[l]) == NULL)
			continue;
		if (field_string(&sub, lang_codes[l], all_required || nonempty,
		    0, max, multiline, &text) == 0)
			out[l] = text ? text : "";
		else {
			snprintf(name, sizeof(name), "%s.", key);
			fields_merge(f, name, &sub);
		}
		json_decref(sub.errors);
	}
}

int
field_choices(struct fields *f, const char *key, bool required,
    const char *const *choices, size_t max, json_t **out)
{
	json_t *v = json_object_get(f->in, key), *list = NULL;
	size_t	i, n;
	bool	picked[64] = { false };

	*out = NULL;
	/* A form sends one checked box as a string, several as an array. */
	if (f->from_form && json_is_string(v)) {
		list = json_array();
		json_array_append(list, v);
	} else if (v != NULL && !json_is_null(v)) {
		if (!json_is_array(v)) {
			fields_fail(f, key, REASON_WRONG_TYPE);
			return -1;
		}
		list = json_incref(v);
	}
	n = list != NULL ? json_array_size(list) : 0;
	for (i = 0; i < n; i++) {
		json_t *item = json_array_get(list, i);
		size_t	c;

		if (!json_is_string(item)) {
			fields_fail(f, key, REASON_WRONG_TYPE);
			goto fail;
		}
		for (c = 0; choices[c] != NULL && c < 64; c++)
			if (strcmp(choices[c], json_string_value(item)) == 0 &&
			    strlen(choices[c]) == json_string_length(item))
				break;
		if (choices[c] == NULL || c == 64) {
			fields_fail(f, key, REASON_INVALID_CHOICE);
			goto fail;
		}
		picked[c] = true;
	}
	json_decref(list);
	*out = json_array();
	for (i = 0; choices[i] != NULL && i < 64; i++)
		if (picked[i])
			json_array_append_new(*out, json_string(choices[i]));
	if (json_array_size(*out) == 0) {
		json_decref(*out);
		*out = NULL;
		return field_absent(f, key, required);
	}
	if (json_array_size(*out) > max) {
		json_decref(*out);
		*out = NULL;
		fields_fail(f, key, REASON_TOO_LONG);
		return -1;
	}
	return 0;
fail:
	json_decref(list);
	return -1;
}

int
field_language(struct fields *f, const char *key, const char **out)
{
	if (field_choice(f, key, false, lang_codes, out) != 0)
		return -1;
	if (*out == NULL)
		*out = lang_codes[LANG_ES];
	return 0;
}

int
field_slug(struct fields *f, const char *key, const char **out)
{
	if (field_string(f, key, true, 1, SLUG_MAX, false, out) != 0)
		return -1;
	if (!slug_valid(*out)) {
		fields_fail(f, key, REASON_INVALID_CHOICE);
		return -1;
	}
	return 0;
}

int
field_time(struct fields *f, const char *key, bool required, bool *has,
    int64_t *t)
{
	json_t *v = json_object_get(f->in, key);

	if (v == NULL || json_is_null(v)) {
		if (required && !*has) {
			fields_fail(f, key, REASON_REQUIRED);
			return -1;
		}
		if (v != NULL)
			*has = false;
		return 0;
	}
	if (!json_is_string(v)) {
		fields_fail(f, key, REASON_WRONG_TYPE);
		return -1;
	}
	if (time_parse(json_string_value(v), t) != 0) {
		fields_fail(f, key, REASON_OUT_OF_RANGE);
		return -1;
	}
	*has = true;
	return 0;
}

int
field_time_zoned(struct fields *f, const char *key, bool required,
    const char *zone, bool *has, int64_t *t)
{
	char	local_key[80];
	json_t *v;
	int64_t wall;

	snprintf(local_key, sizeof(local_key), "%s_local", key);
	v = json_object_get(f->in, local_key);
	if (v == NULL)
		return field_time(f, key, required, has, t);
	if (json_object_get(f->in, key) != NULL) {
		fields_fail(f, local_key, REASON_INVALID_CHOICE);
		return -1;
	}
	if (json_is_null(v)) {
		if (required) {
			fields_fail(f, local_key, REASON_REQUIRED);
			return -1;
		}
		*has = false;
		return 0;
	}
	if (!json_is_string(v)) {
		fields_fail(f, local_key, REASON_WRONG_TYPE);
		return -1;
	}
	if (time_parse_local(json_string_value(v), &wall) != 0) {
		fields_fail(f, local_key, REASON_OUT_OF_RANGE);
		return -1;
	}
	switch (tz_local_to_utc(zone, wall, t)) {
	case TZ_LOCAL_OK:
	case TZ_LOCAL_FOLD:
		*has = true;
		return 0;
	case TZ_LOCAL_GAP:
		fields_fail(f, local_key, REASON_OUT_OF_RANGE);
		return -1;
	default:
		fields_fail(f, local_key, REASON_INVALID_CHOICE);
		return -1;
	}
}

void
fields_merge(struct fields *f, const char *prefix, const struct fields *sub)
{
	const char *key;
	json_t	   *v;
	char	    name[160];

	json_object_foreach(sub->errors, key, v) {
		const char *reason = json_string_value(v);

		snprintf(name, sizeof(name), "%s%s", prefix, key);
		for (int i = 0; i < REASON__MAX; i++)
			if (reason != NULL && strcmp(reason_names[i], reason) == 0)
				fields_fail(f, name, (enum reason)i);
	}
}
