/*
 * store_tokens.h: the one-time tokens of confirmation, cancel and privacy
 * links (stored under their keys, token.h). Implemented in store_tokens.c; the connection and the
 * types every table shares are in store.h.
 */
#ifndef ICOMMIT_STORE_TOKENS_H
#define ICOMMIT_STORE_TOKENS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct token_keys;

/* created_at and expires_at from one clock read, so that a lifetime
 * stored is the one the caller meant. */
enum db_err store_token_add(struct store *s, const unsigned char key[32],
	    const char *kind, int64_t ref_id, int64_t created_at,
	    int64_t expires_at);
/* The token stored under either of keys: DB_OK with kind (static string or
 * NULL if unknown), ref and expiry. */
enum db_err store_token_find(struct store *s, struct arena *arena,
	    const struct token_keys *keys, const char **kind, int64_t *ref_id,
	    int64_t *expires_at);

#endif
