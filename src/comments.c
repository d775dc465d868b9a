/*
 * comments.c: comments from the contact page. The public endpoint (JSON or
 * browser form) stores a comment and mails staff a note of it; staff list
 * them newest first, mark them handled and export them as CSV; a person's
 * own comments for the privacy export.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "comments.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "outbox.h"
#include "response.h"
#include "store.h"
#include "store_comments.h"
#include "validate.h"
#include "writer.h"

static const char *const topics[] = { "general", "pledges", "events",
	"partnership", "press", "other", NULL };
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

	if (req_submission(r, &f) != 0)
		return;
	field_string(&f, "name", false, 0, 120, false, &c->name);
	/* Consent is needed only to keep an address. */
	if (field_email(&f, "email", false, &c->email) != 0 || c->email != NULL)
		field_true(&f, "consent");
	field_choice(&f, "topic", true, topics, &c->topic);
	field_string(&f, "message", true, 10, 5000, true, &c->message);
	field_language(&f, "language", &c->language);
	if (field_honeypot(&f, "website")) {
		log_info("honeypot filled on comments: dropped");
		goto reply;
	}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	c->email_key = c->email ? email_normalise(r->arena, c->email) : NULL;
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

/* Every field of a comment (a new reference), for staff and for the
 * person's own export. */
static json_t *
comment_json(const struct comment *c)
{
	return json_pack("{s:I, s:s, s:o, s:o, s:s, s:s, s:o, s:o, s:b, s:o, "
	    "s:o}", "id", (json_int_t)c->id, "topic", c->topic,
	    "name", json_opt_str(c->name), "email", json_opt_str(c->email),
	    "message", c->message, "language", c->language,
	    "consent_at", json_time(c->has_consent_at, c->consent_at),
	    "created_at", json_time(true, c->created_at),
	    "handled", c->has_handled_at,
	    "handled_at", json_time(c->has_handled_at, c->handled_at),
	    "handled_by", json_opt_str(c->handled_by));
}

static int
comment_add(const struct comment *c, void *arg)
{
	json_array_append_new(arg, comment_json(c));
	return 0;
}

void
comments_list(struct req *r)
{
	struct comment_query q = { 0 };
	struct kvlist	     kv;
	json_t		    *items;

	if (req_query(r, &kv) != 0 ||
	    req_page(r, &kv, &q.limit, &q.before_id) != 0 ||
	    req_query_choice(r, &kv, "topic", topics, &q.topic) != 0 ||
	    req_query_choice(r, &kv, "status", statuses, &q.status) != 0)
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
comments_handled(struct req *r)
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
	e = audit_run(r, h.handled ? "comment_handled" :
	    "comment_unhandled", r->params[0], NULL, handled_tx, &h);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, 200, json_pack("{s:I, s:b, s:o, s:o}", "id",
	    (json_int_t)h.id, "handled", h.handled,
	    "handled_at", json_time(h.handled, h.at),
	    "handled_by", json_opt_str(h.handled ? h.by : NULL)));
out:
	fields_free(&f);
}

/* ---- the comments CSV (download.h) ---- */

static const char *const export_columns[] = {
	"id", "created_at", "topic", "language", "name", "email", "message",
	"handled_at", "handled_by",
};
static const char *const export_params[] = { "topic", "status", NULL };
#define EXPORT_KINDS "itsssssts"
_Static_assert(sizeof(EXPORT_KINDS) - 1 == EXPORT_COMMENT_COLUMNS, "kinds");

static int
export_read(struct export_params *p)
{
	struct comment_query *q = p->query;

	if (form_choice(p->q, (p->bad = "topic"), topics, &q->topic) != 0 ||
	    form_choice(p->q, (p->bad = "status"), statuses, &q->status) != 0)
		return -1;
	p->bad = NULL;
	return 0;
}

static enum db_err
export_rows(struct store *s, const void *q, store_row_fn fn, void *arg)
{
	return store_export_comments(s, q, fn, arg);
}

const struct export comments_export = {
	.name = "comments",
	.columns = export_columns,
	.kinds = EXPORT_KINDS,
	.params = export_params,
	.query_size = sizeof(struct comment_query),
	.read = export_read,
	.rows = export_rows,
};

/* ---- personal data (privacy.c) ---- */

enum db_err
comments_privacy_export(struct store *s, struct arena *a,
    const char *email_key, json_t *into)
{
	json_t	   *items = json_array();
	enum db_err e = store_comments_of_key(s, a, email_key, comment_add,
	    items);

	if (e != DB_OK) {
		json_decref(items);
		return e;
	}
	json_object_set_new(into, "comments", items);
	return DB_OK;
}
