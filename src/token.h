/*
 * token.h: the tokens mailed to people (confirm, cancel, unsubscribe,
 * privacy) and staff session tokens: 32 bytes, base64url without padding
 * (43 characters), of which the first TOKEN_TIME_BYTES are the time it was
 * made and the rest random (libsodium). Only a key made from the token is
 * ever stored: the same time bytes, then the first bytes of the token's
 * SHA-256. Keys made one after another so sort one after another, and the
 * tables keyed by them (tokens, sessions) grow at their end instead of
 * rewriting a random page of their B-tree with every new token
 * (docs/performance.md, session 7). The 26 random bytes (208 bits) keep a
 * token unguessable; the 26 bytes of hash keep a stored key useless
 * without the token.
 */
#ifndef ICOMMIT_TOKEN_H
#define ICOMMIT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_BYTES	32
#define TOKEN_LEN	43	/* base64url characters, without NUL */
#define TOKEN_TIME_BYTES 6	/* milliseconds since 1970, big-endian */
#define TOKEN_HASH_LEN	32	/* a SHA-256, and a stored key */

/*
 * What a token received from a client may be stored under: its key, and
 * the plain SHA-256 that tokens made before keys had a time in front were
 * stored under (an unsubscribe link lives 400 days; a look-up tries both).
 */
struct token_keys {
	unsigned char key[TOKEN_HASH_LEN];
	unsigned char legacy[TOKEN_HASH_LEN];
};

/* Makes a new token (text in out, NUL-terminated) and the key it is
 * stored under. */
void	token_new(char out[TOKEN_LEN + 1], unsigned char key[TOKEN_HASH_LEN]);

/* The keys of a token received from a client. Returns 0, or -1 when it is
 * not 43 base64url characters (then nothing can match). */
int	token_keys(const char *token, struct token_keys *keys);

/* SHA-256 of len bytes. */
void	sha256(const void *buf, size_t len, unsigned char out[TOKEN_HASH_LEN]);

/* Staff passwords: Argon2id through libsodium's crypto_pwhash_str, with
 * t = 2 and m = 19 MiB (OWASP's recommendation), stored as the PHC string. */
#define PASSWORD_HASH_MAX 128
int	password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* Constant-time check; true when password matches hash. A NULL hash checks
 * against a dummy hash, so unknown users cost as much as known ones. */
bool	password_verify(const char *hash, const char *password);

/* CSRF token of a session token: base64url(SHA-256("csrf:" token)). */
void	csrf_of_session(const char *session_token, char out[TOKEN_LEN + 1]);

#endif
