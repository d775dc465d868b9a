/*
 * token.h: the random tokens mailed to people (confirm, cancel,
 * unsubscribe, privacy) and staff session tokens: 32 random bytes from
 * libsodium, base64url without padding (43 characters); only their SHA-256
 * is ever stored.
 */
#ifndef ICOMMIT_TOKEN_H
#define ICOMMIT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_BYTES	32
#define TOKEN_LEN	43	/* base64url characters, without NUL */
#define TOKEN_HASH_LEN	32

/* Makes a new token (text in out, NUL-terminated) and its hash. */
void	token_new(char out[TOKEN_LEN + 1], unsigned char hash[TOKEN_HASH_LEN]);

/* Hashes a token received from a client. Returns 0, or -1 when it is not
 * 43 base64url characters (then nothing can match). */
int	token_hash(const char *token, unsigned char hash[TOKEN_HASH_LEN]);

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
