/*
 * comments.h: what other modules use of the comments resource: its CSV
 * export and a person's comments for the privacy export.
 */
#ifndef ICOMMIT_COMMENTS_H
#define ICOMMIT_COMMENTS_H

#include <jansson.h>

#include "download.h"
#include "store.h"

/* The comments CSV (?topic=, ?status=new|handled). */
extern const struct export comments_export;

/* Sets "comments" on into: every stored field of each comment from the
 * mailbox email_key (email_normalise). */
enum db_err comments_privacy_export(struct store *s, struct arena *a,
	    const char *email_key, json_t *into);

#endif
