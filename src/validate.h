/*
 * validate.h: the pure checks every field rule is built on: UTF-8, free
 * text, e-mail addresses and the identity key of a mailbox, ISO 3166-1
 * country codes and slugs. fields.h applies them to submissions.
 */
#ifndef ICOMMIT_VALIDATE_H
#define ICOMMIT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "util.h"

/*
 * Checks that s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF). Returns 0 and the number of code
 * points in *cps, or -1.
 */
int	utf8_check(const char *s, size_t len, size_t *cps);

enum text_check {
	TEXT_OK,
	TEXT_BAD_UTF8,
	TEXT_CONTROL,		/* NUL or a C0/C1 control or DEL */
};

/*
 * Checks free text: UTF-8 and no control characters except tab and, when
 * multiline, newline (carriage returns are allowed before a newline).
 * Sets *cps to the number of code points.
 */
enum text_check text_check(const char *s, size_t len, bool multiline,
	    size_t *cps);

/*
 * An address as API.md wants it: at most 254 bytes, exactly one '@', a
 * non-empty local part of printable ASCII or UTF-8 without spaces, a domain
 * with a dot, labels of letters, digits and '-' (or UTF-8), not starting or
 * ending with '-' or '.'.
 */
bool	email_valid(const char *s, size_t len);

/*
 * The identity key of a mailbox, the one rule by which every record finds
 * its person (repeats, privacy export and erasure): lower-cased, with a
 * "+tag" in the local part dropped. Returns a new string from arena.
 */
char	*email_normalise(struct arena *arena, const char *email);

/* An assigned ISO 3166-1 alpha-2 code, upper case ("CL"). */
bool	country_valid(const char *code);

#define SLUG_MAX 64
/* A campaign's or event's slug: [a-z0-9-]{1,64}. */
bool	slug_valid(const char *s);

#endif
