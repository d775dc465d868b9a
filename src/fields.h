/*
 * fields.h: the field extractors every handler shares. Each reads one
 * field of a submission with the checks of validate.h and records a reason
 * of API.md for each bad field, so that a handler reports all bad fields
 * at once.
 */
#ifndef ICOMMIT_FIELDS_H
#define ICOMMIT_FIELDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "util.h"
#include "validate.h"

/* The `fields` reasons of API.md. */
enum reason {
	REASON_REQUIRED,
	REASON_TOO_LONG,
	REASON_TOO_SHORT,
	REASON_INVALID_EMAIL,
	REASON_INVALID_CHOICE,
	REASON_INVALID_COUNTRY,
	REASON_OUT_OF_RANGE,
	REASON_INVALID_UTF8,
	REASON_MUST_BE_TRUE,
	REASON_WRONG_TYPE,
	REASON__MAX
};

extern const char *const reason_names[REASON__MAX];

/* One submission being validated. */
struct fields {
	json_t	     *in;	 /* the submitted object (fields_free drops it) */
	bool	      from_form; /* values came from a urlencoded form: strings */
	bool	      big_ints;	 /* parsed with integers as reals (some did not
				  * fit 64 bits): integral reals are integers */
	json_t	     *errors;	 /* new reference once a field is bad, or NULL */
	struct arena *arena;	 /* where extracted strings live */
};

/* Records reason for key (the first reason for a key wins). */
void	fields_fail(struct fields *f, const char *key, enum reason reason);
bool	fields_ok(const struct fields *f);
/* Drops f->in and f->errors. */
void	fields_free(struct fields *f);

/*
 * Each extractor reads f->in[key]. A missing key, JSON null and a string
 * that is empty after trimming all count as absent: required → reason
 * `required`, else *out = NULL (or *present = false). Returns 0 when the
 * field is good or absent-and-optional, -1 when a reason was recorded.
 */

/* Trimmed text, min..max code points; multiline allows newlines. */
int	field_string(struct fields *f, const char *key, bool required,
	    size_t min, size_t max, bool multiline, const char **out);
/* A valid e-mail (≤ 254), returned lower-cased. */
int	field_email(struct fields *f, const char *key, bool required,
	    const char **out);
/* One of choices (a NULL-terminated list). */
int	field_choice(struct fields *f, const char *key, bool required,
	    const char *const *choices, const char **out);
/* An ISO 3166-1 alpha-2 code, any case in, upper case out. */
int	field_country(struct fields *f, const char *key, bool required,
	    const char **out);
/* A JSON integer (not 1.0) in [min, max]; from a form, decimal digits. */
int	field_int(struct fields *f, const char *key, bool required,
	    long long min, long long max, bool *present, long long *out);
/* A JSON boolean; from a form "true"/"on"/"yes"/"1" or "false"/"off"/... */
int	field_bool(struct fields *f, const char *key, bool required,
	    bool *present, bool *out);
/* A boolean that must be true (`required` if absent, `must_be_true` if false). */
int	field_true(struct fields *f, const char *key);
/*
 * Reads an object of texts per language at key ({"es": ..., "en": ...,
 * "pt": ..., "fr": ...}), each up to max code points. With all_required,
 * the object and every language are required (1..max); otherwise absent
 * languages leave out[] untouched; with nonempty, a language that is
 * given must not be blank. A bad text is reported as "key.xx".
 */
void	field_langs(struct fields *f, const char *key, bool all_required,
	    bool nonempty, size_t max, bool multiline,
	    const char *out[LANG__MAX]);
/*
 * A list of distinct choices (a JSON array of strings; from a form one
 * string or a repeated key): *out is a new array of them in the order of
 * choices (duplicates dropped), or NULL when absent or empty. More than
 * max → `too_long`; an unknown one → `invalid_choice`. At most 64 choices.
 */
int	field_choices(struct fields *f, const char *key, bool required,
	    const char *const *choices, size_t max, json_t **out);
/* True when a honeypot field is present and not empty. */
bool	field_honeypot(struct fields *f, const char *key);
/* An optional language of ours (lang_codes); *out is "es" when absent. */
int	field_language(struct fields *f, const char *key, const char **out);
/* A required slug (slug_valid), else `invalid_choice`. */
int	field_slug(struct fields *f, const char *key, const char **out);
/*
 * An RFC 3339 time (time_parse) or JSON null. Absent leaves *has and *t
 * untouched; null sets *has false; with required, absent or null is
 * `required` unless *has is already true (an update keeps the old value).
 * A string that is not a time is `out_of_range`, anything else
 * `wrong_type`.
 */
int	field_time(struct fields *f, const char *key, bool required,
	    bool *has, int64_t *t);
/*
 * field_time, or the same time as the wall clock of zone (an IANA name)
 * shows it at "KEY_local" ("2026-12-03T10:00", time_parse_local; JSON
 * null clears like a null key). Giving both is `invalid_choice` on
 * KEY_local; a wall-clock time the zone skips (the clocks jump over it)
 * is `out_of_range` there, one it shows twice is the first; an unknown
 * zone is `invalid_choice` there.
 */
int	field_time_zoned(struct fields *f, const char *key, bool required,
	    const char *zone, bool *has, int64_t *t);

/* Records every reason of sub (the fields of an object inside f's) in f
 * under prefix followed by its key ("agenda.2." "title.es"). */
void	fields_merge(struct fields *f, const char *prefix,
	    const struct fields *sub);

#endif
