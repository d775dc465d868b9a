/*
 * store_staff.c: staff accounts, their sessions and the audit log (see
 * store_staff.h). Passwords and session tokens are stored
 * hashed; a password change or a disabled account ends the sessions.
 */
#include <string.h>

#include "store_impl.h"
#include "store_staff.h"
#include "token.h"

enum staff_stmt {
	USER_GET,
	USER_ADD,
	USER_PASSWORD,
	USER_DISABLE,
	USER_LIST,
	SESSION_ADD,
	SESSION_GET,
	SESSION_DELETE,
	SESSIONS_OF_USER_DELETE,
	SESSIONS_PURGE,
	AUDIT_ADD,
	AUDIT_LIST,
	STAFF__MAX
};

static const char *const sql[STAFF__MAX] = {
	[USER_GET] = "SELECT id, username, password_hash, disabled "
	    "FROM users WHERE username = ?",
	[USER_ADD] = "INSERT INTO users (username, password_hash, "
	    "created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
	[USER_PASSWORD] = "UPDATE users SET password_hash = ?2, "
	    "updated_at = ?3 WHERE username = ?1",
	[USER_DISABLE] = "UPDATE users SET disabled = ?2, updated_at = ?3 "
	    "WHERE username = ?1",
	[USER_LIST] = "SELECT id, username, disabled, created_at "
	    "FROM users ORDER BY username",
	[SESSION_ADD] = "INSERT INTO sessions (hash, user_id, created_at, "
	    "expires_at) VALUES (?, ?, ?, ?)",
	[SESSION_GET] = "SELECT u.id, u.username, s.expires_at "
	    "FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.hash IN (?1, ?2) AND u.disabled = 0",
	[SESSION_DELETE] = "DELETE FROM sessions WHERE hash IN (?1, ?2)",
	[SESSIONS_OF_USER_DELETE] = "DELETE FROM sessions WHERE user_id = "
	    "(SELECT id FROM users WHERE username = ?)",
	[SESSIONS_PURGE] = "DELETE FROM sessions WHERE expires_at < ?",
	[AUDIT_ADD] = "INSERT INTO audit (at, username, action, target, "
	    "detail) VALUES (?, ?, ?, ?, ?)",
	[AUDIT_LIST] = "SELECT id, at, username, action, target, detail "
	    "FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?",
};

const struct stmt_set store_staff_set = { "staff", sql, NULL, STAFF__MAX };

static struct stmt *
q(struct store *s, enum staff_stmt id)
{
	return store_stmt(s, SET_STAFF, id);
}

enum db_err
store_user_get(struct store *s, struct arena *arena, const char *username,
    struct user *out)
{
	struct stmt  *st = q(s, USER_GET);
	enum db_err   e;

	bind_text(st, 1, username);
	if ((e = store_step_row(s, st, "user get")) != DB_OK)
		return e;
	memset(out, 0, sizeof(*out));
	out->id = col_int64(st, 0);
	out->username = col_text(arena, st, 1);
	out->password_hash = col_text(arena, st, 2);
	out->disabled = col_int(st, 3) != 0;
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_user_add(struct store *s, const char *username, const char *hash)
{
	struct stmt *st = q(s, USER_ADD);

	bind_text(st, 1, username);
	bind_text(st, 2, hash);
	bind_int64(st, 3, now_unix());
	return store_exec(s, st, "user add");
}

/* Runs an UPDATE of one user (?2 text, or flag when text is NULL), then
 * ends the user's sessions; DB_NOTFOUND when no such user. */
static enum db_err
user_update(struct store *s, enum staff_stmt id, const char *username,
    const char *text, int flag)
{
	struct stmt  *st = q(s, id);
	enum db_err   e;

	bind_text(st, 1, username);
	if (text != NULL)
		bind_text(st, 2, text);
	else
		bind_int64(st, 2, flag);
	bind_int64(st, 3, now_unix());
	if ((e = store_exec_changed(s, st, "user update")) != DB_OK)
		return e;
	st = q(s, SESSIONS_OF_USER_DELETE);
	bind_text(st, 1, username);
	return store_exec(s, st, "sessions delete");
}

enum db_err
store_user_set_password(struct store *s, const char *username,
    const char *hash)
{
	return user_update(s, USER_PASSWORD, username, hash, 0);
}

enum db_err
store_user_set_disabled(struct store *s, const char *username, bool disabled)
{
	return user_update(s, USER_DISABLE, username, NULL, disabled);
}

enum db_err
store_user_list(struct store *s, struct arena *arena, store_user_fn fn,
    void *arg)
{
	struct stmt  *st = q(s, USER_LIST);
	struct user   u;
	enum db_err   e = DB_OK;

	while (store_next(s, st, &e, "user list")) {
		memset(&u, 0, sizeof(u));
		u.id = col_int64(st, 0);
		u.username = col_text(arena, st, 1);
		u.disabled = col_int(st, 2) != 0;
		u.created_at = col_int64(st, 3);
		if (fn(&u, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_session_add(struct store *s, const unsigned char key[32],
    int64_t user_id, int64_t expires_at)
{
	struct stmt *st = q(s, SESSION_ADD);

	bind_blob(st, 1, key, 32);
	bind_int64(st, 2, user_id);
	bind_int64(st, 3, now_unix());
	bind_int64(st, 4, expires_at);
	return store_exec(s, st, "session add");
}

enum db_err
store_session_get(struct store *s, struct arena *arena,
    const struct token_keys *keys, struct user *out, int64_t *expires_at)
{
	struct stmt  *st = q(s, SESSION_GET);
	enum db_err   e;

	bind_blob(st, 1, keys->key, sizeof(keys->key));
	bind_blob(st, 2, keys->legacy, sizeof(keys->legacy));
	if ((e = store_step_row(s, st, "session get")) != DB_OK)
		return e;
	memset(out, 0, sizeof(*out));
	out->id = col_int64(st, 0);
	out->username = col_text(arena, st, 1);
	*expires_at = col_int64(st, 2);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_session_delete(struct store *s, const struct token_keys *keys)
{
	struct stmt *st = q(s, SESSION_DELETE);

	bind_blob(st, 1, keys->key, sizeof(keys->key));
	bind_blob(st, 2, keys->legacy, sizeof(keys->legacy));
	return store_exec(s, st, "session delete");
}

enum db_err
store_sessions_purge(struct store *s, int64_t now)
{
	struct stmt *st = q(s, SESSIONS_PURGE);

	bind_int64(st, 1, now);
	return store_exec(s, st, "sessions purge");
}

enum db_err
store_audit_add(struct store *s, const char *username, const char *action,
    const char *target, const char *detail)
{
	struct stmt *st = q(s, AUDIT_ADD);

	bind_int64(st, 1, now_unix());
	bind_text(st, 2, username);
	bind_text(st, 3, action);
	bind_text(st, 4, target);
	bind_text(st, 5, detail);
	return store_exec(s, st, "audit add");
}

enum db_err
store_audit_list(struct store *s, struct arena *arena, int64_t before_id,
    int limit, store_audit_fn fn, void *arg)
{
	struct stmt	  *st = q(s, AUDIT_LIST);
	struct audit_entry a;
	enum db_err	   e = DB_OK;

	bind_int64(st, 1, before_id);
	bind_int64(st, 2, limit);
	while (store_next(s, st, &e, "audit list")) {
		a.id = col_int64(st, 0);
		a.at = col_int64(st, 1);
		a.username = col_text(arena, st, 2);
		a.action = col_text(arena, st, 3);
		a.target = col_text(arena, st, 4);
		a.detail = col_text(arena, st, 5);
		if (fn(&a, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}
