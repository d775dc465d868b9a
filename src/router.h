/*
 * router.h: the table of routes (method + path pattern → handler). Unknown
 * paths get 404 not_found, known paths with another method 405 with Allow.
 */
#ifndef ICOMMIT_ROUTER_H
#define ICOMMIT_ROUTER_H

#include "request.h"

typedef void (*handler_fn)(struct req *r);

/* Finds the route for r->method and r->path, fills r->params, runs it. */
void	router_dispatch(struct req *r);

/*
 * Matches path against pattern ("/api/v1/campaigns/:slug/counter.svg",
 * ":slug" = [a-z0-9-]{1,64}, ":id" = 1-18 digits, ":token" = base64url
 * 1-128, an optional literal suffix after the name as in ":slug.ics").
 * Captures go to params (pointers into arena). Returns 1 on a match.
 */
int	route_match(struct arena *arena, const char *pattern, const char *path,
	    const char **params, size_t *nparams);

#endif
