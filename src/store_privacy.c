/*
 * store_privacy.c: storage of newsletter subscriptions and issues, consent
 * records, and the personal-data operations: finding, exporting and
 * erasing everything about one mailbox, and the retention purge.
 */
#include <stddef.h>
#include <string.h>

#include "json_out.h"
#include "log.h"
#include "store_impl.h"
#include "token.h"

/* Reads one row of SUB_COLUMNS. */
static void
subscriber_read(struct arena *arena, sqlite3_stmt *st, struct subscriber *out)
{
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->email = col_text(arena, st, 1);
	out->email_key = col_text(arena, st, 2);
	out->name = col_text(arena, st, 3);
	out->language = col_text(arena, st, 4);
	out->status = col_text(arena, st, 5);
	out->created_at = sqlite3_column_int64(st, 6);
	out->has_confirmed_at = sqlite3_column_type(st, 7) != SQLITE_NULL;
	out->confirmed_at = sqlite3_column_int64(st, 7);
	out->has_unsubscribed_at = sqlite3_column_type(st, 8) != SQLITE_NULL;
	out->unsubscribed_at = sqlite3_column_int64(st, 8);
}

/* Runs a one-row subscriber lookup prepared in st. */
static enum db_err
subscriber_one(struct store *s, struct arena *arena, sqlite3_stmt *st,
    struct subscriber *out)
{
	enum db_err e = store_step_row(s, st, "subscriber");

	if (e != DB_OK)
		return e;
	subscriber_read(arena, st, out);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_subscriber_find(struct store *s, struct arena *arena,
    const char *email_key, struct subscriber *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SUB_FIND);

	sqlite3_bind_text(st, 1, email_key, -1, SQLITE_STATIC);
	return subscriber_one(s, arena, st, out);
}

enum db_err
store_subscriber_get(struct store *s, struct arena *arena, int64_t id,
    struct subscriber *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SUB_GET);

	sqlite3_bind_int64(st, 1, id);
	return subscriber_one(s, arena, st, out);
}

/* Binds ?1..?5 (email, email_key, name, language, created_at), shared by
 * SUB_ADD and SUB_RENEW. */
static void
subscriber_bind(sqlite3_stmt *st, const struct subscriber *sub)
{
	sqlite3_bind_text(st, 1, sub->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sub->email_key, -1, SQLITE_STATIC);
	bind_opt_text(st, 3, sub->name);
	sqlite3_bind_text(st, 4, sub->language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, sub->created_at);
}

enum db_err
store_subscriber_add(struct store *s, struct subscriber *sub)
{
	enum db_err e;

	subscriber_bind(store_stmt(s, STMT_SUB_ADD), sub);
	e = store_exec(s, STMT_SUB_ADD, "subscriber add");
	if (e == DB_OK)
		sub->id = sqlite3_last_insert_rowid(s->db);
	return e;
}

enum db_err
store_subscriber_renew(struct store *s, const struct subscriber *sub)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SUB_RENEW);

	subscriber_bind(st, sub);
	sqlite3_bind_int64(st, 6, sub->id);
	return store_exec(s, STMT_SUB_RENEW, "subscriber renew");
}

enum db_err
store_subscriber_set_status(struct store *s, int64_t id, const char *status,
    int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SUB_SET_STATUS);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return store_exec(s, STMT_SUB_SET_STATUS, "subscriber status");
}

enum db_err
store_subscribers_after(struct store *s, struct arena *arena,
    int64_t after_id, int limit, store_subscriber_fn fn, void *arg)
{
	sqlite3_stmt	 *st = store_stmt(s, STMT_SUB_AFTER);
	struct subscriber sub;
	int		  rc;

	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		subscriber_read(arena, st, &sub);
		if (fn(&sub, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "subscribers");
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_export_subscribers(struct store *s, store_row_fn fn, void *arg)
{
	return store_stream_rows(s, store_stmt(s, STMT_SUB_EXPORT),
	    EXPORT_SUBSCRIBER_COLUMNS, fn, arg, "export subscribers");
}

enum db_err
store_consent_add(struct store *s, const struct consent *c)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CONSENT_ADD);

	sqlite3_bind_text(st, 1, c->subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, c->ref_id);
	sqlite3_bind_int64(st, 3, c->given_at);
	bind_opt_text(st, 4, c->client_ip);
	sqlite3_bind_text(st, 5, c->notice_version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->language, -1, SQLITE_STATIC);
	bind_opt_text(st, 7, c->source);
	return store_exec(s, STMT_CONSENT_ADD, "consent add");
}

enum db_err
store_consent_withdraw(struct store *s, const char *subject, int64_t ref_id,
    int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CONSENT_WITHDRAW);

	sqlite3_bind_text(st, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ref_id);
	sqlite3_bind_int64(st, 3, now);
	return store_exec(s, STMT_CONSENT_WITHDRAW, "consent withdraw");
}

/* ---- newsletters ---- */

/* Reads one row of NL_COLUMNS. */
static void
newsletter_read(struct arena *arena, sqlite3_stmt *st, struct newsletter *n)
{
	memset(n, 0, sizeof(*n));
	n->id = sqlite3_column_int64(st, 0);
	for (int l = 0; l < LANG__MAX; l++) {
		n->subject[l] = col_text(arena, st, 1 + l);
		n->body[l] = col_text(arena, st, 5 + l);
	}
	n->status = col_text(arena, st, 9);
	n->created_at = sqlite3_column_int64(st, 10);
	n->created_by = col_text(arena, st, 11);
	n->has_send_started_at = sqlite3_column_type(st, 12) != SQLITE_NULL;
	n->send_started_at = sqlite3_column_int64(st, 12);
	n->has_sent_at = sqlite3_column_type(st, 13) != SQLITE_NULL;
	n->sent_at = sqlite3_column_int64(st, 13);
	n->recipients = sqlite3_column_int64(st, 14);
	n->queued = sqlite3_column_int64(st, 15);
	n->cursor = sqlite3_column_int64(st, 16);
}

enum db_err
store_newsletter_add(struct store *s, struct newsletter *n)
{
	sqlite3_stmt *st = store_stmt(s, STMT_NL_ADD);
	enum db_err   e;

	for (int l = 0; l < LANG__MAX; l++) {
		bind_opt_text(st, 1 + l, n->subject[l]);
		bind_opt_text(st, 5 + l, n->body[l]);
	}
	sqlite3_bind_int64(st, 9, n->created_at);
	bind_opt_text(st, 10, n->created_by);
	e = store_exec(s, STMT_NL_ADD, "newsletter add");
	if (e == DB_OK)
		n->id = sqlite3_last_insert_rowid(s->db);
	return e;
}

/* Runs a one-row newsletter lookup prepared in st. */
static enum db_err
newsletter_one(struct store *s, struct arena *arena, sqlite3_stmt *st,
    struct newsletter *out)
{
	enum db_err e = store_step_row(s, st, "newsletter");

	if (e != DB_OK)
		return e;
	newsletter_read(arena, st, out);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_newsletter_get(struct store *s, struct arena *arena, int64_t id,
    struct newsletter *out)
{
	sqlite3_bind_int64(store_stmt(s, STMT_NL_GET), 1, id);
	return newsletter_one(s, arena, store_stmt(s, STMT_NL_GET), out);
}

enum db_err
store_newsletter_sending(struct store *s, struct arena *arena,
    struct newsletter *out)
{
	return newsletter_one(s, arena, store_stmt(s, STMT_NL_SENDING), out);
}

enum db_err
store_newsletter_list(struct store *s, struct arena *arena,
    store_newsletter_fn fn, void *arg)
{
	sqlite3_stmt	 *st = store_stmt(s, STMT_NL_LIST);
	struct newsletter n;
	int		  rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		newsletter_read(arena, st, &n);
		if (fn(&n, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "newsletter list");
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_newsletter_start(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_NL_START);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	e = store_exec(s, STMT_NL_START, "newsletter start");
	if (e == DB_OK && sqlite3_changes(s->db) == 0)
		return DB_NOTFOUND;
	return e;
}

enum db_err
store_newsletter_progress(struct store *s, int64_t id, int64_t cursor,
    int64_t n, bool done, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_NL_PROGRESS);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, cursor);
	sqlite3_bind_int64(st, 3, n);
	sqlite3_bind_int(st, 4, done);
	sqlite3_bind_int64(st, 5, now);
	return store_exec(s, STMT_NL_PROGRESS, "newsletter progress");
}

/* Steps a SELECT count(*)-like statement into *n. */
static enum db_err
store_count(struct store *s, sqlite3_stmt *st, int64_t *n, const char *what)
{
	enum db_err e = store_step_row(s, st, what);

	if (e != DB_OK)
		return e;
	*n = sqlite3_column_int64(st, 0);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_outbox_unsent(struct store *s, const char *kind, int64_t *n)
{
	sqlite3_stmt *st = store_stmt(s, STMT_OUTBOX_UNSENT_KIND);

	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	return store_count(s, st, n, "outbox unsent");
}

/* ---- personal data ---- */

enum db_err
store_privacy_request_add(struct store *s, const char *email,
    const char *email_key, int64_t now, int64_t *id)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PRIV_REQUEST_ADD);
	enum db_err   e;

	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, email_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	e = store_exec(s, STMT_PRIV_REQUEST_ADD, "privacy request add");
	if (e == DB_OK)
		*id = sqlite3_last_insert_rowid(s->db);
	return e;
}

enum db_err
store_privacy_request_get(struct store *s, struct arena *arena, int64_t id,
    const char **email, const char **email_key, int64_t *created_at)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PRIV_REQUEST_GET);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, id);
	if ((e = store_step_row(s, st, "privacy request")) != DB_OK)
		return e;
	*email = col_text(arena, st, 0);
	*email_key = col_text(arena, st, 1);
	*created_at = sqlite3_column_int64(st, 2);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_person_known(struct store *s, const char *email_key, bool *known)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PRIV_KNOWN);
	int64_t	      n = 0;
	enum db_err   e;

	sqlite3_bind_text(st, 1, email_key, -1, SQLITE_STATIC);
	e = store_count(s, st, &n, "person known");
	*known = n != 0;
	return e;
}

/* Whether a column holds a time (its name ends in "_at"). */
static bool
column_is_time(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, "_at") == 0;
}

/* Runs export statement id for email_key into a new array at into[key]:
 * one object per row, keyed by column name. */
static enum db_err
export_section(struct store *s, enum stmt id, const char *email_key,
    json_t *into, const char *key)
{
	sqlite3_stmt *st = store_stmt(s, id);
	json_t	     *rows = json_array();
	int	      rc;

	json_object_set_new(into, key, rows);
	sqlite3_bind_text(st, 1, email_key, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();

		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const char *name = sqlite3_column_name(st, c);
			json_t	   *v;

			switch (sqlite3_column_type(st, c)) {
			case SQLITE_NULL:
				v = json_null();
				break;
			case SQLITE_INTEGER:
				if (column_is_time(name))
					v = json_time(true,
					    sqlite3_column_int64(st, c));
				else if (strcmp(name, "public") == 0)
					v = json_boolean(
					    sqlite3_column_int(st, c));
				else
					v = json_integer(
					    sqlite3_column_int64(st, c));
				break;
			default:
				v = json_stringn((const char *)
				    sqlite3_column_text(st, c),
				    (size_t)sqlite3_column_bytes(st, c));
				break;
			}
			json_object_set_new(o, name, v);
		}
		json_array_append_new(rows, o);
	}
	if (rc != SQLITE_DONE)
		return store_fail(s, st, rc, "person export");
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_person_export(struct store *s, const char *email_key, json_t *into)
{
	static const struct {
		enum stmt   id;
		const char *key;
	} sections[] = {
		{ STMT_PRIV_X_PLEDGES, "pledges" },
		{ STMT_PRIV_X_REGISTRATIONS, "registrations" },
		{ STMT_PRIV_X_SUBSCRIPTIONS, "subscriptions" },
		{ STMT_PRIV_X_CONSENTS, "consents" },
		{ STMT_PRIV_X_MAILS, "mails" },
	};
	enum db_err e = DB_OK;

	for (size_t i = 0; e == DB_OK && i < sizeof(sections) /
	    sizeof(sections[0]); i++)
		e = export_section(s, sections[i].id, email_key, into,
		    sections[i].key);
	return e;
}

enum db_err
store_person_addresses(struct store *s, const char *email_key,
    store_address_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PRIV_ADDRESSES);
	int	      rc;

	sqlite3_bind_text(st, 1, email_key, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(st, 0), arg);
	if (rc != SQLITE_DONE)
		return store_fail(s, st, rc, "person addresses");
	store_row_done(st);
	return DB_OK;
}

/* The named parameters of the erasure and purge statements. */
struct erase_binds {
	const char   *key;		/* :key, or NULL */
	unsigned char hash[TOKEN_HASH_LEN]; /* :hash, SHA-256 of key */
	int64_t	      now, stale;	/* :now, :stale */
	bool	      has_retention;
	int64_t	      retention;	/* :retention (NULL without) */
};

/* Binds those of b's values that statement st names. */
static void
erase_bind(sqlite3_stmt *st, const struct erase_binds *b)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(st, ":key")) > 0)
		sqlite3_bind_text(st, i, b->key, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":hash")) > 0)
		sqlite3_bind_blob(st, i, b->hash, sizeof(b->hash),
		    SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":now")) > 0)
		sqlite3_bind_int64(st, i, b->now);
	if ((i = sqlite3_bind_parameter_index(st, ":stale")) > 0)
		sqlite3_bind_int64(st, i, b->stale);
	if ((i = sqlite3_bind_parameter_index(st, ":retention")) > 0) {
		if (b->has_retention)
			sqlite3_bind_int64(st, i, b->retention);
		else
			sqlite3_bind_null(st, i);
	}
}

/* One step of an erasure or purge: a statement and the count it adds to. */
struct erase_step {
	enum stmt id;
	size_t	  count;	/* offsetof in struct erase_report, or -1 */
};
#define STEP(id, field) { id, offsetof(struct erase_report, field) }
#define STEP_UNCOUNTED(id) { id, (size_t)-1 }

/* Runs steps in order with b bound, adding the rows each changed to r. */
static enum db_err
erase_run(struct store *s, const struct erase_step *steps, size_t n,
    const struct erase_binds *b, struct erase_report *r)
{
	for (size_t i = 0; i < n; i++) {
		enum db_err e;

		erase_bind(store_stmt(s, steps[i].id), b);
		if ((e = store_exec(s, steps[i].id, "erase")) != DB_OK)
			return e;
		if (steps[i].count != (size_t)-1)
			*(int64_t *)(void *)((char *)r + steps[i].count) +=
			    sqlite3_changes(s->db);
	}
	return DB_OK;
}

enum db_err
store_person_erase(struct store *s, const char *email_key, int64_t now,
    struct erase_report *r)
{
	/* Mail, consents and tokens are found through the rows, so they go
	 * before the rows lose their address. */
	static const struct erase_step steps[] = {
		STEP(STMT_PRIV_OUTBOX_DELETE, mails_deleted),
		STEP(STMT_PRIV_CONSENTS_DELETE, consents_deleted),
		STEP(STMT_PRIV_TOKENS_DELETE, tokens_deleted),
		STEP(STMT_PRIV_PLEDGES_DELETE, pledges_deleted),
		STEP(STMT_PRIV_PLEDGES_ERASE, pledges_anonymised),
		STEP(STMT_PRIV_REGS_ERASE, registrations_anonymised),
		STEP(STMT_PRIV_SUBS_DELETE, subscriptions_deleted),
		STEP(STMT_PRIV_REQUESTS_DELETE, requests_deleted),
		/* The daily mail quota is keyed by the address's hash. */
		STEP_UNCOUNTED(STMT_PRIV_QUOTA_DELETE),
	};
	struct erase_binds b = { .key = email_key, .now = now };

	sha256(email_key, strlen(email_key), b.hash);
	return erase_run(s, steps, sizeof(steps) / sizeof(steps[0]), &b, r);
}

enum db_err
store_outbox_delete_recipient(struct store *s, const char *recipient,
    int64_t *n)
{
	enum db_err e;

	sqlite3_bind_text(store_stmt(s, STMT_PRIV_OUTBOX_RECIPIENT_DELETE), 1,
	    recipient, -1, SQLITE_STATIC);
	e = store_exec(s, STMT_PRIV_OUTBOX_RECIPIENT_DELETE, "outbox delete");
	if (e == DB_OK)
		*n += sqlite3_changes(s->db);
	return e;
}

enum db_err
store_purge(struct store *s, int64_t now, int64_t stale_before,
    bool has_retention, int64_t retention_end, struct erase_report *r)
{
	static const struct erase_step steps[] = {
		STEP(STMT_PURGE_PLEDGES_UNCONFIRMED, pledges_deleted),
		STEP(STMT_PURGE_SUBS_STALE, subscriptions_deleted),
		STEP(STMT_PURGE_PLEDGES_ENDED, pledges_anonymised),
		STEP(STMT_PURGE_REGS_ENDED, registrations_anonymised),
		STEP(STMT_PURGE_CONSENTS_ORPHANED, consents_deleted),
		STEP(STMT_PURGE_CONSENTS_ANONYMISE, consents_anonymised),
		STEP(STMT_PURGE_TOKENS, tokens_deleted),
		STEP(STMT_PURGE_REQUESTS, requests_deleted),
		STEP(STMT_PURGE_OUTBOX_SENT, mails_deleted),
	};
	struct erase_binds b = { .now = now, .stale = stale_before,
		.has_retention = has_retention, .retention = retention_end };

	return erase_run(s, steps, sizeof(steps) / sizeof(steps[0]), &b, r);
}

void
store_checkpoint_truncate(struct store *s)
{
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
	    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		log_error("checkpoint: %s", sqlite3_errmsg(s->db));
}
