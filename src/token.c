/*
 * token.c: random tokens and their hashes (see token.h).
 */
#include <sodium.h>
#include <pthread.h>
#include <string.h>

#include "log.h"
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

#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

int
password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	char buf[crypto_pwhash_STRBYTES];

	if (crypto_pwhash_str(buf, password, strlen(password), PW_OPSLIMIT,
	    PW_MEMLIMIT) != 0)
		return -1;
	if (strlen(buf) >= PASSWORD_HASH_MAX)
		return -1;
	strcpy(out, buf);
	return 0;
}

static char	      dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_make(void)
{
	if (crypto_pwhash_str(dummy_hash, "not a password", 14, PW_OPSLIMIT,
	    PW_MEMLIMIT) != 0)
		dummy_hash[0] = '\0';
}

bool
password_verify(const char *hash, const char *password)
{
	if (hash == NULL) {
		pthread_once(&dummy_once, dummy_make);
		if (dummy_hash[0] != '\0' &&
		    crypto_pwhash_str_verify(dummy_hash, password,
		    strlen(password)) == 0)
			log_error("the dummy password matched");
		return false;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
csrf_of_session(const char *session_token, char out[TOKEN_LEN + 1])
{
	crypto_hash_sha256_state st;
	unsigned char		 h[TOKEN_HASH_LEN];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"csrf:", 5);
	crypto_hash_sha256_update(&st, (const unsigned char *)session_token,
	    strlen(session_token));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2base64(out, TOKEN_LEN + 1, h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
