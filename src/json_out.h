/*
 * json_out.h: JSON forms that several resources write: times, texts per
 * language, optional strings. Every value is a new reference.
 */
#ifndef ICOMMIT_JSON_OUT_H
#define ICOMMIT_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* A time as an RFC 3339 JSON string, or JSON null when !has. */
json_t	*json_time(bool has, int64_t t);

/* {"es": ..., "en": ..., "pt": ..., "fr": ...} from text[]; a missing text
 * is "" (json_langs) or JSON null (json_langs_or_null). */
json_t	*json_langs(const char *const text[LANG__MAX]);
json_t	*json_langs_or_null(const char *const text[LANG__MAX]);

/* s as a JSON string, or JSON null when s is NULL. */
json_t	*json_opt_str(const char *s);

#endif
