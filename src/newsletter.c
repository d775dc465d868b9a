/*
 * newsletter.c: the newsletter. Sign-up with double opt-in (always the
 * same reply) and its confirmation job, one-click unsubscribe (RFC 8058),
 * the staff side (writing an issue, starting its sending, the subscribers
 * CSV), and the paced sending itself, which the scheduler runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "consent.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "newsletter.h"
#include "outbox.h"
#include "response.h"
#include "store_outbox.h"
#include "token.h"
#include "writer.h"

#define CONFIRM_TOKEN_SECS	(7 * 86400)
/* An unsubscribe link keeps working long after its mail was sent. */
#define UNSUBSCRIBE_TOKEN_SECS	(400 * 86400)

/* ---- signing up ---- */

struct subscribe_job {
	const struct config *cfg;
	struct arena	    *arena;
	struct subscriber    sub;
	struct consent	     consent;
};

static enum db_err
subscribe_tx(struct store *s, void *arg)
{
	struct subscribe_job *j = arg;
	struct subscriber     old;
	struct mail_vars      vars = { .name = j->sub.name };
	enum lang	      lang = (enum lang)lang_from_code(j->sub.language);
	bool		      queued;
	enum db_err	      e;

	j->sub.created_at = now_unix();
	e = store_subscriber_find(s, j->arena, j->sub.email_key, &old);
	if (e == DB_OK && strcmp(old.status, SUB_SUBSCRIBED) == 0)
		/* Nothing changes; the owner of the mailbox is told. */
		return outbox_queue(s, j->arena, j->cfg,
		    MAIL_NEWSLETTER_ALREADY, lang, j->sub.email,
		    j->sub.email_key, &vars, NULL, 0, &queued);
	if (e == DB_OK) {
		/* Pending or unsubscribed: a fresh opt-in on the same row. */
		j->sub.id = old.id;
		e = store_subscriber_renew(s, &j->sub);
	} else if (e == DB_NOTFOUND)
		e = store_subscriber_add(s, &j->sub);
	if (e != DB_OK)
		return e;
	j->consent.ref_id = j->sub.id;
	if ((e = store_consent_add(s, &j->consent)) != DB_OK ||
	    (e = outbox_link(s, j->arena, j->cfg, "newsletter", j->sub.id,
	    j->sub.created_at, j->sub.created_at + CONFIRM_TOKEN_SECS,
	    "/confirm.html", "&kind=newsletter", &vars.link)) != DB_OK)
		return e;
	return outbox_queue(s, j->arena, j->cfg, MAIL_NEWSLETTER_CONFIRM,
	    lang, j->sub.email, j->sub.email_key, &vars, NULL, 0, &queued);
}

void
newsletter_subscribe(struct req *r)
{
	struct fields	     f;
	struct subscribe_job j = { .cfg = r->cfg, .arena = r->arena };
	enum db_err	     e;

	if (req_submission(r, &f) != 0)
		return;
	field_email(&f, "email", true, &j.sub.email);
	field_string(&f, "name", false, 0, 120, false, &j.sub.name);
	field_language(&f, "language", &j.sub.language);
	field_true(&f, "consent");
	/* A bot filled the hidden field: look successful, store nothing. */
	if (field_honeypot(&f, "website")) {
		log_info("honeypot filled on the newsletter: dropped");
		goto reply;
	}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	j.sub.email_key = email_normalise(r->arena, j.sub.email);
	consent_prepare(r, &f, "newsletter", j.sub.language, &j.consent);
	if ((e = writer_run(r->writer, subscribe_tx, &j)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
reply:
	resp_accepted(r, "pending_confirmation");
out:
	fields_free(&f);
}

enum db_err
newsletter_confirm_tx(struct store *s, struct arena *arena, int64_t ref)
{
	struct subscriber sub;
	enum db_err	  e;

	if ((e = store_subscriber_get(s, arena, ref, &sub)) != DB_OK)
		return e;
	if (strcmp(sub.status, SUB_UNSUBSCRIBED) == 0)
		return DB_NOTFOUND;
	if (strcmp(sub.status, SUB_PENDING) != 0)
		return DB_OK;
	return store_subscriber_set_status(s, sub.id, SUB_SUBSCRIBED,
	    now_unix());
}

/* ---- unsubscribing ---- */

struct unsubscribe_job {
	int64_t id;
};

static enum db_err
unsubscribe_tx(struct store *s, void *arg)
{
	struct unsubscribe_job *j = arg;
	int64_t			now = now_unix();
	enum db_err		e;

	/* Erased meanwhile: the row is gone, and so is the subscription. */
	e = store_subscriber_set_status(s, j->id, SUB_UNSUBSCRIBED, now);
	if (e != DB_OK)
		return e;
	return store_consent_withdraw(s, "newsletter", j->id, now);
}

void
newsletter_unsubscribe(struct req *r)
{
	struct fields	       f = { 0 };
	struct unsubscribe_job j;
	struct token_keys      keys;
	const char	      *kind;
	int64_t		       expires;
	enum db_err	       e;

	/*
	 * RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click"
	 * (urlencoded or multipart) to the URL with the token in its query,
	 * without cookies. Then the body does not matter and is not read.
	 * Without ?token=, a JSON or form body carries it.
	 */
	if (form_get(&r->query_kv, "token") == NULL &&
	    req_body_fields(r, true, &f) != 0)
		return;
	if (req_token(r, &f, true, &keys) != 0)
		goto out;
	e = store_token_find(r->store, r->arena, &keys, &kind, &j.id,
	    &expires);
	if (e == DB_OK && (kind == NULL || strcmp(kind, "unsubscribe") != 0 ||
	    expires < now_unix()))
		e = DB_NOTFOUND;
	if (e == DB_OK)
		e = writer_run(r->writer, unsubscribe_tx, &j);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, 200, json_pack("{s:s}", "status", "unsubscribed"));
out:
	fields_free(&f);
}

/* ---- staff: issues ---- */

void
newsletter_fields(struct fields *f, struct newsletter *n)
{
	field_langs(f, "subject", false, true, 200, false, n->subject);
	field_langs(f, "body", false, true, 20000, true, n->body);
	if (n->subject[LANG_ES] == NULL)
		fields_fail(f, "subject.es", REASON_REQUIRED);
	if (n->body[LANG_ES] == NULL)
		fields_fail(f, "body.es", REASON_REQUIRED);
}

static json_t *
newsletter_json(const struct newsletter *n)
{
	return json_pack("{s:I, s:o, s:o, s:s, s:o, s:o, s:o, s:I, s:I}",
	    "id", (json_int_t)n->id,
	    "subject", json_langs_or_null(n->subject),
	    "body", json_langs_or_null(n->body),
	    "status", n->status, "created_at", json_time(true, n->created_at),
	    "send_started_at", json_time(n->has_send_started_at,
	    n->send_started_at), "sent_at", json_time(n->has_sent_at,
	    n->sent_at), "recipients", (json_int_t)n->recipients, "queued",
	    (json_int_t)n->queued);
}

static int
newsletter_add_json(const struct newsletter *n, void *arg)
{
	json_array_append_new(arg, newsletter_json(n));
	return 0;
}

void
newsletter_issues(struct req *r)
{
	json_t *items = json_array();

	resp_items(r, store_newsletter_list(r->store, r->arena,
	    newsletter_add_json, items), items);
}

static enum db_err
newsletter_add_tx(struct store *s, void *arg)
{
	return store_newsletter_add(s, arg);
}

void
newsletter_issue_create(struct req *r)
{
	struct fields	  f;
	struct newsletter n = { .created_at = now_unix(),
		.created_by = r->staff };
	char		  target[24];
	enum db_err	  e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	newsletter_fields(&f, &n);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	e = audit_run(r, "newsletter_create", NULL, NULL,
	    newsletter_add_tx, &n);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	snprintf(target, sizeof(target), "%" PRId64, n.id);
	resp_header(r, "Location", "/api/v1/admin/newsletters/%s", target);
	resp_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)n.id,
	    "status", "draft"));
out:
	fields_free(&f);
}

struct send_job {
	int64_t id;
};

static enum db_err
newsletter_start_tx(struct store *s, void *arg)
{
	struct send_job *j = arg;

	return store_newsletter_start(s, j->id, now_unix());
}

void
newsletter_issue_send(struct req *r)
{
	struct send_job	  j;
	struct newsletter n;
	enum db_err	  e;

	j.id = strtoll(r->params[0], NULL, 10);	/* digits: see router.c */
	e = store_newsletter_get(r->store, r->arena, j.id, &n);
	if (e == DB_OK && strcmp(n.status, "draft") != 0) {
		/* Sending twice is refused: nobody gets an issue twice. */
		resp_error(r, 409, "already_sent", NULL);
		return;
	}
	if (e == DB_OK)
		e = audit_run(r, "newsletter_send", r->params[0], NULL,
		    newsletter_start_tx, &j);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 202, json_pack("{s:s}", "status", "sending"));
}

/* ---- sending (on the mail sender's thread) ---- */

struct feed {
	struct store	    *s;
	struct arena	    *arena;
	const struct config *cfg;
	struct newsletter   *n;
	int64_t		     cursor, queued;
	enum db_err	     e;
};

static const char *const footer[LANG__MAX] = {
	[LANG_ES] = "Recibes este boletín porque te suscribiste en I COMMIT. "
	    "Para darte de baja:",
	[LANG_EN] = "You receive this newsletter because you subscribed at "
	    "I COMMIT. To unsubscribe:",
	[LANG_PT] = "Você recebe este boletim porque se inscreveu no "
	    "I COMMIT. Para cancelar a inscrição:",
	[LANG_FR] = "Vous recevez cette lettre parce que vous vous êtes "
	    "abonné sur I COMMIT. Pour vous désabonner :",
};

/* Queues the issue for one subscriber, in their language (Spanish when
 * the issue lacks it), with a fresh unsubscribe token. */
static int
feed_one(const struct subscriber *sub, void *arg)
{
	struct feed *fd = arg;
	int	     l = lang_from_code(sub->language);
	const char  *page, *text;
	char	    *oneclick, *buf;
	int64_t	     now;
	size_t	     len;

	if (l < 0 || fd->n->subject[l] == NULL || fd->n->body[l] == NULL)
		l = LANG_ES;
	now = now_unix();
	fd->e = outbox_link(fd->s, fd->arena, fd->cfg, "unsubscribe", sub->id,
	    now, now + UNSUBSCRIBE_TOKEN_SECS, "/unsubscribe.html", NULL, &page);
	if (fd->e != DB_OK)
		return 1;
	/* The same token for the one-click URL of the header. */
	len = strlen(fd->cfg->base_url) + strlen(page) + 32;
	oneclick = arena_alloc(fd->arena, len);
	snprintf(oneclick, len, "%s/api/v1/newsletter/unsubscribe%s",
	    fd->cfg->base_url, strchr(page + strlen(fd->cfg->base_url), '?'));
	len = strlen(fd->n->body[l]) + strlen(footer[l]) + strlen(page) + 16;
	buf = arena_alloc(fd->arena, len);
	snprintf(buf, len, "%s\n\n-- \n%s\n%s\n", fd->n->body[l], footer[l],
	    page);
	text = buf;
	fd->e = outbox_queue_text(fd->s, fd->arena, fd->cfg,
	    MAIL_NEWSLETTER_ISSUE, sub->email, fd->n->subject[l], text,
	    oneclick);
	if (fd->e != DB_OK)
		return 1;
	fd->cursor = sub->id;
	fd->queued++;
	return 0;
}

/* The writer job of a round: the next recipients of the issue being sent
 * (read again here, on the writer's connection) and its progress. */
static enum db_err
feed_tx(struct store *s, void *arg)
{
	struct feed *fd = arg;
	enum db_err  e;

	fd->s = s;
	fd->queued = 0;		/* a run again (writer.h) starts afresh */
	fd->e = DB_OK;
	if ((e = store_newsletter_sending(s, fd->arena, fd->n)) != DB_OK)
		return e;
	fd->cursor = fd->n->cursor;
	e = store_subscribers_after(s, fd->arena, fd->n->cursor,
	    NEWSLETTER_BATCH, feed_one, fd);
	if (e == DB_OK)
		e = fd->e;
	if (e == DB_OK)
		e = store_newsletter_progress(s, fd->n->id, fd->cursor,
		    fd->queued, fd->queued < NEWSLETTER_BATCH, now_unix());
	return e;
}

int
newsletter_feed(struct store *s, struct writer *w, struct arena *arena,
    const struct config *cfg)
{
	struct newsletter n;
	struct feed	  fd = { NULL, arena, cfg, &n, 0, 0, DB_OK };
	int64_t		  waiting;
	enum db_err	  e;

	e = store_newsletter_sending(s, arena, &n);
	if (e == DB_NOTFOUND)
		return 0;
	if (e != DB_OK || store_outbox_unsent(s,
	    mail_kind_names[MAIL_NEWSLETTER_ISSUE], &waiting) != DB_OK)
		return -1;
	if (waiting >= NEWSLETTER_WINDOW)
		return 0;
	e = writer_run(w, feed_tx, &fd);
	if (e == DB_NOTFOUND)	/* finished meanwhile */
		return 0;
	if (e != DB_OK) {
		log_error("newsletter %" PRId64 ": a round of its sending "
		    "failed: %s", n.id, db_strerror(e));
		return -1;
	}
	if (fd.queued < NEWSLETTER_BATCH)
		log_info("newsletter %" PRId64 " queued for every subscriber",
		    n.id);
	return (int)fd.queued;
}

/* ---- the subscribers CSV (download.h) ---- */

static const char *const export_columns[] = {
	"id", "subscribed_at", "confirmed_at", "status", "email", "name",
	"language", "consent_version",
};
static const char *const export_params[] = { NULL };
#define EXPORT_KINDS "ittsssss"
_Static_assert(sizeof(EXPORT_KINDS) - 1 == EXPORT_SUBSCRIBER_COLUMNS,
    "kinds");

static enum db_err
export_rows(struct store *s, const void *unused, store_row_fn fn, void *arg)
{
	(void)unused;
	return store_export_subscribers(s, fn, arg);
}

const struct export subscribers_export = {
	.name = "subscribers",
	.columns = export_columns,
	.kinds = EXPORT_KINDS,
	.params = export_params,
	.rows = export_rows,
};
