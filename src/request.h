/*
 * request.h: one FastCGI request as the handlers see it: method, path,
 * route parameters, query, body, client address, and its per-request
 * memory. A worker (one thread) owns one struct req and reuses it.
 */
#ifndef ICOMMIT_REQUEST_H
#define ICOMMIT_REQUEST_H

#include <fcgiapp.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "form.h"
#include "net.h"
#include "ratelimit.h"
#include "validate.h"

#define REQ_BODY_MAX	 (64 * 1024)
#define REQ_PARAMS_MAX	 4

struct store;
struct writer;

/* What a worker thread owns for its whole life. */
struct worker {
	int		     id;
	const struct config *cfg;
	struct store	    *store;	/* its own connection, for reads */
	struct writer	    *writer;	/* shared: the group-commit writer */
	unsigned	     generation; /* of store, see store_generation */
	struct arena	     arena;
};

enum method {
	METHOD_GET = 1 << 0,
	METHOD_HEAD = 1 << 1,
	METHOD_POST = 1 << 2,
	METHOD_PUT = 1 << 3,
	METHOD_DELETE = 1 << 4,
	METHOD_PATCH = 1 << 5,
	METHOD_OPTIONS = 1 << 6,
	METHOD_OTHER = 1 << 7,
};

enum body_kind {
	BODY_NONE,
	BODY_JSON,
	BODY_FORM,	/* application/x-www-form-urlencoded */
};

struct req {
	FCGX_Request	    *fcgx;
	struct worker	    *worker;
	const struct config *cfg;
	struct store	    *store;
	struct writer	    *writer;
	struct arena	    *arena;

	enum method	     method;
	const char	    *method_name; /* as sent, copied */
	const char	    *path;	  /* raw path, without the query */
	const char	    *query;	  /* raw query string, "" if none */
	struct kvlist	     query_kv;	  /* query decoded once, in req_init */
	bool		     query_ok;	  /* false: bad percent-encoding */
	const char	    *params[REQ_PARAMS_MAX]; /* route captures */
	size_t		     nparams;

	char		     client[64];   /* text form, for rate limits only */
	struct ipaddr	     client_addr;

	char		    *body;	/* NUL-terminated copy, or NULL */
	size_t		     body_len;
	enum body_kind	     body_kind;

	/* Staff requests: set by admin_authenticate. */
	const char	    *staff;	/* user name, or NULL */
	int64_t		     staff_id;
	unsigned char	     session_hash[32];

	/* For browser form posts: errors become a 303 to this path with
	 * ?error=CODE instead of a JSON body (see resp_error). */
	const char	    *form_return;

	/* Response state, set by response.c. */
	int		     status;
	bool		     responded;
	char		    *extra_headers; /* "Name: value\r\n"..., arena */
	size_t		     extra_len;
	int64_t		     started_us;
};

/*
 * Fills r from the FastCGI parameters of the accepted request. Copies what
 * it keeps (FCGX_GetParam strings die at the next accept).
 */
void	req_init(struct req *r, struct worker *w, FCGX_Request *fcgx);
/* Releases the request's memory. */
void	req_done(struct req *r);

/* A FastCGI parameter (HTTP_* for headers), or NULL; valid for this request. */
const char *req_param(struct req *r, const char *name);

/*
 * The decoded query string (decoded once by req_init). When it was
 * malformed, writes 400 bad_request and returns -1 (the router already
 * refuses such requests, so handlers see this only in tests).
 */
int	req_query(struct req *r, struct kvlist *out);

/*
 * Reads and parses the body of a POST/PUT as a JSON object, or (when
 * allow_form) an urlencoded form turned into an object of strings. The
 * object goes into f->in (a new reference: fields_free drops it) and
 * f->from_form says which. On failure writes the error (413, 415, 400) and
 * returns -1.
 */
int	req_body_fields(struct req *r, bool allow_form, struct fields *f);

/*
 * For form posts: takes the `return` field of f->in as the page to send
 * the browser back to, when it is a same-origin path ("/...", not "//",
 * printable ASCII, at most 512 bytes); otherwise keeps "/".
 */
void	req_form_return(struct req *r, const struct fields *f);

/* Reads ?limit= (1..100, default 20) and ?before= (a cursor; INT64_MAX
 * when absent) for keyset pagination. -1 after a 400 bad_request. */
int	req_page(struct req *r, const struct kvlist *q, int *limit,
	    int64_t *before);

/*
 * Reads the mailed token of a link from f's "token" field (or, when
 * query_first, from ?token= first) and hashes it. Writes 422 when it is
 * missing and 404 when it cannot be one of ours; returns -1 then.
 */
int	req_token(struct req *r, struct fields *f, bool query_first,
	    unsigned char hash[32]);
/* Takes a token for the client in class c; when over the limit writes
 * 429 rate_limited with Retry-After and returns -1. */
int	req_rate_limit(struct req *r, enum ratelimit_class c);

/* Resolves the client's address (REMOTE_ADDR, or X-Forwarded-For from a
 * trusted proxy). Exposed for the unit tests. */
void	req_client_resolve(const struct config *cfg, const char *remote,
	    const char *xff, char *out, size_t outlen, struct ipaddr *addr);

/* Microseconds on a monotonic clock. */
int64_t	mono_us(void);

#endif
