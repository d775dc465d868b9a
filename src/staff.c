/*
 * staff.c: staff accounts on the web: signing in and out (an Argon2id
 * check, throttled per address and per user name (loginlimit.h), one
 * message for a wrong user or password), the session cookie and its CSRF
 * token (staff_authenticate, which the router calls before every staff
 * route), and the audit log's listing. Every change is written with its
 * audit entry (audit.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "loginlimit.h"
#include "response.h"
#include "store.h"
#include "store_staff.h"
#include "token.h"

#define SESSION_COOKIE "icommit_session"

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
staff_authenticate(struct req *r)
{
	const char *token = cookie_get(r, SESSION_COOKIE);
	struct user u;
	int64_t	    expires;
	enum db_err e;

	if (token == NULL || token_keys(token, &r->session_keys) != 0) {
		resp_error(r, 401, "unauthorized", NULL);
		return -1;
	}
	e = store_session_get(r->store, r->arena, &r->session_keys, &u,
	    &expires);
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
staff_login(struct req *r)
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
	if (!loginlimit_allowed(r, username, &retry)) {
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
		loginlimit_failed(r, username);
		resp_json(r, 401, error_body("unauthorized",
		    "Wrong user name or password.", NULL));
		goto out;
	}
	token_new(token, l.hash);
	l.user_id = u.id;
	l.expires_at = now_unix() + (int64_t)r->cfg->session_hours * 3600;
	r->staff = u.username;
	e = audit_run(r, "login", NULL, NULL, login_tx, &l);
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
staff_logout(struct req *r)
{
	enum db_err e = audit_run(r, "logout", NULL, NULL, logout_tx,
	    &r->session_keys);

	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	session_cookie(r, "", 0);
	resp_json(r, 200, json_pack("{s:s}", "status", "signed_out"));
}

void
staff_me(struct req *r)
{
	const char *token = cookie_get(r, SESSION_COOKIE);
	char	    csrf[TOKEN_LEN + 1];

	csrf_of_session(token, csrf);
	resp_json(r, 200, json_pack("{s:s, s:s}", "username", r->staff, "csrf",
	    csrf));
}

static int
audit_add_json(const struct audit_entry *a, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:o, s:s, s:s, s:o, s:o}",
	    "id", (json_int_t)a->id, "at", json_time(true, a->at),
	    "username", a->username, "action", a->action,
	    "target", json_opt_str(a->target),
	    "detail", json_opt_str(a->detail)));
	return 0;
}

void
staff_audit(struct req *r)
{
	struct kvlist kv;
	int	      limit;
	int64_t	      before;
	json_t	     *items;

	if (req_query(r, &kv) != 0 || req_page(r, &kv, &limit, &before) != 0)
		return;
	items = json_array();
	resp_page(r, store_audit_list(r->store, r->arena, before, limit + 1,
	    audit_add_json, items), items, limit);
}
