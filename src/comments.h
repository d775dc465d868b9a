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
 * limit + 1 rows when there is a next page, each with an "id". */
void	resp_page(struct req *r, json_t *items, int limit);

#endif
