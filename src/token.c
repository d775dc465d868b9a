/*
 * token.c: random tokens and their hashes (see token.h).
 */
#include <sodium.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "token.h"

void
sha256(const void *buf, size_t len, unsigned char out[TOKEN_HASH_LEN])
{
	crypto_hash_sha256(out, buf, len);
}

/* The key of token (TOKEN_LEN characters) whose first TOKEN_TIME_BYTES
 * bytes are time. */
static void
token_key(const char *token, const unsigned char time[TOKEN_TIME_BYTES],
    unsigned char key[TOKEN_HASH_LEN])
{
	unsigned char h[TOKEN_HASH_LEN];

	sha256(token, TOKEN_LEN, h);
	memcpy(key, time, TOKEN_TIME_BYTES);
	memcpy(key + TOKEN_TIME_BYTES, h, TOKEN_HASH_LEN - TOKEN_TIME_BYTES);
}

void
token_new(char out[TOKEN_LEN + 1], unsigned char key[TOKEN_HASH_LEN])
{
	unsigned char	raw[TOKEN_BYTES];
	struct timespec ts;
	uint64_t	ms;

	/* The wall clock: only the order of keys depends on it. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	for (int i = 0; i < TOKEN_TIME_BYTES; i++)
		raw[i] = (unsigned char)(ms >> (8 * (TOKEN_TIME_BYTES - 1 - i)));
	randombytes_buf(raw + TOKEN_TIME_BYTES, sizeof(raw) - TOKEN_TIME_BYTES);
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	token_key(out, raw, key);
	sodium_memzero(raw, sizeof(raw));
}

int
token_keys(const char *token, struct token_keys *keys)
{
	unsigned char time[TOKEN_TIME_BYTES];
	size_t	      len = strlen(token), n;

	if (len != TOKEN_LEN)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = token[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return -1;
	}
	/* Eight characters are the six time bytes exactly. */
	if (sodium_base642bin(time, sizeof(time), token, 8, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || n != sizeof(time))
		return -1;
	token_key(token, time, keys->key);
	sha256(token, len, keys->legacy);
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
