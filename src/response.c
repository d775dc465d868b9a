/*
 * response.c: writing responses to the FastCGI stream (see response.h).
 * JSON goes out only through jansson.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "log.h"
#include "response.h"

static const struct {
	const char *code;
	const char *message;
} error_messages[] = {
	{ "bad_json", "The body is not a JSON object (or has duplicate keys)." },
	{ "bad_request", "The request is malformed." },
	{ "unauthorized", "Sign in first." },
	{ "forbidden", "This request is not allowed." },
	{ "not_found", "Not found." },
	{ "method_not_allowed", "This method is not allowed here." },
	{ "campaign_closed", "This campaign is not taking pledges now." },
	{ "event_closed", "Registration for this event is closed." },
	{ "event_full", "This event is full." },
	{ "payload_too_large", "The body is larger than 64 KiB." },
	{ "unsupported_media_type",
	    "Send the body as application/json; charset=utf-8." },
	{ "invalid", "Some fields are not valid." },
	{ "rate_limited", "Too many requests; try again later." },
	{ "unavailable", "The service is busy or unavailable; try again shortly." },
	{ "internal", "Something went wrong on our side." },
};

const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

void
resp_header(struct req *r, const char *name, const char *fmt, ...)
{
	char	line[1024];
	va_list ap;
	int	n, m;

	n = snprintf(line, sizeof(line), "%s: ", name);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n < 0 || m < 0 || (size_t)(n + m) > sizeof(line) - 3) {
		log_error("header %s too long, dropped", name);
		return;
	}
	/* A header value never carries a line break. */
	for (char *p = line; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	n += m;
	memcpy(line + n, "\r\n", 3);
	n += 2;
	char *buf = arena_alloc(r->arena, r->extra_len + (size_t)n + 1);
	if (r->extra_len > 0)
		memcpy(buf, r->extra_headers, r->extra_len);
	memcpy(buf + r->extra_len, line, (size_t)n + 1);
	r->extra_headers = buf;
	r->extra_len += (size_t)n;
}

static bool
has_extra(const struct req *r, const char *name)
{
	size_t n = strlen(name);
	const char *p = r->extra_headers;

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':')
			return true;
		p = strstr(p, "\r\n");
		if (p != NULL)
			p += 2;
	}
	return false;
}

/* Writes the status line and headers; the body follows. */
static void
resp_head(struct req *r, int status, const char *content_type,
    long long content_length)
{
	FCGX_Stream *out = r->fcgx->out;

	if (r->responded) {
		log_error("second response to one request dropped");
		return;
	}
	r->responded = true;
	r->status = status;
	FCGX_FPrintF(out, "Status: %d %s\r\n", status, http_reason(status));
	if (content_type != NULL)
		FCGX_FPrintF(out, "Content-Type: %s\r\n", content_type);
	if (content_length >= 0)
		FCGX_FPrintF(out, "Content-Length: %lld\r\n", content_length);
	FCGX_PutS("X-Content-Type-Options: nosniff\r\n", out);
	if (!has_extra(r, "Cache-Control") && status != 304)
		FCGX_PutS("Cache-Control: no-store\r\n", out);
	if (r->extra_len > 0)
		FCGX_PutStr(r->extra_headers, (int)r->extra_len, out);
	FCGX_PutS("\r\n", out);
}

void
resp_raw(struct req *r, int status, const char *content_type,
    const void *body, size_t len)
{
	resp_head(r, status, content_type, (long long)len);
	if (r->method != METHOD_HEAD && len > 0)
		FCGX_PutStr(body, (int)len, r->fcgx->out);
}

void
resp_json(struct req *r, int status, json_t *body)
{
	size_t len = json_dumpb(body, NULL, 0, JSON_COMPACT);
	char  *buf;

	if (len == 0)
		log_fatal("cannot serialise a response");
	buf = arena_alloc(r->arena, len);
	json_dumpb(body, buf, len, JSON_COMPACT);
	json_decref(body);
	resp_raw(r, status, "application/json; charset=utf-8", buf, len);
}

json_t *
error_body(const char *code, const char *message, json_t *fields)
{
	json_t *err;

	if (message == NULL) {
		message = "Error.";
		for (size_t i = 0; i < sizeof(error_messages) /
		    sizeof(error_messages[0]); i++)
			if (strcmp(error_messages[i].code, code) == 0)
				message = error_messages[i].message;
	}
	err = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (err == NULL)
		log_fatal("out of memory");
	if (fields != NULL)
		json_object_set_new(err, "fields", fields);
	return json_pack("{s:o}", "error", err);
}

void
resp_form_redirect(struct req *r, const char *param)
{
	const char *ret = r->form_return ? r->form_return : "/";
	const char *hash = strchr(ret, '#');
	size_t	    plen = hash ? (size_t)(hash - ret) : strlen(ret);
	const char *q = memchr(ret, '?', plen);
	size_t	    len = strlen(ret) + strlen(param) + 2;
	char	   *loc = arena_alloc(r->arena, len);

	snprintf(loc, len, "%.*s%c%s%s", (int)plen, ret, q ? '&' : '?', param,
	    hash ? hash : "");
	resp_redirect(r, loc);
}

void
resp_error(struct req *r, int status, const char *code, json_t *fields)
{
	if (r->form_return != NULL) {
		char param[64];

		json_decref(fields);
		snprintf(param, sizeof(param), "error=%s", code);
		resp_form_redirect(r, param);
		return;
	}
	resp_json(r, status, error_body(code, NULL, fields));
}

void
resp_invalid(struct req *r, struct fields *f)
{
	json_t *errors = f->errors;

	f->errors = NULL;
	resp_error(r, 422, "invalid", errors);
}

void
resp_db_error(struct req *r, enum db_err e)
{
	switch (e) {
	case DB_OK:
		log_error("resp_db_error called without an error");
		/* FALLTHROUGH */
	case DB_ERROR:
		resp_error(r, 500, "internal", NULL);
		return;
	case DB_NOTFOUND:
		resp_error(r, 404, "not_found", NULL);
		return;
	case DB_BUSY:
	case DB_RETRY:
		resp_header(r, "Retry-After", "1");
		break;
	case DB_FULL:
	case DB_READONLY:
		resp_header(r, "Retry-After", "30");
		break;
	}
	resp_error(r, 503, "unavailable", NULL);
}

void
resp_redirect(struct req *r, const char *location)
{
	resp_header(r, "Location", "%s", location);
	resp_raw(r, 303, NULL, NULL, 0);
}

void
resp_not_modified(struct req *r)
{
	resp_head(r, 304, NULL, -1);
}

void
resp_stream_begin(struct req *r, int status, const char *content_type)
{
	resp_head(r, status, content_type, -1);
}

int
resp_stream_write(struct req *r, const void *buf, size_t len)
{
	if (r->method == METHOD_HEAD || len == 0)
		return 0;
	if (FCGX_PutStr(buf, (int)len, r->fcgx->out) != (int)len)
		return -1;
	return 0;
}

void
resp_page(struct req *r, enum db_err e, json_t *items, int limit)
{
	json_t *next = json_null();
	char	cursor[CURSOR_MAX];

	if (e != DB_OK) {
		json_decref(items);
		resp_db_error(r, e);
		return;
	}
	if (json_array_size(items) > (size_t)limit) {
		json_array_remove(items, (size_t)limit);
		cursor_encode(json_integer_value(json_object_get(
		    json_array_get(items, (size_t)limit - 1), "id")), cursor);
		next = json_string(cursor);
	}
	resp_json(r, 200, json_pack("{s:o, s:o}", "items", items, "next", next));
}

void
resp_accepted(struct req *r, const char *status)
{
	if (r->form_return != NULL)
		resp_form_redirect(r, "ok=1");
	else
		resp_json(r, 202, json_pack("{s:s}", "status", status));
}

void
resp_items(struct req *r, enum db_err e, json_t *items)
{
	if (e != DB_OK) {
		json_decref(items);
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}

