/*
 * store_staff.h: staff accounts, their sessions and the audit log.
 * Implemented in store_staff.c; the connection and the types every table
 * shares are in store.h.
 */
#ifndef ICOMMIT_STORE_STAFF_H
#define ICOMMIT_STORE_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct token_keys;

struct user {
	int64_t	    id;
	const char *username;
	const char *password_hash;	/* NULL in listings */
	bool	    disabled;
	int64_t	    created_at;
};

enum db_err store_user_get(struct store *s, struct arena *arena,
	    const char *username, struct user *out);
enum db_err store_user_add(struct store *s, const char *username,
	    const char *password_hash);
/* Also ends the user's sessions. DB_NOTFOUND if no such user. */
enum db_err store_user_set_password(struct store *s, const char *username,
	    const char *password_hash);
enum db_err store_user_set_disabled(struct store *s, const char *username,
	    bool disabled);
typedef int (*store_user_fn)(const struct user *u, void *arg);
enum db_err store_user_list(struct store *s, struct arena *arena,
	    store_user_fn fn, void *arg);

/* A session stored under its token's key (token.h). */
enum db_err store_session_add(struct store *s, const unsigned char key[32],
	    int64_t user_id, int64_t expires_at);
/* The live session's user (not disabled) of the token with these keys;
 * DB_NOTFOUND when unknown. */
enum db_err store_session_get(struct store *s, struct arena *arena,
	    const struct token_keys *keys, struct user *out,
	    int64_t *expires_at);
enum db_err store_session_delete(struct store *s,
	    const struct token_keys *keys);
enum db_err store_sessions_purge(struct store *s, int64_t now);

enum db_err store_audit_add(struct store *s, const char *username,
	    const char *action, const char *target, const char *detail);
struct audit_entry {
	int64_t	    id, at;
	const char *username, *action, *target, *detail;
};
typedef int (*store_audit_fn)(const struct audit_entry *a, void *arg);
enum db_err store_audit_list(struct store *s, struct arena *arena,
	    int64_t before_id, int limit, store_audit_fn fn, void *arg);

#endif
