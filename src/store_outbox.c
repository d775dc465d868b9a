/*
 * store_outbox.c: tokens, the mail outbox and the daily mail quota in
 * SQLite (see store.h).
 */
#include <string.h>

#include "store_impl.h"

enum db_err
store_token_add(struct store *s, const unsigned char hash[32],
    const char *kind, int64_t ref_id, int64_t expires_at)
{
	sqlite3_stmt *st = store_stmt(s, STMT_TOKEN_ADD);

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ref_id);
	sqlite3_bind_int64(st, 4, now_unix());
	sqlite3_bind_int64(st, 5, expires_at);
	return store_exec(s, STMT_TOKEN_ADD, "token add");
}

enum db_err
store_token_find(struct store *s, struct arena *arena,
    const unsigned char hash[32], const char **kind, int64_t *ref_id,
    int64_t *expires_at)
{
	sqlite3_stmt *st = store_stmt(s, STMT_TOKEN_FIND);
	int	      rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		enum db_err e = store_fail(s, st, rc, "token find");

		sqlite3_clear_bindings(st);
		return e;
	}
	*kind = col_text(arena, st, 0);
	*ref_id = sqlite3_column_int64(st, 1);
	*expires_at = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return DB_OK;
}

enum db_err
store_mail_quota_take(struct store *s, const unsigned char address_hash[32],
    int64_t day, int limit, bool *allowed)
{
	sqlite3_stmt *st = store_stmt(s, STMT_QUOTA_TAKE);
	enum db_err   e;

	sqlite3_bind_blob(st, 1, address_hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, day);
	sqlite3_bind_int(st, 3, limit);
	e = store_exec(s, STMT_QUOTA_TAKE, "mail quota");
	*allowed = e == DB_OK && sqlite3_changes(s->db) == 1;
	return e;
}

enum db_err
store_mail_quota_purge(struct store *s, int64_t before_day)
{
	sqlite3_bind_int64(store_stmt(s, STMT_QUOTA_PURGE), 1, before_day);
	return store_exec(s, STMT_QUOTA_PURGE, "mail quota purge");
}

enum db_err
store_outbox_add(struct store *s, const char *kind, const char *recipient,
    const char *message, size_t len, const char *vars, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_OUTBOX_ADD);

	sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, recipient, -1, SQLITE_STATIC);
	if (message != NULL)
		sqlite3_bind_blob64(st, 3, message, len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, vars, -1, SQLITE_STATIC);	/* NULL: NULL */
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, now);
	return store_exec(s, STMT_OUTBOX_ADD, "outbox add");
}

enum db_err
store_outbox_due(struct store *s, struct arena *arena, int64_t now,
    int limit, store_outbox_fn fn, void *arg)
{
	sqlite3_stmt	  *st = store_stmt(s, STMT_OUTBOX_DUE);
	struct outbox_mail m;
	int		   rc;

	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.id = sqlite3_column_int64(st, 0);
		m.recipient = col_text(arena, st, 1);
		m.len = (size_t)sqlite3_column_bytes(st, 2);
		m.message = arena_strndup(arena, sqlite3_column_blob(st, 2) ?
		    sqlite3_column_blob(st, 2) : "", m.len);
		m.attempts = sqlite3_column_int(st, 3);
		m.kind = col_text(arena, st, 4);
		m.vars = col_text(arena, st, 5);
		if (fn(&m, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "outbox due");
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_outbox_pending(struct store *s, struct arena *arena,
    store_outbox_fn fn, void *arg)
{
	sqlite3_stmt	  *st = store_stmt(s, STMT_OUTBOX_PENDING);
	struct outbox_mail m;
	int		   rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		m.id = sqlite3_column_int64(st, 0);
		m.kind = col_text(arena, st, 1);
		m.created_at = sqlite3_column_int64(st, 2);
		m.attempts = sqlite3_column_int(st, 3);
		m.next_attempt_at = sqlite3_column_int64(st, 4);
		m.last_error = col_text(arena, st, 5);
		if (fn(&m, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "outbox pending");
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_outbox_sent(struct store *s, int64_t id, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_OUTBOX_SENT);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return store_exec(s, STMT_OUTBOX_SENT, "outbox sent");
}

enum db_err
store_outbox_retry(struct store *s, int64_t id, int64_t next_attempt_at,
    const char *error)
{
	sqlite3_stmt *st = store_stmt(s, STMT_OUTBOX_RETRY);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, next_attempt_at);
	sqlite3_bind_text(st, 3, error, -1, SQLITE_TRANSIENT);
	return store_exec(s, STMT_OUTBOX_RETRY, "outbox retry");
}
