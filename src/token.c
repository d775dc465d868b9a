/*
 * token.c: random tokens and their hashes (see token.h).
 */
#include <sodium.h>
#include <string.h>

#include "token.h"

void
sha256(const void *buf, size_t len, unsigned char out[TOKEN_HASH_LEN])
{
	crypto_hash_sha256(out, buf, len);
}

void
token_new(char out[TOKEN_LEN + 1], unsigned char hash[TOKEN_HASH_LEN])
{
	unsigned char raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sha256(out, TOKEN_LEN, hash);
	sodium_memzero(raw, sizeof(raw));
}

int
token_hash(const char *token, unsigned char hash[TOKEN_HASH_LEN])
{
	size_t len = strlen(token);

	if (len != TOKEN_LEN)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = token[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return -1;
	}
	sha256(token, len, hash);
	return 0;
}
