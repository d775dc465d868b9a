/*
 * comments.h: pieces of comments.c that consultants.c shares: a comment as
 * JSON, a query filter with a fixed set of values, and the reply of a
 * staff listing page.
 */
#ifndef ICOMMIT_COMMENTS_H
#define ICOMMIT_COMMENTS_H

#include <jansson.h>

#include "request.h"
#include "store.h"

/* Every field of a comment (a new reference), for staff and for the
 * person's own export. */
json_t	*comment_json(const struct comment *c);

/* Reads an optional ?key= that must be one of choices (*out NULL when
 * absent); -1 after a 400 bad_request. */
int	query_choice(struct req *r, const struct kvlist *q, const char *key,
	    const char *const *choices, const char **out);

/* Replies {"items": [...], "next": CURSOR|null}; items (stolen) holds
 * limit + 1 rows when there is a next page, each with an "id". When e (the
 * listing's storage result) is not DB_OK, drops items and replies the
 * error instead. */
void	resp_page(struct req *r, enum db_err e, json_t *items, int limit);

/* The reply to an accepted public submission: 202 {"status": status}, or
 * for a browser form the 303 back with ok=1. */
void	resp_accepted(struct req *r, const char *status);

#endif
