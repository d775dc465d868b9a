/*
 * store_outbox.c: the mail outbox, and the daily mail quota per address
 * that its rows give (see store_outbox.h). A mail is queued in the transaction of the
 * change that causes it, so it goes out exactly when that change commits.
 */
#include <string.h>

#include "store_impl.h"
#include "store_outbox.h"

/* The last mail to an erased person leaves no address behind. */
#define OUTBOX_SENT_SET \
	"sent_at = ?2, message = NULL, vars = NULL, ics = NULL, " \
	"last_error = NULL, " \
	"attempts = attempts + 1, recipient = CASE " \
	"WHEN kind = 'privacy_erased' THEN '' ELSE recipient END, " \
	"email_key = CASE WHEN kind = 'privacy_erased' THEN NULL " \
	"ELSE email_key END"
#define OUTBOX_RETRY_SET \
	"attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3"
/* PostgreSQL's lease: the database's clock, in whole seconds. */
#define OUTBOX_DB_NOW "floor(extract(epoch FROM clock_timestamp()))::bigint"

enum outbox_stmt {
	OUTBOX_ADD,
	OUTBOX_DUE,
	OUTBOX_SENT,
	OUTBOX_RETRY,
	OUTBOX_RELEASE,
	OUTBOX_PENDING,
	OUTBOX_UNSENT_KIND,
	OUTBOX_KEY_DELETE,
	QUOTA_COUNT,
	OUTBOX__MAX
};

static const char *const sql[OUTBOX__MAX] = {
	[OUTBOX_ADD] = "INSERT INTO outbox (kind, recipient, message, "
	    "vars, ics, created_at, next_attempt_at, email_key, quota) "
	    "VALUES (?1, ?2, ?3, ?4, ?8, ?5, ?5, ?6, ?7)",
	[OUTBOX_DUE] = "SELECT id, recipient, message, attempts, kind, vars, "
	    "ics FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ? "
	    "ORDER BY next_attempt_at, id LIMIT ?",
	[OUTBOX_SENT] = "UPDATE outbox SET " OUTBOX_SENT_SET " WHERE id = ?1",
	[OUTBOX_RETRY] = "UPDATE outbox SET " OUTBOX_RETRY_SET " WHERE id = ?1",
	/* One mailer: nothing is claimed, nothing to release. */
	[OUTBOX_RELEASE] = "UPDATE outbox SET next_attempt_at = "
	    "next_attempt_at WHERE id = ?1 AND 0",
	[OUTBOX_PENDING] = "SELECT id, kind, created_at, attempts, "
	    "next_attempt_at, last_error, recipient, vars, message "
	    "FROM outbox WHERE sent_at IS NULL ORDER BY id",
	[OUTBOX_UNSENT_KIND] = "SELECT count(*) FROM outbox "
	    "WHERE sent_at IS NULL AND kind = ?",
	[OUTBOX_KEY_DELETE] = "DELETE FROM outbox WHERE email_key = ?",
	/* Today's limited mails of a key: a few rows of outbox_email_key. */
	[QUOTA_COUNT] = "SELECT count(*) FROM outbox WHERE email_key = ?1 "
	    "AND created_at >= ?2 AND quota = 1",
};

/*
 * PostgreSQL: ON CONFLICT names its target (and the row it updates); and
 * several nodes' mailers: due mail is claimed (sql/pg/002's claimed_by,
 * claimed_until) and each outcome ends the claim.
 */
static const char *const sql_pg[OUTBOX__MAX] = {
	[OUTBOX_DUE] = "WITH claimed AS (UPDATE outbox SET claimed_by = ?3, "
	    "claimed_until = " OUTBOX_DB_NOW " + ?4 "
	    "WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL "
	    "AND next_attempt_at <= ?1 AND (claimed_until IS NULL "
	    "OR claimed_until < " OUTBOX_DB_NOW ") "
	    "ORDER BY next_attempt_at, id LIMIT ?2 FOR UPDATE SKIP LOCKED) "
	    "RETURNING id, recipient, message, attempts, kind, vars, ics, "
	    "next_attempt_at) "
	    "SELECT id, recipient, message, attempts, kind, vars, ics "
	    "FROM claimed "
	    "ORDER BY next_attempt_at, id",
	[OUTBOX_SENT] = "UPDATE outbox SET " OUTBOX_SENT_SET ", "
	    "claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
	[OUTBOX_RETRY] = "UPDATE outbox SET " OUTBOX_RETRY_SET ", "
	    "claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
	[OUTBOX_RELEASE] = "UPDATE outbox SET claimed_by = NULL, "
	    "claimed_until = NULL WHERE id = ?1 AND sent_at IS NULL",
	/* The key's lock first (held to the end of the transaction): with
	 * several nodes, the count and the mail queued after it are one
	 * step. */
	[QUOTA_COUNT] = "SELECT (SELECT count(*) FROM outbox "
	    "WHERE email_key = ?1 AND created_at >= ?2 AND quota = 1) "
	    "FROM (SELECT pg_advisory_xact_lock(1768124269, "
	    "hashtext(?1))) AS key_lock",
};

const struct stmt_set store_outbox_set = { "outbox", sql, sql_pg,
	OUTBOX__MAX };

static struct stmt *
q(struct store *s, enum outbox_stmt id)
{
	return store_stmt(s, SET_OUTBOX, id);
}

enum db_err
store_mail_quota_count(struct store *s, const char *email_key, int64_t since,
    int64_t *n)
{
	struct stmt *st = q(s, QUOTA_COUNT);

	bind_text(st, 1, email_key);
	bind_int64(st, 2, since);
	return store_int64(s, st, n, "mail quota");
}

enum db_err
store_outbox_add(struct store *s, const struct outbox_new *m)
{
	struct stmt *st = q(s, OUTBOX_ADD);

	bind_text(st, 1, m->kind);
	bind_text(st, 2, m->recipient);
	bind_blob(st, 3, m->message, m->len);
	bind_text(st, 4, m->vars);
	bind_int64(st, 5, m->now);
	bind_text(st, 6, m->email_key);
	bind_int64(st, 7, m->quota);
	bind_text(st, 8, m->ics);
	return store_exec(s, st, "outbox add");
}

enum db_err
store_outbox_due(struct store *s, struct arena *arena, int64_t now,
    int limit, const char *node, int lease, store_outbox_fn fn, void *arg)
{
	struct stmt	  *st = q(s, OUTBOX_DUE);
	struct outbox_mail m;
	enum db_err	   e = DB_OK;

	bind_int64(st, 1, now);
	bind_int64(st, 2, limit);
	if (store_shared(s)) {
		bind_text(st, 3, node);
		bind_int64(st, 4, lease);
	}
	while (store_next(s, st, &e, "outbox due")) {
		size_t	    len;
		const void *blob = col_blob_ref(st, 2, &len);

		memset(&m, 0, sizeof(m));
		m.id = col_int64(st, 0);
		m.recipient = col_text(arena, st, 1);
		m.len = len;
		m.message = arena_strndup(arena, blob ? blob : "", m.len);
		m.attempts = col_int(st, 3);
		m.kind = col_text(arena, st, 4);
		m.vars = col_text(arena, st, 5);
		m.ics = col_text(arena, st, 6);
		if (fn(&m, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_outbox_pending(struct store *s, struct arena *arena,
    store_outbox_fn fn, void *arg)
{
	struct stmt	  *st = q(s, OUTBOX_PENDING);
	struct outbox_mail m;
	enum db_err	   e = DB_OK;

	while (store_next(s, st, &e, "outbox pending")) {
		memset(&m, 0, sizeof(m));
		m.id = col_int64(st, 0);
		m.kind = col_text(arena, st, 1);
		m.created_at = col_int64(st, 2);
		m.attempts = col_int(st, 3);
		m.next_attempt_at = col_int64(st, 4);
		m.last_error = col_text(arena, st, 5);
		m.recipient = col_text(arena, st, 6);
		m.vars = col_text(arena, st, 7);
		/* Borrowed until the next row: enough to read its subject. */
		m.message = col_blob_ref(st, 8, &m.len);
		if (fn(&m, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_outbox_sent(struct store *s, int64_t id, int64_t now)
{
	struct stmt *st = q(s, OUTBOX_SENT);

	bind_int64(st, 1, id);
	bind_int64(st, 2, now);
	return store_exec(s, st, "outbox sent");
}

enum db_err
store_outbox_retry(struct store *s, int64_t id, int64_t next_attempt_at,
    const char *error)
{
	struct stmt *st = q(s, OUTBOX_RETRY);

	bind_int64(st, 1, id);
	bind_int64(st, 2, next_attempt_at);
	bind_text(st, 3, error);
	return store_exec(s, st, "outbox retry");
}

enum db_err
store_outbox_release(struct store *s, int64_t id)
{
	struct stmt *st = q(s, OUTBOX_RELEASE);

	bind_int64(st, 1, id);
	return store_exec(s, st, "outbox release");
}

enum db_err
store_outbox_unsent(struct store *s, const char *kind, int64_t *n)
{
	struct stmt *st = q(s, OUTBOX_UNSENT_KIND);

	bind_text(st, 1, kind);
	return store_int64(s, st, n, "outbox unsent");
}

enum db_err
store_outbox_delete_key(struct store *s, const char *email_key, int64_t *n)
{
	struct stmt  *st = q(s, OUTBOX_KEY_DELETE);
	enum db_err   e;

	bind_text(st, 1, email_key);
	if ((e = store_exec(s, st, "outbox delete")) == DB_OK)
		*n += store_changes(s);
	return e;
}
