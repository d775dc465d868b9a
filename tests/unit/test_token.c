/*
 * test_token.c: tokens (token.c): what a new token looks like, the key it
 * is stored under (its time, then part of its SHA-256) against values
 * computed apart (Python's hashlib and base64), keys that sort in the
 * order the tokens were made, the plain SHA-256 a token from before keys
 * had a time is looked up by, and the texts that cannot be a token.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "check.h"
#include "token.h"

/* Lower-case hex of n bytes, into out (2n + 1). */
static const char *
hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return out;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Texts that are not a token: nothing can match them. */
static const char *const bad[] = {
	"",
	"abc",
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP",	/* 42 */
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR",	/* 44 */
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP=",	/* padding */
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP+",	/* base64, not url */
	"abcdefgh/jklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
	"abcdefgh jklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN\xc3\xa9",
};

int
main(void)
{
	char		  tok[TOKEN_LEN + 1], prev_tok[TOKEN_LEN + 1];
	unsigned char	  key[TOKEN_HASH_LEN], prev[TOKEN_HASH_LEN];
	unsigned char	  raw[TOKEN_BYTES], h[TOKEN_HASH_LEN];
	struct token_keys k;
	char		  buf[2 * TOKEN_HASH_LEN + 1];
	size_t		  n;

	if (sodium_init() < 0)
		return 1;

	/* A known token's keys, computed apart. */
	check_context("known token");
	CHECK_INT(token_keys("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ",
	    &k), 0);
	CHECK_STR(hex(k.key, sizeof(k.key), buf),
	    "69b71d79f82146a2199782c8827f0ac56f503be9d39efee97f40a736b92cc7d7");
	CHECK_STR(hex(k.legacy, sizeof(k.legacy), buf),
	    "46a2199782c8827f0ac56f503be9d39efee97f40a736b92cc7d7c5f825cfd851");

	/* A new token: 43 base64url characters, the time in front, stored
	 * under the key its keys give back. */
	for (int i = 0; i < 50; i++) {
		uint64_t before = now_ms(), made = 0, after;

		check_context("token %d", i);
		token_new(tok, key);
		after = now_ms();
		CHECK_INT((int)strlen(tok), TOKEN_LEN);
		CHECK(sodium_base642bin(raw, sizeof(raw), tok, TOKEN_LEN, NULL,
		    &n, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
		CHECK_INT((int)n, TOKEN_BYTES);
		for (int b = 0; b < TOKEN_TIME_BYTES; b++)
			made = made << 8 | raw[b];
		CHECK(made >= before && made <= after);
		CHECK(memcmp(key, raw, TOKEN_TIME_BYTES) == 0);
		crypto_hash_sha256(h, (const unsigned char *)tok, TOKEN_LEN);
		CHECK(memcmp(key + TOKEN_TIME_BYTES, h,
		    TOKEN_HASH_LEN - TOKEN_TIME_BYTES) == 0);
		CHECK_INT(token_keys(tok, &k), 0);
		CHECK(memcmp(k.key, key, sizeof(key)) == 0);
		CHECK(memcmp(k.legacy, h, sizeof(h)) == 0);
		if (i > 0) {
			/* Made later: sorts after; and the random part is
			 * not the last one's. */
			CHECK(memcmp(key, prev, sizeof(key)) > 0);
			CHECK(strcmp(tok + 8, prev_tok + 8) != 0);
		}
		memcpy(prev, key, sizeof(key));
		memcpy(prev_tok, tok, sizeof(tok));
		sleep_ms(2);
	}

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_context("bad %zu: \"%s\"", i, bad[i]);
		CHECK_INT(token_keys(bad[i], &k), -1);
	}
	return check_done();
}
