/*
 * comments.c: comments from the contact page. The public endpoint (JSON or
 * browser form) stores a comment and mails staff a note of it; staff list
 * them newest first, mark them handled and export them as CSV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaigns.h"
#include "comments.h"
#include "cursor.h"
#include "export.h"
#include "handlers.h"
#include "log.h"
#include "outbox.h"
#include "response.h"
#include "store.h"
#include "writer.h"

static const char *const topics[] = { "general", "pledges", "events",
	"partnership", "press", "other", NULL };
static const char *const languages[] = { "es", "en", "pt", "fr", NULL };
static const char *const statuses[] = { "new", "handled", NULL };

/* A comment on its way to the writer. */
struct comment_job {
	const struct config *cfg;
	struct arena	    *arena;
	struct comment	     c;
};

/* The writer job: the row and, unless turned off, the note to staff. */
static enum db_err
comment_tx(struct store *s, void *arg)
{
	struct comment_job *j = arg;
	struct mail_vars    vars;
	char		   *link;
	size_t		    len;
	bool		    queued;
	enum db_err	    e;

	if ((e = store_comment_insert(s, &j->c)) != DB_OK)
		return e;
	if (!j->cfg->comment_notify)
		return DB_OK;
	len = strlen(j->cfg->base_url) + sizeof("/admin/comments.html");
	link = arena_alloc(j->arena, len);
	snprintf(link, len, "%s/admin/comments.html", j->cfg->base_url);
	/* It goes to staff, who need the message and whom to answer. */
	vars = (struct mail_vars){ .topic = j->c.topic,
		.name = j->c.name ? j->c.name : "—",
		.email = j->c.email ? j->c.email : "—",
		.message = j->c.message, .link = link };
	return outbox_queue(s, j->arena, j->cfg, MAIL_COMMENT_NOTIFY, LANG_ES,
	    j->cfg->mail_from, j->cfg->mail_from, &vars, NULL, 0, &queued);
}

void
comments_submit(struct req *r)
{
	struct fields	   f;
	struct comment_job j = { .cfg = r->cfg, .arena = r->arena };
	struct comment	  *c = &j.c;
	enum db_err	   e;

	if (req_body_fields(r, true, &f) != 0)
		return;
	req_form_return(r, &f);
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0)
		goto out;
	field_string(&f, "name", false, 0, 120, false, &c->name);
	/* Consent is needed only to keep an address. */
	if (field_email(&f, "email", false, &c->email) != 0 || c->email != NULL)
		field_true(&f, "consent");
	field_choice(&f, "topic", true, topics, &c->topic);
	field_string(&f, "message", true, 10, 5000, true, &c->message);
	field_choice(&f, "language", false, languages, &c->language);
	if (c->language == NULL)
		c->language = "es";
	if (field_honeypot(&f, "website")) {
		log_info("honeypot filled on comments: dropped");
		goto reply;
	}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	c->created_at = now_unix();
	c->has_consent_at = c->email != NULL;
	c->consent_at = c->created_at;
	if ((e = writer_run(r->writer, comment_tx, &j)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
reply:
	resp_accepted(r, "received");
out:
	fields_free(&f);
}

json_t *
comment_json(const struct comment *c)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:b, s:o, "
	    "s:o}", "id", (json_int_t)c->id, "topic", c->topic,
	    "name", c->name ? json_string(c->name) : json_null(),
	    "email", c->email ? json_string(c->email) : json_null(),
	    "message", c->message, "language", c->language,
	    "consent_at", json_time(c->has_consent_at, c->consent_at),
	    "created_at", json_time(true, c->created_at),
	    "handled", c->has_handled_at,
	    "handled_at", json_time(c->has_handled_at, c->handled_at),
	    "handled_by", c->handled_by ? json_string(c->handled_by) :
	    json_null());
}

static int
comment_add(const struct comment *c, void *arg)
{
	json_array_append_new(arg, comment_json(c));
	return 0;
}

int
query_choice(struct req *r, const struct kvlist *q, const char *key,
    const char *const *choices, const char **out)
{
	const struct kv *kv = form_get(q, key);

	*out = NULL;
	if (kv == NULL || kv->value_len == 0)
		return 0;
	for (size_t i = 0; choices[i] != NULL; i++)
		if (strcmp(kv->value, choices[i]) == 0 &&
		    strlen(choices[i]) == kv->value_len) {
			*out = choices[i];
			return 0;
		}
	resp_error(r, 400, "bad_request", NULL);
	return -1;
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
admin_comments_list(struct req *r)
{
	struct comment_query q = { 0 };
	struct kvlist	     kv;
	json_t		    *items;

	if (req_query(r, &kv) != 0 ||
	    req_page(r, &kv, &q.limit, &q.before_id) != 0 ||
	    query_choice(r, &kv, "topic", topics, &q.topic) != 0 ||
	    query_choice(r, &kv, "status", statuses, &q.status) != 0)
		return;
	items = json_array();
	q.limit++;
	resp_page(r, store_comments(r->store, r->arena, &q, comment_add, items),
	    items, q.limit - 1);
}

struct handled {
	int64_t	    id;
	bool	    handled;
	int64_t	    at;
	const char *by;
};

static enum db_err
handled_tx(struct store *s, void *arg)
{
	struct handled *h = arg;

	return store_comment_set_handled(s, h->id, h->handled, h->at, h->by);
}

void
admin_comment_handled(struct req *r)
{
	struct fields  f;
	struct handled h = { .at = now_unix(), .by = r->staff };
	bool	       present;
	enum db_err    e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (field_bool(&f, "handled", true, &present, &h.handled) != 0) {
		resp_invalid(r, &f);
		goto out;
	}
	h.id = strtoll(r->params[0], NULL, 10);
	e = admin_audit_run(r, h.handled ? "comment_handled" :
	    "comment_unhandled", r->params[0], NULL, handled_tx, &h);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, 200, json_pack("{s:I, s:b, s:o, s:o}", "id",
	    (json_int_t)h.id, "handled", h.handled,
	    "handled_at", json_time(h.handled, h.at),
	    "handled_by", h.handled ? json_string(h.by) : json_null()));
out:
	fields_free(&f);
}

static enum db_err
comments_write(struct store *s, const void *q, struct csv *c, uint64_t *rows)
{
	return export_comments(s, q, c, rows);
}

void
admin_export_comments(struct req *r)
{
	struct comment_query q = { 0 };
	struct kvlist	     kv;
	char		     sep;
	bool		     bom;

	if (req_query(r, &kv) != 0 || csv_params(r, &kv, &sep, &bom) != 0 ||
	    query_choice(r, &kv, "topic", topics, &q.topic) != 0 ||
	    query_choice(r, &kv, "status", statuses, &q.status) != 0)
		return;
	csv_download_run(r, "comments", sep, bom, comments_write, &q);
}
