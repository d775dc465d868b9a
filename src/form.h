/*
 * form.h: application/x-www-form-urlencoded decoding, used for query
 * strings and for browser form posts, and readers of the parameters.
 */
#ifndef ICOMMIT_FORM_H
#define ICOMMIT_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define FORM_MAX_PAIRS 128

struct kv {
	const char *key;	/* decoded, NUL-terminated */
	const char *value;	/* decoded, NUL-terminated; may hold NUL bytes */
	size_t	    key_len;
	size_t	    value_len;
};

struct kvlist {
	struct kv *items;
	size_t	   count;
};

/*
 * Decodes len bytes of percent-encoding into out (at least len bytes), '+'
 * as a space when plus_space. Sets *outlen. Returns 0, or -1 on a '%' not
 * followed by two hex digits.
 */
int	percent_decode(const char *in, size_t len, char *out, size_t *outlen,
	    bool plus_space);

/*
 * Splits "a=1&b=2" into decoded pairs allocated from arena. Empty pieces
 * ("a=1&&b") are skipped; a piece without '=' has an empty value.
 * Returns 0, or -1 on bad percent-encoding or more than FORM_MAX_PAIRS pairs.
 */
int	form_parse(struct arena *arena, const char *buf, size_t len,
	    struct kvlist *out);

/* The first pair named key, or NULL. */
const struct kv *form_get(const struct kvlist *list, const char *key);

/*
 * Optional parameters of a fixed form (query strings, icommitctl's
 * options turned into pairs). An absent or empty value is "not given";
 * each returns -1 for a value that is not of the form.
 */
/* One of choices (NULL-terminated): *out is the list's string, or NULL. */
int	form_choice(const struct kvlist *list, const char *key,
	    const char *const *choices, const char **out);
/* An ISO 3166-1 alpha-2 code in any case, upper-cased into out: 1 when
 * given, 0 when not (out ""), -1 when not a code. */
int	form_country(const struct kvlist *list, const char *key, char out[3]);
/* A time (time_parse): *has says whether it was given. */
int	form_time(const struct kvlist *list, const char *key, bool *has,
	    int64_t *t);

#endif
