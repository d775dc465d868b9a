/*
 * request.h: one FastCGI request as the handlers see it: method, path,
 * route parameters, query, body, client address, and its per-request
 * memory. A request lives in a slot (its FastCGI request, its arena, its
 * writer job) taken from a pool: a worker thread accepts into a slot, and
 * a request that waits for a commit (req_defer) keeps its slot while the
 * worker goes on with another.
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
#include "token.h"
#include "fields.h"
#include "writer.h"

#define REQ_BODY_MAX	 (64 * 1024)
/* Unread input req_finish reads and drops to close without libfcgi's wait
 * (nginx sends at most 128 KiB: client_max_body_size in deploy/). */
#define REQ_DRAIN_MAX	 (256 * 1024)
#define REQ_PARAMS_MAX	 4
/* Most requests in the daemon at once, waiting ones included; beyond it a
 * request waits for its commit on its worker thread (writer_run). */
#define REQ_SLOTS_MAX	 1024

struct store;
struct writer;
struct req_slot;

/* What a worker thread owns for its whole life. */
struct worker {
	int		     id;
	const struct config *cfg;
	struct store	    *store;	/* its own connection, for reads */
	struct writer	    *writer;	/* shared: the group-commit writer */
	unsigned	     generation; /* of store, see store_generation */
	/* Set by req_defer: the slot to accept the next request into, the
	 * current one having been handed to the writer. */
	struct req_slot	    *spare;
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
	struct req_slot	    *slot;	/* what the request lives in */
	struct worker	    *worker;	/* NULL once deferred */
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
	struct token_keys    session_keys;	/* of the session cookie */

	/* For browser form posts: errors become a 303 to this path with
	 * ?error=CODE instead of a JSON body (see resp_error). */
	const char	    *form_return;

	/* Response state, set by response.c. */
	int		     status;
	bool		     responded;
	bool		     deferred;	/* handed to the writer: see req_defer */
	char		    *extra_headers; /* "Name: value\r\n"..., arena */
	size_t		     extra_len;
	int64_t		     started_us;
};

/*
 * Called on the writer's reply thread once the job of a deferred request
 * has committed (e == DB_OK) or failed: writes the reply to r, nothing
 * else (no storage: r->store is NULL by then). arg is req_defer's.
 */
typedef void (*req_reply_fn)(struct req *r, enum db_err e, void *arg);

/*
 * A request and everything it owns, so that it can outlive its turn on a
 * worker: the FastCGI request (its parameters and streams), the arena, the
 * writer job. Slots come from one pool (req_slot_get) and go back to it
 * when both the worker and, for a deferred request, the reply thread are
 * done with them (refs).
 */
struct req_slot {
	FCGX_Request	   fcgx;
	struct arena	   arena;
	struct req	   r;
	struct writer_job  job;
	req_reply_fn	   reply;
	void		  *reply_arg;
	_Atomic int	   refs;
	struct req_slot	  *next;	/* the pool's free list */
};

/* Sets up the pool: slots accept on listen_fd. 0, or -1 when called twice. */
int	req_pool_init(int listen_fd);
/* A free slot (FastCGI request initialised), or NULL when REQ_SLOTS_MAX
 * are in use. */
struct req_slot *req_slot_get(void);
/* Gives a slot back (the caller's reference; see struct req_slot). */
void	req_slot_put(struct req_slot *s);
/* Frees every slot; all must be back in the pool. */
void	req_pool_free(void);

/*
 * Fills s->r from the FastCGI parameters of the request just accepted into
 * s. Copies what it keeps into s->arena (FCGX_GetParam strings live until
 * the slot's FCGX_Finish_r).
 */
void	req_init(struct req_slot *s, struct worker *w);
/*
 * Ends a request that has its reply: writes the access log line, finishes
 * the FastCGI request (the reply leaves) and resets the arena.
 */
void	req_finish(struct req *r);

/*
 * Hands the write fn(arg) to the group-commit writer and the request with
 * it: after the commit, reply(r, result, arg) is called on the writer's
 * reply thread, then the request is finished there. The worker's thread is
 * free at once for the next request (w->spare), so a batch can hold as
 * many requests as are in flight. arg and everything fn and reply use must
 * live in r->arena (or be owned by them); the caller must not touch r after
 * this returns, except to return from the handler. When no slot is free,
 * it waits for the commit here and replies on this thread instead.
 * A 2xx written by reply is durable (writer.h).
 */
void	req_defer(struct req *r, write_fn fn, void *arg, req_reply_fn reply);
/* req_defer of a job whose first row lock is order (writer.h's
 * WRITER_ORDER), so that a batch takes its locks in one order. */
void	req_defer_ordered(struct req *r, write_fn fn, void *arg,
	    req_reply_fn reply, int64_t order);

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
 * The start of every public submission (a pledge, a registration, ...):
 * the body as JSON or a browser form (req_body_fields), the form's return
 * page (req_form_return) and the client's rate limit. Returns 0 with f to
 * read (the caller frees it), or -1 after writing the error (f freed).
 */
int	req_submission(struct req *r, struct fields *f);

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
 * Query parameters with a fixed set of values; each leaves *out NULL (or
 * the default) when the parameter is absent or empty, and writes 400
 * bad_request and returns -1 for any other value.
 */
/* One of choices (a NULL-terminated list); *out is the list's string. */
int	req_query_choice(struct req *r, const struct kvlist *q, const char *key,
	    const char *const *choices, const char **out);
/* An ISO 3166-1 alpha-2 code in any case; *out upper case, from r->arena. */
int	req_query_country(struct req *r, const struct kvlist *q,
	    const char *key, const char **out);
/* ?lang=: one of ours, Spanish when absent; given empty it is a 400
 * like any other value that is not a language. */
int	req_query_lang(struct req *r, const struct kvlist *q, enum lang *lang);

/*
 * Reads the mailed token of a link from f's "token" field (or, when
 * query_first, from ?token= first) and gives its keys. Writes 422 when it
 * is missing and 404 when it cannot be one of ours; returns -1 then.
 */
int	req_token(struct req *r, struct fields *f, bool query_first,
	    struct token_keys *keys);
/* Takes a token for the client in class c; when over the limit writes
 * 429 rate_limited with Retry-After and returns -1. */
int	req_rate_limit(struct req *r, enum ratelimit_class c);

/* Resolves the client's address (REMOTE_ADDR, or X-Forwarded-For from a
 * trusted proxy). Exposed for the unit tests. */
void	req_client_resolve(const struct config *cfg, const char *remote,
	    const char *xff, char *out, size_t outlen, struct ipaddr *addr);

#endif
