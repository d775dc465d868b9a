/*
 * loginlimit.c: the staff login throttle, in memory or in the database
 * (see loginlimit.h). In the database a key is the SHA-256 of a tag and
 * its bytes ('a' and ratelimit_addr_key's, 'u' and the user name): no
 * address or name is stored. Its minute is a fixed window (now rounded
 * down to 60 s), so that every node counts into the same row; a refusal's
 * Retry-After is the rest of that minute.
 */
#include <sodium.h>
#include <string.h>

#include "log.h"
#include "loginlimit.h"
#include "ratelimit.h"
#include "store.h"
#include "store_nodes.h"
#include "util.h"

#define LOGIN_WINDOW_SECS 60

/* The two keys of an attempt and its minute. */
struct login_keys {
	unsigned char addr[32], user[32];
	int64_t	      window;
};

static void
keys_of(struct req *r, const char *username, struct login_keys *k)
{
	crypto_hash_sha256_state st;
	unsigned char		 a[RATELIMIT_ADDR_KEY];

	ratelimit_addr_key(&r->client_addr, a);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"a", 1);
	crypto_hash_sha256_update(&st, a, sizeof(a));
	crypto_hash_sha256_final(&st, k->addr);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)"u", 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)username,
	    strlen(username));
	crypto_hash_sha256_final(&st, k->user);
	k->window = now_unix();
	k->window -= k->window % LOGIN_WINDOW_SECS;
}

/* Whether key has failures left in its minute (a read failure lets the
 * attempt through: the login's own reads report the database). */
static bool
key_allowed(struct req *r, const unsigned char key[32], int64_t window,
    enum ratelimit_class c)
{
	int64_t n = 0;

	if (ratelimit_allowance(c) <= 0)
		return true;
	if (store_login_failures(r->store, key, window, &n) != DB_OK)
		return true;
	return n < ratelimit_allowance(c);
}

bool
loginlimit_allowed(struct req *r, const char *username, int *retry_after)
{
	struct login_keys k;
	int64_t		  left;

	if (!store_shared(r->store))
		return ratelimit_peek(RATELIMIT_LOGIN, &r->client_addr,
		    mono_us(), retry_after) &&
		    ratelimit_peek_key(RATELIMIT_LOGIN_ACCOUNT, username,
		    strlen(username), mono_us(), retry_after);
	keys_of(r, username, &k);
	if (key_allowed(r, k.addr, k.window, RATELIMIT_LOGIN) &&
	    key_allowed(r, k.user, k.window, RATELIMIT_LOGIN_ACCOUNT))
		return true;
	left = k.window + LOGIN_WINDOW_SECS - now_unix();
	*retry_after = left < 1 ? 1 : (int)left;
	return false;
}

/* The writer job of a failure: both keys counted. */
static enum db_err
failed_tx(struct store *s, void *arg)
{
	const struct login_keys *k = arg;
	enum db_err		 e = store_login_failed(s, k->addr, k->window);

	if (e == DB_OK)
		e = store_login_failed(s, k->user, k->window);
	return e;
}

void
loginlimit_failed(struct req *r, const char *username)
{
	struct login_keys k;
	enum db_err	  e;
	int		  retry;

	if (!store_shared(r->store)) {
		ratelimit_take(RATELIMIT_LOGIN, &r->client_addr, mono_us(),
		    &retry);
		ratelimit_take_key(RATELIMIT_LOGIN_ACCOUNT, username,
		    strlen(username), mono_us(), &retry);
		return;
	}
	keys_of(r, username, &k);
	if ((e = writer_run(r->writer, failed_tx, &k)) != DB_OK)
		log_error("a failed staff login was not counted: %s",
		    db_strerror(e));
}

static enum db_err
purge_tx(struct store *s, void *arg)
{
	const int64_t *before = arg;

	return store_login_purge(s, *before);
}

void
loginlimit_purge(struct store *s, struct writer *w)
{
	int64_t	    before = now_unix();
	enum db_err e;

	if (!store_shared(s))
		return;
	before -= before % LOGIN_WINDOW_SECS;
	if ((e = writer_run(w, purge_tx, &before)) != DB_OK)
		log_error("old login attempts were not purged: %s",
		    db_strerror(e));
}
