/*
 * request_input.c: reading what a request sent (see request.h): the query
 * string and its typed parameters, the body as a JSON object or a browser
 * form, the mailed token of a link, the page of a listing, the rate limit,
 * and the start of every public submission.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "log.h"
#include "ratelimit.h"
#include "request.h"
#include "response.h"
#include "token.h"

int
req_query(struct req *r, struct kvlist *out)
{
	if (!r->query_ok) {
		resp_error(r, 400, "bad_request", NULL);
		return -1;
	}
	*out = r->query_kv;
	return 0;
}

/* Compares the media type of a Content-Type (before ';') to type. */
static bool
media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, type, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* The charset parameter is absent or UTF-8. */
static bool
charset_ok(const char *ct)
{
	const char *p = strchr(ct, ';');

	while (p != NULL) {
		p++;
		while (*p == ' ')
			p++;
		if (strncasecmp(p, "charset=", 8) == 0) {
			p += 8;
			if (*p == '"')
				p++;
			return strncasecmp(p, "utf-8", 5) == 0 &&
			    (p[5] == '\0' || p[5] == ';' || p[5] == '"' ||
			    p[5] == ' ');
		}
		p = strchr(p, ';');
	}
	return true;
}

/* Reads CONTENT_LENGTH bytes of body into r->body; -1 after an error reply. */
static int
req_read_body(struct req *r)
{
	const char *cl = req_param(r, "CONTENT_LENGTH");
	char	   *end;
	long	    len = 0;
	int	    got = 0, n;

	if (cl != NULL && *cl != '\0') {
		errno = 0;
		len = strtol(cl, &end, 10);
		if (*end != '\0' || len < 0 || errno != 0) {
			resp_error(r, 400, "bad_request", NULL);
			return -1;
		}
	}
	if (len > REQ_BODY_MAX) {
		resp_error(r, 413, "payload_too_large", NULL);
		return -1;
	}
	r->body = arena_alloc(r->arena, (size_t)len + 1);
	while (got < len) {
		n = FCGX_GetStr(r->body + got, (int)len - got, r->fcgx->in);
		if (n <= 0)
			break;
		got += n;
	}
	if (got != len) {
		resp_error(r, 400, "bad_request", NULL);
		return -1;
	}
	r->body[len] = '\0';
	r->body_len = (size_t)len;
	return 0;
}

/* Turns decoded form pairs into a JSON object of strings (arrays for
 * repeated keys). Values are stored unchecked: validation reports bad text. */
static json_t *
form_to_json(const struct kvlist *kv)
{
	json_t *obj = json_object();

	if (obj == NULL)
		log_fatal("out of memory");
	for (size_t i = 0; i < kv->count; i++) {
		const struct kv *p = &kv->items[i];
		json_t		*v = json_stringn_nocheck(p->value, p->value_len);
		json_t		*old = json_object_getn(obj, p->key, p->key_len);

		if (v == NULL)
			log_fatal("out of memory");
		if (old == NULL)
			json_object_setn_new_nocheck(obj, p->key, p->key_len, v);
		else if (json_is_array(old))
			json_array_append_new(old, v);
		else {
			json_t *arr = json_array();

			json_array_append(arr, old);
			json_array_append_new(arr, v);
			json_object_setn_new_nocheck(obj, p->key, p->key_len, arr);
		}
	}
	return obj;
}

int
req_body_fields(struct req *r, bool allow_form, struct fields *f)
{
	const char  *ct = req_param(r, "CONTENT_TYPE");
	json_error_t jerr;

	memset(f, 0, sizeof(*f));
	f->arena = r->arena;
	if (ct == NULL)
		ct = "";
	if (media_type_is(ct, "application/json")) {
		if (!charset_ok(ct)) {
			resp_error(r, 415, "unsupported_media_type", NULL);
			return -1;
		}
		r->body_kind = BODY_JSON;
	} else if (allow_form &&
	    media_type_is(ct, "application/x-www-form-urlencoded")) {
		r->body_kind = BODY_FORM;
		r->form_return = "/";
	} else {
		resp_error(r, 415, "unsupported_media_type", NULL);
		return -1;
	}
	if (req_read_body(r) != 0)
		return -1;
	if (r->body_kind == BODY_FORM) {
		struct kvlist kv;

		if (form_parse(r->arena, r->body, r->body_len, &kv) != 0) {
			resp_error(r, 400, "bad_request", NULL);
			return -1;
		}
		f->in = form_to_json(&kv);
		f->from_form = true;
		return 0;
	}
	f->in = json_loadb(r->body, r->body_len,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (f->in == NULL && json_error_code(&jerr) ==
	    json_error_numeric_overflow) {
		/* Valid JSON with an integer beyond 64 bits: read numbers as
		 * reals so that validation can say out_of_range. */
		f->in = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES |
		    JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
		f->big_ints = true;
	}
	if (f->in == NULL || !json_is_object(f->in)) {
		json_decref(f->in);
		f->in = NULL;
		resp_error(r, 400, "bad_json", NULL);
		return -1;
	}
	return 0;
}

void
req_form_return(struct req *r, const struct fields *f)
{
	json_t	   *v = json_object_get(f->in, "return");
	const char *s;
	size_t	    len;

	if (r->body_kind != BODY_FORM || !json_is_string(v))
		return;
	s = json_string_value(v);
	len = json_string_length(v);
	if (len == 0 || len > 512 || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f || s[i] == '\\')
			return;
	r->form_return = arena_strndup(r->arena, s, len);
}

int
req_token(struct req *r, struct fields *f, bool query_first,
    struct token_keys *keys)
{
	const struct kv *q = query_first ? form_get(&r->query_kv, "token") :
	    NULL;
	const char	*token;

	if (q != NULL)
		token = q->value;
	else if (field_string(f, "token", true, 1, 128, false, &token) != 0) {
		resp_invalid(r, f);
		return -1;
	}
	if (token_keys(token, keys) != 0) {
		resp_error(r, 404, "not_found", NULL);
		return -1;
	}
	return 0;
}

int
req_rate_limit(struct req *r, enum ratelimit_class c)
{
	int retry;

	if (ratelimit_take(c, &r->client_addr, mono_us(), &retry))
		return 0;
	resp_header(r, "Retry-After", "%d", retry);
	resp_error(r, 429, "rate_limited", NULL);
	return -1;
}

/* Reads limit (1..100, default 20) and before (a cursor); -1 after a 400. */
int
req_page(struct req *r, const struct kvlist *q, int *limit, int64_t *before)
{
	const struct kv *kv;

	*limit = 20;
	*before = INT64_MAX;
	if ((kv = form_get(q, "limit")) != NULL) {
		char *end;
		long  n = strtol(kv->value, &end, 10);

		if (kv->value_len == 0 || *end != '\0' || n < 1 || n > 100)
			goto bad;
		*limit = (int)n;
	}
	if ((kv = form_get(q, "before")) != NULL && kv->value_len > 0 &&
	    cursor_decode(kv->value, kv->value_len, before) != 0)
		goto bad;
	return 0;
bad:
	resp_error(r, 400, "bad_request", NULL);
	return -1;
}

int
req_query_choice(struct req *r, const struct kvlist *q, const char *key,
    const char *const *choices, const char **out)
{
	if (form_choice(q, key, choices, out) == 0)
		return 0;
	resp_error(r, 400, "bad_request", NULL);
	return -1;
}

int
req_query_country(struct req *r, const struct kvlist *q, const char *key,
    const char **out)
{
	char code[3];
	int  rc = form_country(q, key, code);

	*out = NULL;
	if (rc < 0) {
		resp_error(r, 400, "bad_request", NULL);
		return -1;
	}
	if (rc > 0)
		*out = arena_strdup(r->arena, code);
	return 0;
}

int
req_query_lang(struct req *r, const struct kvlist *q, enum lang *lang)
{
	const struct kv *kv = form_get(q, "lang");
	int		 l = kv != NULL ? lang_from_code(kv->value) : LANG_ES;

	/* Given, it must be one of ours: "?lang=" too is a bad request. */
	if (l < 0 || (kv != NULL && strlen(kv->value) != kv->value_len)) {
		resp_error(r, 400, "bad_request", NULL);
		return -1;
	}
	*lang = (enum lang)l;
	return 0;
}

int
req_submission(struct req *r, struct fields *f)
{
	if (req_body_fields(r, true, f) != 0)
		return -1;
	req_form_return(r, f);
	/* After the body is read, so that a form post is sent back to its
	 * page; nothing is stored or looked up before this. */
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0) {
		fields_free(f);
		return -1;
	}
	return 0;
}

