/*
 * token.h: the random tokens mailed to people (confirm, cancel,
 * unsubscribe, privacy) and staff session tokens: 32 random bytes from
 * libsodium, base64url without padding (43 characters); only their SHA-256
 * is ever stored.
 */
#ifndef ICOMMIT_TOKEN_H
#define ICOMMIT_TOKEN_H

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

#endif
