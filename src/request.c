/*
 * request.c: the life of a request: the pool of request slots, turning a
 * FastCGI request into a struct req (method, path, the query decoded once,
 * the client's address through trusted proxies), and its end, now or after
 * its commit (req_finish, req_defer). Reading what it sent is in
 * request_input.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "cursor.h"
#include "ratelimit.h"
#include "conns.h"
#include "request.h"
#include "response.h"
#include "token.h"

static const struct {
	const char *name;
	enum method m;
} methods[] = {
	{ "GET", METHOD_GET }, { "HEAD", METHOD_HEAD }, { "POST", METHOD_POST },
	{ "PUT", METHOD_PUT }, { "DELETE", METHOD_DELETE },
	{ "PATCH", METHOD_PATCH }, { "OPTIONS", METHOD_OPTIONS },
};

static bool
is_trusted(const struct config *cfg, const struct ipaddr *a)
{
	for (size_t i = 0; i < cfg->trusted_proxies_count; i++)
		if (cidr_contains(&cfg->trusted_proxies[i], a))
			return true;
	return false;
}

void
req_client_resolve(const struct config *cfg, const char *remote,
    const char *xff, char *out, size_t outlen, struct ipaddr *addr)
{
	struct ipaddr a;
	size_t	      end;

	memset(addr, 0, sizeof(*addr));
	snprintf(out, outlen, "%s", remote ? remote : "");
	if (remote == NULL || ip_parse(remote, strlen(remote), &a) != 0)
		return;
	*addr = a;
	if (xff == NULL || !is_trusted(cfg, &a))
		return;
	/* Walk X-Forwarded-For from the right: the first address that is not
	 * one of our proxies is the client. */
	end = strlen(xff);
	while (end > 0) {
		size_t start = end, s, e;

		while (start > 0 && xff[start - 1] != ',')
			start--;
		s = start;
		e = end;
		while (s < e && (xff[s] == ' ' || xff[s] == '\t'))
			s++;
		while (e > s && (xff[e - 1] == ' ' || xff[e - 1] == '\t'))
			e--;
		if (ip_parse(xff + s, e - s, &a) != 0)
			return; /* garbage: keep the last good hop */
		*addr = a;
		snprintf(out, outlen, "%.*s", (int)(e - s), xff + s);
		if (!is_trusted(cfg, &a))
			return;
		end = start > 0 ? start - 1 : 0;
	}
}

const char *
req_param(struct req *r, const char *name)
{
	return FCGX_GetParam(name, r->fcgx->envp);
}

/* ---- the slot pool ---- */

static struct {
	pthread_mutex_t	 lock;
	struct req_slot	*free;	/* free list */
	int		 count;	/* slots allocated */
	int		 listen_fd;
	bool		 ready;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

int
req_pool_init(int listen_fd)
{
	if (pool.ready)
		return -1;
	pool.listen_fd = listen_fd;
	pool.ready = true;
	return 0;
}

struct req_slot *
req_slot_get(void)
{
	struct req_slot *s;

	pthread_mutex_lock(&pool.lock);
	s = pool.free;
	if (s != NULL)
		pool.free = s->next;
	else if (pool.count < REQ_SLOTS_MAX) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			log_fatal("out of memory");
		if (FCGX_InitRequest(&s->fcgx, pool.listen_fd,
		    FCGI_FAIL_ACCEPT_ON_INTR) != 0)
			log_fatal("cannot initialise a FastCGI request");
		pool.count++;
	}
	pthread_mutex_unlock(&pool.lock);
	if (s != NULL) {
		s->next = NULL;
		atomic_store(&s->refs, 1);
	}
	return s;
}

void
req_slot_put(struct req_slot *s)
{
	if (atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	/* A slot that waited for a commit may have grown its arena; the
	 * next request starts small again (see writer_release_memory). */
	if (s->r.deferred)
		arena_free(&s->arena);
	pthread_mutex_lock(&pool.lock);
	s->next = pool.free;
	pool.free = s;
	pthread_mutex_unlock(&pool.lock);
}

void
req_pool_free(void)
{
	pthread_mutex_lock(&pool.lock);
	while (pool.free != NULL) {
		struct req_slot *s = pool.free;

		pool.free = s->next;
		FCGX_Free(&s->fcgx, 1);
		arena_free(&s->arena);
		free(s);
		pool.count--;
	}
	if (pool.count != 0)
		log_error("%d request slots still in use at exit", pool.count);
	pool.ready = false;
	pthread_mutex_unlock(&pool.lock);
}

/* ---- one request ---- */

void
req_init(struct req_slot *s, struct worker *w)
{
	struct req *r = &s->r;
	const char *method, *uri, *query, *q;

	memset(r, 0, sizeof(*r));
	r->started_us = mono_us();
	r->fcgx = &s->fcgx;
	r->slot = s;
	r->worker = w;
	r->cfg = w->cfg;
	r->store = w->store;
	r->writer = w->writer;
	r->arena = &s->arena;

	method = req_param(r, "REQUEST_METHOD");
	r->method_name = arena_strdup(r->arena, method ? method : "");
	r->method = METHOD_OTHER;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (method && strcmp(method, methods[i].name) == 0)
			r->method = methods[i].m;

	uri = req_param(r, "REQUEST_URI");
	if (uri == NULL)
		uri = req_param(r, "DOCUMENT_URI");
	if (uri == NULL)
		uri = "/";
	q = strchr(uri, '?');
	r->path = arena_strndup(r->arena, uri, q ? (size_t)(q - uri) : strlen(uri));
	query = req_param(r, "QUERY_STRING");
	if (query == NULL)
		query = q ? q + 1 : "";
	r->query = arena_strdup(r->arena, query);
	r->query_ok = form_parse(r->arena, r->query, strlen(r->query),
	    &r->query_kv) == 0;

	req_client_resolve(r->cfg, req_param(r, "REMOTE_ADDR"),
	    req_param(r, "HTTP_X_FORWARDED_FOR"), r->client, sizeof(r->client),
	    &r->client_addr);
}

/* Writes the access line: method, path (only if it holds nothing but
 * route characters, so no personal data reaches the log), status, and
 * the time the request took up to ended_us. */
static void
req_log(const struct req *r, int64_t ended_us)
{
	const char *path = r->path;
	double	    ms = (double)(ended_us - r->started_us) / 1000.0;

	if (strlen(path) > 200 || strspn(path,
	    "abcdefghijklmnopqrstuvwxyz0123456789/._-") != strlen(path))
		path = "(withheld)";
	log_info("%s %s %d %.2fms", r->method == METHOD_OTHER ? "OTHER" :
	    r->method_name, path, r->status, ms);
}

/*
 * Lets FCGX_Finish_r close the connection at once when nothing is left to
 * read. Otherwise libfcgi shuts the socket down and then waits (poll,
 * read) until nginx has closed its end: a round trip through nginx for
 * every request, on whichever thread finishes it (the reply thread
 * answers a whole batch of pledges one after another). That wait is there
 * so that closing with unread input cannot reset the connection under the
 * reply; once the input has been read to its end there is nothing unread,
 * and a plain close is clean. So the rest of the input (the body's end
 * marker, or a body the handler never read) is read and dropped, up to
 * REQ_DRAIN_MAX bytes, and only if its end was reached is the request
 * marked detached, which makes libfcgi close without waiting.
 */
static void
req_close_quickly(struct req *r)
{
	char   buf[4096];
	size_t drained = 0;
	int    n;

	while ((n = FCGX_GetStr(buf, (int)sizeof(buf), r->fcgx->in)) > 0)
		if ((drained += (size_t)n) > REQ_DRAIN_MAX) {
			/* Not at a record's end: not reusable either. */
			r->fcgx->keepConnection = 0;
			return;
		}
	if (FCGX_HasSeenEOF(r->fcgx->in) && FCGX_GetError(r->fcgx->in) == 0)
		FCGX_Detach(r->fcgx);
	else
		r->fcgx->keepConnection = 0;
}

/*
 * Answers r's connection: when nginx keeps it for its next request
 * (fastcgi_keep_conn on) and its input was read to the end, it goes back
 * to the watched connections (conns.c) instead of being closed, and the
 * slot is left without one.
 */
static void
req_release_conn(struct req *r)
{
	bool keep = r->fcgx->keepConnection;

	FCGX_Finish_r(r->fcgx);
	if (keep && r->fcgx->ipcFd >= 0) {
		int fd = r->fcgx->ipcFd;

		r->fcgx->ipcFd = -1;
		r->fcgx->keepConnection = 0;
		conns_keep(fd);
	}
}

void
req_finish(struct req *r)
{
	int64_t ended_us = mono_us();

	req_close_quickly(r);
	req_release_conn(r);
	/* After the reply is out: a log write that waits for the disk (a
	 * busy file system's journal) must not hold the reply back. The
	 * line's parts live in the arena. */
	req_log(r, ended_us);
	arena_reset(r->arena);
	r->body = NULL;
}

/* The writer's done callback of a deferred request (reply thread). */
static void
req_deferred_done(struct writer_job *j)
{
	struct req_slot *s = (struct req_slot *)(void *)((char *)j -
	    offsetof(struct req_slot, job));

	s->reply(&s->r, j->result, s->reply_arg);
	if (!s->r.responded)
		resp_error(&s->r, 500, "internal", NULL);
	req_finish(&s->r);
	req_slot_put(s);
}

void
req_defer(struct req *r, write_fn fn, void *arg, req_reply_fn reply)
{
	req_defer_ordered(r, fn, arg, reply, 0);
}

void
req_defer_ordered(struct req *r, write_fn fn, void *arg, req_reply_fn reply,
    int64_t order)
{
	struct req_slot *s = r->slot, *spare = NULL;

	/* Only a worker's request can be deferred, and only while a slot is
	 * free for the worker to go on with. */
	if (s != NULL && r->worker != NULL && r->worker->spare == NULL)
		spare = req_slot_get();
	if (spare == NULL) {
		reply(r, writer_run_ordered(r->writer, fn, arg, order), arg);
		return;
	}
	r->worker->spare = spare;
	r->deferred = true;
	/* From here the request belongs to the writer: no reads through the
	 * worker's connection (it is not thread-safe), no worker. */
	r->store = NULL;
	r->worker = NULL;
	s->reply = reply;
	s->reply_arg = arg;
	s->job = (struct writer_job){ .fn = fn, .arg = arg,
		.done = req_deferred_done, .order = order };
	/* Two references: the worker's (dropped when its handler has
	 * returned, see the worker loop) and the reply thread's. */
	atomic_store(&s->refs, 2);
	writer_submit(r->writer, &s->job);
}
