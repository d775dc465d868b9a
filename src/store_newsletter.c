/*
 * store_newsletter.c: newsletter subscriptions and issues (see
 * store_newsletter.h). An issue is sent in steps: each step queues the
 * next subscribers after its cursor, so a restart resumes where it was.
 */
#include <string.h>

#include "store_impl.h"
#include "store_newsletter.h"

#define SUB_COLUMNS \
	"id, email, email_key, name, language, status, created_at, " \
	"confirmed_at, unsubscribed_at "
#define NL_COLUMNS \
	"id, subject_es, subject_en, subject_pt, subject_fr, body_es, " \
	"body_en, body_pt, body_fr, status, created_at, created_by, " \
	"send_started_at, sent_at, recipients, queued, cursor "

#define SUB_ADD_SQL \
	"INSERT INTO subscribers (email, email_key, name, language, status, " \
	"created_at) VALUES (?1, ?2, ?3, ?4, 'pending_confirmation', ?5)"
#define NL_ADD_SQL \
	"INSERT INTO newsletters (subject_es, subject_en, subject_pt, " \
	"subject_fr, body_es, body_en, body_pt, body_fr, created_at, " \
	"created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

enum newsletter_stmt {
	SUB_FIND,
	SUB_GET,
	SUB_ADD,
	SUB_RENEW,
	SUB_SET_STATUS,
	SUB_AFTER,
	SUB_EXPORT,
	NL_ADD,
	NL_GET,
	NL_LIST,
	NL_SENDING,
	NL_START,
	NL_PROGRESS,
	NEWSLETTER__MAX
};

static const char *const sql[NEWSLETTER__MAX] = {
	[SUB_FIND] = "SELECT " SUB_COLUMNS "FROM subscribers "
	    "WHERE email_key = ?",
	[SUB_GET] = "SELECT " SUB_COLUMNS "FROM subscribers WHERE id = ?",
	[SUB_ADD] = SUB_ADD_SQL,
	[SUB_RENEW] = "UPDATE subscribers SET email = ?1, email_key = ?2, "
	    "name = ?3, language = ?4, status = 'pending_confirmation', "
	    "created_at = ?5, confirmed_at = NULL, unsubscribed_at = NULL "
	    "WHERE id = ?6",
	[SUB_SET_STATUS] = "UPDATE subscribers SET status = ?2, "
	    "confirmed_at = CASE WHEN ?2 = 'subscribed' THEN ?3 "
	    "ELSE confirmed_at END, unsubscribed_at = CASE WHEN "
	    "?2 = 'unsubscribed' THEN ?3 ELSE NULL END WHERE id = ?1",
	[SUB_AFTER] = "SELECT " SUB_COLUMNS "FROM subscribers "
	    "WHERE status = 'subscribed' AND id > ?1 ORDER BY id LIMIT ?2",
	[SUB_EXPORT] = "SELECT id, created_at, confirmed_at, status, "
	    "email, name, language, (SELECT notice_version "
	    "FROM consents k WHERE k.subject = 'newsletter' AND k.ref_id = "
	    "subscribers.id ORDER BY k.id DESC LIMIT 1) FROM subscribers "
	    "ORDER BY id",
	[NL_ADD] = NL_ADD_SQL,
	[NL_GET] = "SELECT " NL_COLUMNS "FROM newsletters WHERE id = ?",
	[NL_LIST] = "SELECT " NL_COLUMNS "FROM newsletters "
	    "ORDER BY id DESC LIMIT 200",
	[NL_SENDING] = "SELECT " NL_COLUMNS "FROM newsletters "
	    "WHERE status = 'sending' ORDER BY id LIMIT 1",
	[NL_START] = "UPDATE newsletters SET status = 'sending', "
	    "send_started_at = ?2, recipients = (SELECT count(*) FROM "
	    "subscribers WHERE status = 'subscribed') "
	    "WHERE id = ?1 AND status = 'draft'",
	[NL_PROGRESS] = "UPDATE newsletters SET cursor = ?2, "
	    "queued = queued + ?3, status = CASE WHEN ?4 THEN 'sent' "
	    "ELSE status END, sent_at = CASE WHEN ?4 THEN ?5 ELSE sent_at END "
	    "WHERE id = ?1",
};

/* PostgreSQL: the new id back; a sign-up that another node inserted first
 * inserts nothing (DB_RETRY: the next run finds it). */
static const char *const sql_pg[NEWSLETTER__MAX] = {
	/* The row held by the round that queues its next recipients:
	 * a second node's round (a leader's handover) waits and then reads
	 * the cursor the first one moved. */
	[NL_SENDING] = "SELECT " NL_COLUMNS "FROM newsletters "
	    "WHERE status = 'sending' ORDER BY id LIMIT 1 FOR UPDATE",
	[SUB_ADD] = SUB_ADD_SQL " ON CONFLICT (email_key) DO NOTHING "
	    "RETURNING id",
	[NL_ADD] = NL_ADD_SQL " RETURNING id",
};

const struct stmt_set store_newsletter_set = { "newsletter", sql, sql_pg,
	NEWSLETTER__MAX };

static struct stmt *
q(struct store *s, enum newsletter_stmt id)
{
	return store_stmt(s, SET_NEWSLETTER, id);
}

/* Reads one row of SUB_COLUMNS. */
static void
subscriber_read(struct arena *arena, struct stmt *st, void *row)
{
	struct subscriber *out = row;

	memset(out, 0, sizeof(*out));
	out->id = col_int64(st, 0);
	out->email = col_text(arena, st, 1);
	out->email_key = col_text(arena, st, 2);
	out->name = col_text(arena, st, 3);
	out->language = col_text(arena, st, 4);
	out->status = col_text(arena, st, 5);
	out->created_at = col_int64(st, 6);
	out->has_confirmed_at = !col_null(st, 7);
	out->confirmed_at = col_int64(st, 7);
	out->has_unsubscribed_at = !col_null(st, 8);
	out->unsubscribed_at = col_int64(st, 8);
}

enum db_err
store_subscriber_find(struct store *s, struct arena *arena,
    const char *email_key, struct subscriber *out)
{
	struct stmt *st = q(s, SUB_FIND);

	bind_text(st, 1, email_key);
	return store_one(s, st, arena, subscriber_read, out, "subscriber");
}

enum db_err
store_subscriber_get(struct store *s, struct arena *arena, int64_t id,
    struct subscriber *out)
{
	struct stmt *st = q(s, SUB_GET);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, subscriber_read, out, "subscriber");
}

/* Binds ?1..?5 (email, email_key, name, language, created_at), shared by
 * SUB_ADD and SUB_RENEW. */
static void
subscriber_bind(struct stmt *st, const struct subscriber *sub)
{
	bind_text(st, 1, sub->email);
	bind_text(st, 2, sub->email_key);
	bind_text(st, 3, sub->name);
	bind_text(st, 4, sub->language);
	bind_int64(st, 5, sub->created_at);
}

enum db_err
store_subscriber_add(struct store *s, struct subscriber *sub)
{
	struct stmt *st = q(s, SUB_ADD);

	subscriber_bind(st, sub);
	return store_insert(s, st, &sub->id, "subscriber add");
}

enum db_err
store_subscriber_renew(struct store *s, const struct subscriber *sub)
{
	struct stmt *st = q(s, SUB_RENEW);

	subscriber_bind(st, sub);
	bind_int64(st, 6, sub->id);
	return store_exec(s, st, "subscriber renew");
}

enum db_err
store_subscriber_set_status(struct store *s, int64_t id, const char *status,
    int64_t now)
{
	struct stmt *st = q(s, SUB_SET_STATUS);

	bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_int64(st, 3, now);
	return store_exec(s, st, "subscriber status");
}

enum db_err
store_subscribers_after(struct store *s, struct arena *arena,
    int64_t after_id, int limit, store_subscriber_fn fn, void *arg)
{
	struct stmt	 *st = q(s, SUB_AFTER);
	struct subscriber sub;
	enum db_err	  e = DB_OK;

	bind_int64(st, 1, after_id);
	bind_int64(st, 2, limit);
	while (store_next(s, st, &e, "subscribers")) {
		subscriber_read(arena, st, &sub);
		if (fn(&sub, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_export_subscribers(struct store *s, store_row_fn fn, void *arg)
{
	return store_stream_rows(s, q(s, SUB_EXPORT),
	    EXPORT_SUBSCRIBER_COLUMNS, fn, arg, "export subscribers");
}

/* Reads one row of NL_COLUMNS. */
static void
newsletter_read(struct arena *arena, struct stmt *st, void *row)
{
	struct newsletter *n = row;

	memset(n, 0, sizeof(*n));
	n->id = col_int64(st, 0);
	for (int l = 0; l < LANG__MAX; l++) {
		n->subject[l] = col_text(arena, st, 1 + l);
		n->body[l] = col_text(arena, st, 5 + l);
	}
	n->status = col_text(arena, st, 9);
	n->created_at = col_int64(st, 10);
	n->created_by = col_text(arena, st, 11);
	n->has_send_started_at = !col_null(st, 12);
	n->send_started_at = col_int64(st, 12);
	n->has_sent_at = !col_null(st, 13);
	n->sent_at = col_int64(st, 13);
	n->recipients = col_int64(st, 14);
	n->queued = col_int64(st, 15);
	n->cursor = col_int64(st, 16);
}

enum db_err
store_newsletter_add(struct store *s, struct newsletter *n)
{
	struct stmt *st = q(s, NL_ADD);

	for (int l = 0; l < LANG__MAX; l++) {
		bind_text(st, 1 + l, n->subject[l]);
		bind_text(st, 5 + l, n->body[l]);
	}
	bind_int64(st, 9, n->created_at);
	bind_text(st, 10, n->created_by);
	return store_insert(s, st, &n->id, "newsletter add");
}

enum db_err
store_newsletter_get(struct store *s, struct arena *arena, int64_t id,
    struct newsletter *out)
{
	struct stmt *st = q(s, NL_GET);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, newsletter_read, out, "newsletter");
}

enum db_err
store_newsletter_sending(struct store *s, struct arena *arena,
    struct newsletter *out)
{
	return store_one(s, q(s, NL_SENDING), arena, newsletter_read, out, "newsletter");
}

enum db_err
store_newsletter_list(struct store *s, struct arena *arena,
    store_newsletter_fn fn, void *arg)
{
	struct stmt	 *st = q(s, NL_LIST);
	struct newsletter n;
	enum db_err	  e = DB_OK;

	while (store_next(s, st, &e, "newsletter list")) {
		newsletter_read(arena, st, &n);
		if (fn(&n, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_newsletter_start(struct store *s, int64_t id, int64_t now)
{
	struct stmt *st = q(s, NL_START);

	bind_int64(st, 1, id);
	bind_int64(st, 2, now);
	return store_exec_changed(s, st, "newsletter start");
}

enum db_err
store_newsletter_progress(struct store *s, int64_t id, int64_t cursor,
    int64_t n, bool done, int64_t now)
{
	struct stmt *st = q(s, NL_PROGRESS);

	bind_int64(st, 1, id);
	bind_int64(st, 2, cursor);
	bind_int64(st, 3, n);
	bind_int64(st, 4, done);
	bind_int64(st, 5, now);
	return store_exec(s, st, "newsletter progress");
}
