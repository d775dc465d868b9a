/*
 * response.h: everything a handler writes back: JSON bodies, the error
 * envelope of API.md, extra headers, raw bodies (SVG, CSV, ICS) and
 * streamed output. Every response gets `X-Content-Type-Options: nosniff`.
 */
#ifndef ICOMMIT_RESPONSE_H
#define ICOMMIT_RESPONSE_H

#include <jansson.h>
#include <stddef.h>

#include "db.h"
#include "request.h"

/* Adds a header to the response about to be written ("Name", printf value). */
void	resp_header(struct req *r, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * Writes status and body as JSON; steals the reference to body. Adds
 * `Cache-Control: no-store` unless a Cache-Control header was added.
 */
void	resp_json(struct req *r, int status, json_t *body);

/*
 * The error envelope {"error": {"code", "message", "fields"?}} as a new
 * reference; steals fields (may be NULL). message NULL uses the default
 * message for code.
 */
json_t	*error_body(const char *code, const char *message, json_t *fields);

/*
 * Writes an error with the status; steals fields (may be NULL). For a
 * browser form post (r->form_return set) it is a 303 to that page with
 * ?error=CODE instead.
 */
void	resp_error(struct req *r, int status, const char *code, json_t *fields);

/* 422 invalid with f->errors as `fields` (taken from f). */
void	resp_invalid(struct req *r, struct fields *f);

/* Maps a storage failure to 404, 503 (with Retry-After) or 500. */
void	resp_db_error(struct req *r, enum db_err e);

/* A 303 See Other to location (a same-origin path). */
void	resp_redirect(struct req *r, const char *location);

/* A 303 to r->form_return with param ("ok=1") added to its query. */
void	resp_form_redirect(struct req *r, const char *param);

/* A body of another type (SVG, ICS, ...). */
void	resp_raw(struct req *r, int status, const char *content_type,
	    const void *body, size_t len);

/* 304 Not Modified, no body. */
void	resp_not_modified(struct req *r);

/* Streaming: headers first, then any number of writes. 0 or -1 (client gone). */
void	resp_stream_begin(struct req *r, int status, const char *content_type);
int	resp_stream_write(struct req *r, const void *buf, size_t len);

/*
 * Replies {"items": [...], "next": CURSOR|null} for a page of a listing:
 * items (stolen) holds limit + 1 rows when there is a next page, each with
 * an "id" (ask the store for one more than req_page's limit). When e (the
 * listing's storage result) is not DB_OK, drops items and replies the
 * error instead.
 */
void	resp_page(struct req *r, enum db_err e, json_t *items, int limit);
/* {"items": [...]} for a listing without pages; like resp_page on error. */
void	resp_items(struct req *r, enum db_err e, json_t *items);

/* The reply to an accepted public submission: 202 {"status": status}, or
 * for a browser form the 303 back with ok=1. */
void	resp_accepted(struct req *r, const char *status);

/* The reason phrase of an HTTP status, for the Status header. */
const char *http_reason(int status);

#endif
