/*
 * admin.c: the staff API under /api/v1/admin/: login and sessions (cookie
 * + CSRF header), moderation, campaign control, the audit log and the CSV
 * export of pledges. Every change is written through the group-commit
 * writer together with its audit entry.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaigns.h"
#include "cursor.h"
#include "export.h"
#include "handlers.h"
#include "log.h"
#include "pledges.h"
#include "response.h"
#include "store.h"
#include "token.h"
#include "writer.h"

#define SESSION_COOKIE "icommit_session"
#define BULK_MAX 500

static const char *const pledge_statuses[] = { PLEDGE_PENDING,
	PLEDGE_CONFIRMED, PLEDGE_APPROVED, PLEDGE_REJECTED, NULL };

/* The value of cookie name in the Cookie header, copied, or NULL. */
static const char *
cookie_get(struct req *r, const char *name)
{
	const char *h = req_param(r, "HTTP_COOKIE");
	size_t	    n = strlen(name);

	while (h != NULL && *h != '\0') {
		while (*h == ' ' || *h == ';')
			h++;
		size_t len = strcspn(h, ";");
		if (len > n && strncmp(h, name, n) == 0 && h[n] == '=')
			return arena_strndup(r->arena, h + n + 1, len - n - 1);
		h += len;
	}
	return NULL;
}

int
admin_authenticate(struct req *r)
{
	const char *token = cookie_get(r, SESSION_COOKIE);
	struct user u;
	int64_t	    expires;
	enum db_err e;

	if (token == NULL || token_hash(token, r->session_hash) != 0) {
		resp_error(r, 401, "unauthorized", NULL);
		return -1;
	}
	e = store_session_get(r->store, r->arena, r->session_hash, &u, &expires);
	if (e == DB_NOTFOUND || (e == DB_OK && expires < now_unix())) {
		resp_error(r, 401, "unauthorized", NULL);
		return -1;
	}
	if (e != DB_OK) {
		resp_db_error(r, e);
		return -1;
	}
	if (r->method != METHOD_GET && r->method != METHOD_HEAD) {
		const char *sent = req_param(r, "HTTP_X_CSRF_TOKEN");
		char	    want[TOKEN_LEN + 1];

		csrf_of_session(token, want);
		if (sent == NULL || strlen(sent) != TOKEN_LEN ||
		    sodium_memcmp(sent, want, TOKEN_LEN) != 0) {
			resp_error(r, 403, "forbidden", NULL);
			return -1;
		}
	}
	r->staff = u.username;
	r->staff_id = u.id;
	return 0;
}

/* Sets the session cookie (max_age 0 clears it). */
static void
session_cookie(struct req *r, const char *token, long max_age)
{
	bool secure = strncmp(r->cfg->base_url, "https://", 8) == 0;

	resp_header(r, "Set-Cookie", "%s=%s; Path=/api/v1/admin; Max-Age=%ld; "
	    "HttpOnly; SameSite=Strict%s", SESSION_COOKIE, token, max_age,
	    secure ? "; Secure" : "");
}

/* A change and its audit entry, in one writer job. */
struct audited {
	const char   *staff;
	const char   *action;
	const char   *target;
	const char   *detail;
	write_fn      fn;	/* the change, or NULL for the audit entry only */
	void	     *arg;
	/* When set, computes the detail after fn ran; NULL: no entry. */
	const char *(*detail_fn)(void *arg);
};

static enum db_err
audited_tx(struct store *s, void *arg)
{
	struct audited *a = arg;
	enum db_err	e = DB_OK;

	if (a->fn != NULL && (e = a->fn(s, a->arg)) != DB_OK)
		return e;
	/* A decision that changed nothing is not an action to record. */
	if (a->detail_fn != NULL && (a->detail = a->detail_fn(a->arg)) == NULL)
		return DB_OK;
	return store_audit_add(s, a->staff, a->action, a->target, a->detail);
}

enum db_err
admin_audit_run(struct req *r, const char *action, const char *target,
    const char *detail, write_fn fn, void *arg)
{
	struct audited a = { r->staff, action, target, detail, fn, arg, NULL };

	return writer_run(r->writer, audited_tx, &a);
}


struct login {
	unsigned char hash[TOKEN_HASH_LEN];
	int64_t	      user_id;
	int64_t	      expires_at;
};

static enum db_err
login_tx(struct store *s, void *arg)
{
	struct login *l = arg;
	enum db_err   e = store_sessions_purge(s, now_unix());

	if (e != DB_OK)
		return e;
	return store_session_add(s, l->hash, l->user_id, l->expires_at);
}

void
admin_login(struct req *r)
{
	struct fields f;
	struct user   u;
	struct login  l;
	const char   *username, *password;
	char	      token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	enum db_err   e;
	int	      retry;
	bool	      known;

	if (req_body_fields(r, false, &f) != 0)
		return;
	field_string(&f, "username", true, 1, 64, false, &username);
	field_string(&f, "password", true, 1, 1024, false, &password);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	/* Only failures count, per address and per user name: refuse once
	 * either has run out. */
	if (!ratelimit_peek(RATELIMIT_LOGIN, &r->client_addr, mono_us(),
	    &retry) || !ratelimit_peek_key(RATELIMIT_LOGIN_ACCOUNT, username,
	    strlen(username), mono_us(), &retry)) {
		resp_header(r, "Retry-After", "%d", retry);
		resp_error(r, 429, "rate_limited", NULL);
		goto out;
	}
	e = store_user_get(r->store, r->arena, username, &u);
	if (e != DB_OK && e != DB_NOTFOUND) {
		resp_db_error(r, e);
		goto out;
	}
	known = e == DB_OK && !u.disabled;
	/* An unknown user costs one Argon2id check too: same time, same
	 * answer. */
	if (!password_verify(known ? u.password_hash : NULL, password)) {
		log_info("staff login refused");
		ratelimit_take(RATELIMIT_LOGIN, &r->client_addr, mono_us(),
		    &retry);
		ratelimit_take_key(RATELIMIT_LOGIN_ACCOUNT, username,
		    strlen(username), mono_us(), &retry);
		resp_json(r, 401, error_body("unauthorized",
		    "Wrong user name or password.", NULL));
		goto out;
	}
	token_new(token, l.hash);
	l.user_id = u.id;
	l.expires_at = now_unix() + (int64_t)r->cfg->session_hours * 3600;
	r->staff = u.username;
	e = admin_audit_run(r, "login", NULL, NULL, login_tx, &l);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	csrf_of_session(token, csrf);
	session_cookie(r, token, (long)r->cfg->session_hours * 3600);
	resp_json(r, 200, json_pack("{s:s, s:s}", "csrf", csrf, "username",
	    u.username));
	sodium_memzero(token, sizeof(token));
out:
	fields_free(&f);
}

static enum db_err
logout_tx(struct store *s, void *arg)
{
	return store_session_delete(s, arg);
}

void
admin_logout(struct req *r)
{
	enum db_err e = admin_audit_run(r, "logout", NULL, NULL, logout_tx,
	    r->session_hash);

	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	session_cookie(r, "", 0);
	resp_json(r, 200, json_pack("{s:s}", "status", "signed_out"));
}

void
admin_me(struct req *r)
{
	const char *token = cookie_get(r, SESSION_COOKIE);
	char	    csrf[TOKEN_LEN + 1];

	csrf_of_session(token, csrf);
	resp_json(r, 200, json_pack("{s:s, s:s}", "username", r->staff, "csrf",
	    csrf));
}

/* Every field of a pledge, for staff. */
static json_t *
admin_pledge_json(const struct pledge *p)
{
	json_t *o = json_object();

#define OPT_STR(k, v) json_object_set_new(o, k, (v) ? json_string(v) : json_null())
	json_object_set_new(o, "id", json_integer(p->id));
	OPT_STR("status", p->status);
	json_object_set_new(o, "created_at", json_time(true, p->created_at));
	json_object_set_new(o, "confirmed_at", json_time(p->has_confirmed_at,
	    p->confirmed_at));
	OPT_STR("name", p->name);
	OPT_STR("email", p->email);
	OPT_STR("organisation", p->organisation);
	OPT_STR("actor_type", p->actor_type);
	OPT_STR("country", p->country);
	OPT_STR("city", p->city);
	OPT_STR("commitment", p->commitment);
	OPT_STR("category", p->category);
	json_object_set_new(o, "quantity", p->has_quantity ?
	    json_integer(p->quantity) : json_null());
	OPT_STR("unit", p->has_quantity ? p->unit : NULL);
	json_object_set_new(o, "target_year", p->has_target_year ?
	    json_integer(p->target_year) : json_null());
	json_object_set_new(o, "public", json_boolean(p->public_));
	OPT_STR("language", p->language);
#undef OPT_STR
	return o;
}

struct listing {
	json_t *items;
	int64_t last_id;
	int	n;
};

static int
listing_add(const struct pledge *p, void *arg)
{
	struct listing *l = arg;

	json_array_append_new(l->items, admin_pledge_json(p));
	l->last_id = p->id;
	l->n++;
	return 0;
}

/* Resolves ?campaign=SLUG; -1 after an error reply (404 if unknown). */
static int
campaign_param(struct req *r, const struct kvlist *q, bool *has, int64_t *id)
{
	const struct kv *kv = form_get(q, "campaign");
	struct campaign	 c;
	enum db_err	 e;

	*has = false;
	if (kv == NULL || kv->value_len == 0)
		return 0;
	e = store_campaign_get(r->store, r->arena, kv->value, &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return -1;
	}
	*has = true;
	*id = c.id;
	return 0;
}

/* Reads ?status=; -1 after a 400. */
static int
status_param(struct req *r, const struct kvlist *q, const char **status)
{
	const struct kv *kv = form_get(q, "status");

	*status = NULL;
	if (kv == NULL || kv->value_len == 0)
		return 0;
	for (size_t i = 0; pledge_statuses[i] != NULL; i++)
		if (strcmp(kv->value, pledge_statuses[i]) == 0) {
			*status = pledge_statuses[i];
			return 0;
		}
	resp_error(r, 400, "bad_request", NULL);
	return -1;
}

void
admin_pledges_list(struct req *r)
{
	struct admin_pledge_query q = { 0 };
	struct listing		  l = { 0 };
	struct kvlist		  kv;
	char			  cursor[CURSOR_MAX];
	enum db_err		  e;

	if (req_query(r, &kv) != 0 ||
	    req_page(r, &kv, &q.limit, &q.before_id) != 0 ||
	    status_param(r, &kv, &q.status) != 0 ||
	    campaign_param(r, &kv, &q.has_campaign, &q.campaign_id) != 0)
		return;
	l.items = json_array();
	q.limit++;
	e = store_admin_pledges(r->store, r->arena, &q, listing_add, &l);
	if (e != DB_OK) {
		json_decref(l.items);
		resp_db_error(r, e);
		return;
	}
	json_t *next = json_null();
	if (l.n == q.limit) {
		json_array_remove(l.items, json_array_size(l.items) - 1);
		json_t *last = json_array_get(l.items, json_array_size(l.items) - 1);
		cursor_encode(json_integer_value(json_object_get(last, "id")),
		    cursor);
		next = json_string(cursor);
	}
	resp_json(r, 200, json_pack("{s:o, s:o}", "items", l.items, "next",
	    next));
}

/* Several decisions in one job. */
struct bulk {
	struct moderation *m;
	size_t		   n;
	struct arena	  *arena;
};

/* The audit detail of a decision: the ids it changed ("pledges 3, 7"), or
 * NULL when it changed none. */
static const char *
bulk_detail(void *arg)
{
	struct bulk *b = arg;
	size_t	     cap = 16 + b->n * 21, len;
	char	    *out = arena_alloc(b->arena, cap);
	bool	     any = false;

	len = (size_t)snprintf(out, cap, "pledges");
	for (size_t i = 0; i < b->n; i++) {
		if (b->m[i].status == NULL || b->m[i].unconfirmed ||
		    !b->m[i].changed)
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s %lld",
		    any ? "," : "", (long long)b->m[i].id);
		any = true;
	}
	return any ? out : NULL;
}

static enum db_err
bulk_tx(struct store *s, void *arg)
{
	struct bulk *b = arg;

	for (size_t i = 0; i < b->n; i++) {
		enum db_err e = pledge_moderate_tx(s, &b->m[i]);

		if (e == DB_NOTFOUND)
			b->m[i].status = NULL;
		else if (e != DB_OK)
			return e;
	}
	return DB_OK;
}

/* Runs the decisions of b with their audit entry in one writer job. */
static enum db_err
moderate_run(struct req *r, bool approve, const char *target, struct bulk *b)
{
	struct audited a = { r->staff, approve ? "approve" : "reject",
		target, NULL, bulk_tx, b, bulk_detail };

	return writer_run(r->writer, audited_tx, &a);
}


/* Reads {"decision": "approve"|"reject"}; -1 after recording a reason. */
static int
decision_field(struct fields *f, bool *approve)
{
	static const char *const decisions[] = { "approve", "reject", NULL };
	const char *d;

	if (field_choice(f, "decision", true, decisions, &d) != 0)
		return -1;
	*approve = strcmp(d, "approve") == 0;
	return 0;
}

static json_t *
moderation_json(const struct moderation *m)
{
	if (m->status == NULL)
		return json_pack("{s:I, s:s}", "id", (json_int_t)m->id, "error",
		    "not_found");
	if (m->unconfirmed)
		return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)m->id,
		    "status", m->status, "error", "not_confirmed");
	return json_pack("{s:I, s:s}", "id", (json_int_t)m->id, "status",
	    m->status);
}

void
admin_moderate(struct req *r)
{
	struct fields	  f;
	struct moderation m = { .arena = r->arena };
	struct bulk	  b = { &m, 1, r->arena };
	enum db_err	  e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (decision_field(&f, &m.approve) != 0) {
		resp_invalid(r, &f);
		goto out;
	}
	m.id = strtoll(r->params[0], NULL, 10);
	e = moderate_run(r, m.approve, r->params[0], &b);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (m.status == NULL)
		resp_error(r, 404, "not_found", NULL);
	else if (m.unconfirmed)
		resp_json(r, 409, error_body("not_confirmed", "Its author has "
		    "not confirmed this pledge: it cannot be approved.", NULL));
	else
		resp_json(r, 200, moderation_json(&m));
out:
	fields_free(&f);
}

void
admin_moderate_bulk(struct req *r)
{
	struct fields f;
	struct bulk   b = { 0 };
	json_t	     *ids, *results;
	bool	      approve = false;
	enum db_err   e;
	size_t	      i;

	if (req_body_fields(r, false, &f) != 0)
		return;
	decision_field(&f, &approve);
	ids = json_object_get(f.in, "ids");
	if (!json_is_array(ids) || json_array_size(ids) == 0)
		fields_fail(&f, "ids", ids == NULL ? REASON_REQUIRED :
		    REASON_WRONG_TYPE);
	else if (json_array_size(ids) > BULK_MAX)
		fields_fail(&f, "ids", REASON_TOO_LONG);
	else
		for (i = 0; i < json_array_size(ids); i++)
			if (!json_is_integer(json_array_get(ids, i)) ||
			    json_integer_value(json_array_get(ids, i)) <= 0) {
				fields_fail(&f, "ids", REASON_WRONG_TYPE);
				break;
			}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	b.n = json_array_size(ids);
	b.m = arena_alloc(r->arena, b.n * sizeof(*b.m));
	memset(b.m, 0, b.n * sizeof(*b.m));
	for (i = 0; i < b.n; i++) {
		b.m[i].id = json_integer_value(json_array_get(ids, i));
		b.m[i].approve = approve;
		b.m[i].arena = r->arena;
	}
	b.arena = r->arena;
	e = moderate_run(r, approve, "bulk", &b);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	results = json_array();
	for (i = 0; i < b.n; i++)
		json_array_append_new(results, moderation_json(&b.m[i]));
	resp_json(r, 200, json_pack("{s:o}", "results", results));
out:
	fields_free(&f);
}

/* Reads an RFC 3339 time, or null, into has and t; records a reason. */
static void
field_time(struct fields *f, const char *key, bool *has, int64_t *t)
{
	json_t *v = json_object_get(f->in, key);

	if (v == NULL)
		return;
	if (json_is_null(v)) {
		*has = false;
		return;
	}
	if (!json_is_string(v)) {
		fields_fail(f, key, REASON_WRONG_TYPE);
		return;
	}
	if (time_parse(json_string_value(v), t) != 0) {
		fields_fail(f, key, REASON_OUT_OF_RANGE);
		return;
	}
	*has = true;
}

/*
 * Reads the CAMPAIGN fields present in f over c (for PUT, c holds the
 * current values; for POST, empty ones and required titles).
 */
static void
campaign_fields(struct fields *f, struct campaign *c, bool create)
{
	field_langs(f, "title", create, true, 200, false, c->title);
	field_langs(f, "description", false, false, 5000, true, c->description);
	if (json_object_get(f->in, "goal") != NULL) {
		bool	  present;
		long long goal;

		if (field_int(f, "goal", false, 0, 1000000000000LL, &present,
		    &goal) == 0) {
			c->has_goal = present;
			c->goal = goal;
		}
	}
	field_time(f, "opens_at", &c->has_opens_at, &c->opens_at);
	field_time(f, "closes_at", &c->has_closes_at, &c->closes_at);
	if (json_object_get(f->in, "paused") != NULL) {
		bool present, paused;

		if (field_bool(f, "paused", false, &present, &paused) == 0 &&
		    present)
			c->paused = paused;
	}
	if (c->has_opens_at && c->has_closes_at && c->closes_at < c->opens_at)
		fields_fail(f, "closes_at", REASON_OUT_OF_RANGE);
}

static bool
slug_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

struct campaign_write {
	struct campaign *c;
	bool		 create;
	bool		 exists;
};

static enum db_err
campaign_tx(struct store *s, void *arg)
{
	struct campaign_write *w = arg;

	if (w->create) {
		struct arena	tmp = { 0 };
		struct campaign old;
		enum db_err	e = store_campaign_get(s, &tmp, w->c->slug, &old);

		arena_free(&tmp);
		if (e == DB_OK) {
			w->exists = true;
			return DB_OK;
		}
		if (e != DB_NOTFOUND)
			return e;
		return store_campaign_add(s, w->c);
	}
	return store_campaign_update(s, w->c);
}

/* Creating (POST) and updating (PUT) a campaign. */
static void
campaign_write(struct req *r, bool create)
{
	struct fields	      f;
	struct campaign	      c = { 0 };
	struct campaign_write w = { &c, create, false };
	enum db_err	      e;
	const char	     *slug;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (create) {
		if (field_string(&f, "slug", true, 1, 64, false, &slug) == 0 &&
		    !slug_valid(slug))
			fields_fail(&f, "slug", REASON_INVALID_CHOICE);
		c.slug = slug;
	} else {
		e = store_campaign_get(r->store, r->arena, r->params[0], &c);
		if (e != DB_OK) {
			resp_db_error(r, e);
			goto out;
		}
	}
	campaign_fields(&f, &c, create);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	e = admin_audit_run(r, create ? "campaign_create" : "campaign_edit", c.slug,
	    c.paused ? "paused" : NULL, campaign_tx, &w);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (w.exists) {
		json_t *fields = json_pack("{s:s}", "slug", "taken");

		resp_error(r, 422, "invalid", fields);
		goto out;
	}
	e = store_campaign_get(r->store, r->arena, c.slug, &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, create ? 201 : 200, campaign_json(&c, now_unix()));
out:
	fields_free(&f);
}

void
admin_campaign_create(struct req *r)
{
	campaign_write(r, true);
}

void
admin_campaign_update(struct req *r)
{
	campaign_write(r, false);
}

static int
audit_add_json(const struct audit_entry *a, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:o, s:s, s:s, s:o, s:o}",
	    "id", (json_int_t)a->id, "at", json_time(true, a->at),
	    "username", a->username, "action", a->action,
	    "target", a->target ? json_string(a->target) : json_null(),
	    "detail", a->detail ? json_string(a->detail) : json_null()));
	return 0;
}

void
admin_audit(struct req *r)
{
	struct kvlist kv;
	int	      limit;
	int64_t	      before;
	json_t	     *items;
	char	      cursor[CURSOR_MAX];
	enum db_err   e;

	if (req_query(r, &kv) != 0 || req_page(r, &kv, &limit, &before) != 0)
		return;
	items = json_array();
	e = store_audit_list(r->store, r->arena, before, limit + 1,
	    audit_add_json, items);
	if (e != DB_OK) {
		json_decref(items);
		resp_db_error(r, e);
		return;
	}
	json_t *next = json_null();
	if (json_array_size(items) == (size_t)limit + 1) {
		json_array_remove(items, (size_t)limit);
		cursor_encode(json_integer_value(json_object_get(
		    json_array_get(items, (size_t)limit - 1), "id")), cursor);
		next = json_string(cursor);
	}
	resp_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

static int
stream_sink(void *arg, const void *buf, size_t len)
{
	return resp_stream_write(arg, buf, len);
}

/*
 * Starts a CSV download of what ("pledges", "registrations"): the dated
 * file name, the headers, and a CSV writer streaming into the response.
 * The writer lives in the request's arena.
 */
struct csv *
csv_download_begin(struct req *r, const char *what, char sep, bool bom)
{
	struct csv *c;
	char	    name[64];

	export_filename(what, name, sizeof(name));
	resp_header(r, "Content-Disposition", "attachment; filename=\"%s\"",
	    name);
	resp_stream_begin(r, 200, "text/csv; charset=utf-8");
	c = arena_alloc(r->arena, sizeof(*c));
	csv_begin(c, sep, bom, stream_sink, r);
	return c;
}

/* Reads ?sep= and ?bom=; -1 after a 400. */
int
csv_params(struct req *r, const struct kvlist *q, char *sep, bool *bom)
{
	const struct kv *kv;

	*sep = ',';
	*bom = true;
	if ((kv = form_get(q, "sep")) != NULL && kv->value_len > 0) {
		if (strcmp(kv->value, "semicolon") == 0)
			*sep = ';';
		else if (strcmp(kv->value, "comma") != 0)
			goto bad;
	}
	if ((kv = form_get(q, "bom")) != NULL && kv->value_len > 0) {
		if (strcmp(kv->value, "0") == 0)
			*bom = false;
		else if (strcmp(kv->value, "1") != 0)
			goto bad;
	}
	return 0;
bad:
	resp_error(r, 400, "bad_request", NULL);
	return -1;
}

void
admin_export_pledges(struct req *r)
{
	struct export_query q = { 0 };
	struct kvlist	    kv;
	const struct kv	   *p;
	struct csv	   *c;
	char		    sep;
	bool		    bom;
	uint64_t	    rows;
	enum db_err	    e;

	if (req_query(r, &kv) != 0 || csv_params(r, &kv, &sep, &bom) != 0 ||
	    status_param(r, &kv, &q.status) != 0 ||
	    campaign_param(r, &kv, &q.has_campaign, &q.campaign_id) != 0)
		return;
	if ((p = form_get(&kv, "from")) != NULL && p->value_len > 0) {
		if (time_parse(p->value, &q.from) != 0)
			goto bad;
		q.has_from = true;
	}
	if ((p = form_get(&kv, "to")) != NULL && p->value_len > 0) {
		if (time_parse(p->value, &q.to) != 0)
			goto bad;
		q.has_to = true;
	}
	e = admin_audit_run(r, "export", "pledges", r->query[0] ? r->query : NULL,
	    NULL, NULL);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	c = csv_download_begin(r, "pledges", sep, bom);
	e = export_pledges(r->store, &q, c, &rows);
	if (e != DB_OK)
		log_error("export of pledges stopped after %llu rows: %s",
		    (unsigned long long)rows, db_strerror(e));
	return;
bad:
	resp_error(r, 400, "bad_request", NULL);
}

void
admin_export_registrations(struct req *r)
{
	struct kvlist	 kv;
	const struct kv *p;
	struct event	 ev;
	struct csv	*c;
	char		 sep;
	bool		 bom;
	uint64_t	 rows;
	enum db_err	 e;

	if (req_query(r, &kv) != 0 || csv_params(r, &kv, &sep, &bom) != 0)
		return;
	if ((p = form_get(&kv, "event")) == NULL || p->value_len == 0) {
		resp_error(r, 400, "bad_request", NULL);
		return;
	}
	if ((e = store_event_get(r->store, r->arena, p->value, &ev)) != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	e = admin_audit_run(r, "export", "registrations", ev.slug, NULL, NULL);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	c = csv_download_begin(r, "registrations", sep, bom);
	e = export_registrations(r->store, ev.id, c, &rows);
	if (e != DB_OK)
		log_error("export of registrations stopped after %llu rows: %s",
		    (unsigned long long)rows, db_strerror(e));
}

void
csv_download_run(struct req *r, const char *what, char sep, bool bom,
    csv_write_fn write, const void *q)
{
	uint64_t    rows = 0;
	enum db_err e;

	e = admin_audit_run(r, "export", what, r->query[0] ? r->query : NULL,
	    NULL, NULL);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	e = write(r->store, q, csv_download_begin(r, what, sep, bom), &rows);
	if (e != DB_OK)
		log_error("export of %s stopped after %llu rows: %s", what,
		    (unsigned long long)rows, db_strerror(e));
}

static enum db_err
subscribers_write(struct store *s, const void *unused, struct csv *c,
    uint64_t *rows)
{
	(void)unused;
	return export_subscribers(s, c, rows);
}

void
admin_export_subscribers(struct req *r)
{
	struct kvlist kv;
	char	      sep;
	bool	      bom;

	if (req_query(r, &kv) != 0 || csv_params(r, &kv, &sep, &bom) != 0)
		return;
	csv_download_run(r, "subscribers", sep, bom, subscribers_write, NULL);
}
