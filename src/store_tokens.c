/*
 * store_tokens.c: the one-time tokens behind every confirmation, cancel,
 * unsubscribe and privacy link (see store_tokens.h). Only the
 * token's key is stored (token.h); the link holds the token itself.
 */
#include "store_impl.h"
#include "store_tokens.h"
#include "token.h"

enum token_stmt {
	TOKEN_ADD,
	TOKEN_FIND,
	TOKEN__MAX
};

static const char *const sql[TOKEN__MAX] = {
	[TOKEN_ADD] = "INSERT INTO tokens (hash, kind, ref_id, "
	    "created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
	[TOKEN_FIND] = "SELECT kind, ref_id, expires_at FROM tokens "
	    "WHERE hash IN (?1, ?2)",
};

const struct stmt_set store_tokens_set = { "tokens", sql, NULL, TOKEN__MAX };

enum db_err
store_token_add(struct store *s, const unsigned char key[32],
    const char *kind, int64_t ref_id, int64_t created_at, int64_t expires_at)
{
	struct stmt *st = store_stmt(s, SET_TOKENS, TOKEN_ADD);

	bind_blob(st, 1, key, 32);
	bind_text(st, 2, kind);
	bind_int64(st, 3, ref_id);
	bind_int64(st, 4, created_at);
	bind_int64(st, 5, expires_at);
	return store_exec(s, st, "token add");
}

enum db_err
store_token_find(struct store *s, struct arena *arena,
    const struct token_keys *keys, const char **kind, int64_t *ref_id,
    int64_t *expires_at)
{
	struct stmt  *st = store_stmt(s, SET_TOKENS, TOKEN_FIND);
	enum db_err   e;

	bind_blob(st, 1, keys->key, sizeof(keys->key));
	bind_blob(st, 2, keys->legacy, sizeof(keys->legacy));
	if ((e = store_step_row(s, st, "token find")) != DB_OK)
		return e;
	*kind = col_text(arena, st, 0);
	*ref_id = col_int64(st, 1);
	*expires_at = col_int64(st, 2);
	store_row_done(st);
	return DB_OK;
}
