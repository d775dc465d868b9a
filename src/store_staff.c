/*
 * store_staff.c: staff accounts, sessions, the audit log, staff's pledge
 * listing, campaign edits and the streamed export (see store.h).
 */
#include <string.h>

#include "store_impl.h"

enum db_err
store_user_get(struct store *s, struct arena *arena, const char *username,
    struct user *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_USER_GET);
	enum db_err   e;

	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	if ((e = store_step_row(s, st, "user get")) != DB_OK)
		return e;
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->username = col_text(arena, st, 1);
	out->password_hash = col_text(arena, st, 2);
	out->disabled = sqlite3_column_int(st, 3) != 0;
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_user_add(struct store *s, const char *username, const char *hash)
{
	sqlite3_stmt *st = store_stmt(s, STMT_USER_ADD);

	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_unix());
	return store_exec(s, STMT_USER_ADD, "user add");
}

/* Runs an UPDATE of one user; DB_NOTFOUND when no row changed. */
static enum db_err
user_update(struct store *s, enum stmt id, const char *username,
    const char *text, int flag)
{
	sqlite3_stmt *st = store_stmt(s, id);
	enum db_err   e;

	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	if (text != NULL)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int(st, 2, flag);
	sqlite3_bind_int64(st, 3, now_unix());
	if ((e = store_exec(s, id, "user update")) != DB_OK)
		return e;
	if (sqlite3_changes(s->db) == 0)
		return DB_NOTFOUND;
	sqlite3_bind_text(store_stmt(s, STMT_SESSIONS_OF_USER_DELETE), 1, username,
	    -1, SQLITE_STATIC);
	return store_exec(s, STMT_SESSIONS_OF_USER_DELETE, "sessions delete");
}

enum db_err
store_user_set_password(struct store *s, const char *username,
    const char *hash)
{
	return user_update(s, STMT_USER_PASSWORD, username, hash, 0);
}

enum db_err
store_user_set_disabled(struct store *s, const char *username, bool disabled)
{
	return user_update(s, STMT_USER_DISABLE, username, NULL, disabled);
}

enum db_err
store_user_list(struct store *s, struct arena *arena, store_user_fn fn,
    void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_USER_LIST);
	struct user   u;
	int	      rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&u, 0, sizeof(u));
		u.id = sqlite3_column_int64(st, 0);
		u.username = col_text(arena, st, 1);
		u.disabled = sqlite3_column_int(st, 2) != 0;
		u.created_at = sqlite3_column_int64(st, 3);
		if (fn(&u, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "user list");
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_session_add(struct store *s, const unsigned char hash[32],
    int64_t user_id, int64_t expires_at)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SESSION_ADD);

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now_unix());
	sqlite3_bind_int64(st, 4, expires_at);
	return store_exec(s, STMT_SESSION_ADD, "session add");
}

enum db_err
store_session_get(struct store *s, struct arena *arena,
    const unsigned char hash[32], struct user *out, int64_t *expires_at)
{
	sqlite3_stmt *st = store_stmt(s, STMT_SESSION_GET);
	enum db_err   e;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	if ((e = store_step_row(s, st, "session get")) != DB_OK)
		return e;
	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	out->username = col_text(arena, st, 1);
	*expires_at = sqlite3_column_int64(st, 2);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_session_delete(struct store *s, const unsigned char hash[32])
{
	sqlite3_bind_blob(store_stmt(s, STMT_SESSION_DELETE), 1, hash, 32,
	    SQLITE_STATIC);
	return store_exec(s, STMT_SESSION_DELETE, "session delete");
}

enum db_err
store_sessions_purge(struct store *s, int64_t now)
{
	sqlite3_bind_int64(store_stmt(s, STMT_SESSIONS_PURGE), 1, now);
	return store_exec(s, STMT_SESSIONS_PURGE, "sessions purge");
}

enum db_err
store_audit_add(struct store *s, const char *username, const char *action,
    const char *target, const char *detail)
{
	sqlite3_stmt *st = store_stmt(s, STMT_AUDIT_ADD);

	sqlite3_bind_int64(st, 1, now_unix());
	sqlite3_bind_text(st, 2, username, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	bind_opt_text(st, 4, target);
	bind_opt_text(st, 5, detail);
	return store_exec(s, STMT_AUDIT_ADD, "audit add");
}

enum db_err
store_audit_list(struct store *s, struct arena *arena, int64_t before_id,
    int limit, store_audit_fn fn, void *arg)
{
	sqlite3_stmt	  *st = store_stmt(s, STMT_AUDIT_LIST);
	struct audit_entry a;
	int		   rc;

	sqlite3_bind_int64(st, 1, before_id);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.id = sqlite3_column_int64(st, 0);
		a.at = sqlite3_column_int64(st, 1);
		a.username = col_text(arena, st, 2);
		a.action = col_text(arena, st, 3);
		a.target = col_text(arena, st, 4);
		a.detail = col_text(arena, st, 5);
		if (fn(&a, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "audit list");
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_admin_pledges(struct store *s, struct arena *arena,
    const struct admin_pledge_query *q, store_pledge_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_ADMIN_PLEDGES);
	struct pledge p;
	int	      rc;

	bind_opt_int64(st, 1, q->has_campaign, q->campaign_id);
	bind_opt_text(st, 2, q->status);
	sqlite3_bind_int64(st, 3, q->before_id);
	sqlite3_bind_int(st, 4, q->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_pledge_read(arena, st, &p);
		if (fn(&p, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, "admin pledges");

		sqlite3_clear_bindings(st);
		return e;
	}
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_campaign_update(struct store *s, const struct campaign *c)
{
	sqlite3_stmt *st = store_stmt(s, STMT_CAMPAIGN_UPDATE);
	enum db_err   e;

	sqlite3_bind_text(st, 1, c->slug, -1, SQLITE_STATIC);
	for (int l = 0; l < LANG__MAX; l++) {
		sqlite3_bind_text(st, 2 + l, c->title[l], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6 + l, c->description[l] ?
		    c->description[l] : "", -1, SQLITE_STATIC);
	}
	bind_opt_int64(st, 10, c->has_goal, c->goal);
	bind_opt_int64(st, 11, c->has_opens_at, c->opens_at);
	bind_opt_int64(st, 12, c->has_closes_at, c->closes_at);
	sqlite3_bind_int(st, 13, c->paused);
	sqlite3_bind_int64(st, 14, now_unix());
	if ((e = store_exec(s, STMT_CAMPAIGN_UPDATE, "campaign update")) != DB_OK)
		return e;
	return sqlite3_changes(s->db) == 0 ? DB_NOTFOUND : DB_OK;
}

enum db_err
store_export_pledges(struct store *s, const struct export_query *q,
    store_row_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_EXPORT_PLEDGES);
	bind_opt_int64(st, 1, q->has_campaign, q->campaign_id);
	bind_opt_text(st, 2, q->status);
	bind_opt_int64(st, 3, q->has_from, q->from);
	bind_opt_int64(st, 4, q->has_to, q->to);
	return store_stream_rows(s, st, EXPORT_PLEDGE_COLUMNS, fn, arg,
	    "export pledges");
}
