/*
 * ratelimit.c: the fixed-size, set-associative table of token buckets (see
 * ratelimit.h). Keys are hashed with a random SipHash key, so nobody can
 * aim collisions at another client. A set holds RL_WAYS buckets; a new key
 * takes the least recently used one. A client evicted by a spray starts
 * again with a full bucket: memory stays bounded and the cost of a spray
 * is that the sprayer itself is not limited beyond one bucket per address.
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <sys/socket.h>

#include "ratelimit.h"

#define RL_SETS	  8192
#define RL_WAYS	  4
#define RL_LOCKS  64

struct bucket {
	unsigned char key[18];	/* class and a 16-byte digest of the key */
	bool	      used;
	double	      tokens;
	int64_t	      last_us;
};

static struct bucket	table[RL_SETS][RL_WAYS];
static pthread_mutex_t	locks[RL_LOCKS];
static unsigned char	hash_key[crypto_shorthash_KEYBYTES];
static int		per_minute[RATELIMIT__MAX];

void
ratelimit_init(int public_per_minute, int login_per_minute,
    int account_per_minute)
{
	per_minute[RATELIMIT_PUBLIC_POST] = public_per_minute;
	per_minute[RATELIMIT_LOGIN] = login_per_minute;
	per_minute[RATELIMIT_LOGIN_ACCOUNT] = account_per_minute;
	crypto_shorthash_keygen(hash_key);
	for (int i = 0; i < RL_LOCKS; i++)
		pthread_mutex_init(&locks[i], NULL);
	/* table is static, hence zero: not touching it keeps idle RSS low. */
}

static bool bucket_use(enum ratelimit_class c, const void *kbuf, size_t klen,
	    int64_t now_us, int *retry_after, bool take);

int
ratelimit_allowance(enum ratelimit_class c)
{
	return per_minute[c];
}

/* The key of an address: its family and the bytes that name a client. */
void
ratelimit_addr_key(const struct ipaddr *addr,
    unsigned char key[RATELIMIT_ADDR_KEY])
{
	memset(key, 0, RATELIMIT_ADDR_KEY);
	key[0] = (unsigned char)addr->family;
	/* An IPv6 client owns a /64: limit the prefix, not each address. */
	memcpy(key + 1, addr->bytes, addr->family == AF_INET6 ? 8 : 4);
}

bool
ratelimit_peek(enum ratelimit_class c, const struct ipaddr *addr,
    int64_t now_us, int *retry_after)
{
	unsigned char key[RATELIMIT_ADDR_KEY];

	ratelimit_addr_key(addr, key);
	return bucket_use(c, key, sizeof(key), now_us, retry_after, false);
}

bool
ratelimit_peek_key(enum ratelimit_class c, const void *key, size_t len,
    int64_t now_us, int *retry_after)
{
	return bucket_use(c, key, len, now_us, retry_after, false);
}

bool
ratelimit_take(enum ratelimit_class c, const struct ipaddr *addr,
    int64_t now_us, int *retry_after)
{
	unsigned char key[RATELIMIT_ADDR_KEY];

	ratelimit_addr_key(addr, key);
	return bucket_use(c, key, sizeof(key), now_us, retry_after, true);
}

bool
ratelimit_take_key(enum ratelimit_class c, const void *key, size_t len,
    int64_t now_us, int *retry_after)
{
	return bucket_use(c, key, len, now_us, retry_after, true);
}

static bool
bucket_use(enum ratelimit_class c, const void *kbuf, size_t klen,
    int64_t now_us, int *retry_after, bool take)
{
	unsigned char  key[18] = { 0 }, h[crypto_shorthash_BYTES];
	uint64_t       hv;
	size_t	       set, lru = 0;
	struct bucket *b = NULL;
	double	       cap = per_minute[c], rate = cap / 60e6;
	bool	       ok;

	if (per_minute[c] <= 0)
		return true;
	/* The class and a digest of the key name the bucket. */
	key[0] = (unsigned char)c;
	crypto_generichash(key + 1, 16, kbuf, klen, NULL, 0);
	crypto_shorthash(h, key, sizeof(key), hash_key);
	memcpy(&hv, h, sizeof(hv));
	set = (size_t)(hv % RL_SETS);

	pthread_mutex_lock(&locks[set % RL_LOCKS]);
	for (size_t w = 0; w < RL_WAYS; w++) {
		struct bucket *x = &table[set][w];

		if (x->used && memcmp(x->key, key, sizeof(key)) == 0) {
			b = x;
			break;
		}
	}
	/* A new client takes an empty way, else the least recently used. */
	for (size_t w = 0; b == NULL && w < RL_WAYS; w++) {
		if (!table[set][w].used) {
			lru = w;
			break;
		}
		if (table[set][w].last_us < table[set][lru].last_us)
			lru = w;
	}
	if (b == NULL) {
		b = &table[set][lru];
		memcpy(b->key, key, sizeof(key));
		b->used = true;
		b->tokens = cap;
		b->last_us = now_us;
	}
	if (now_us > b->last_us) {
		b->tokens += (double)(now_us - b->last_us) * rate;
		if (b->tokens > cap)
			b->tokens = cap;
	}
	b->last_us = now_us;
	ok = b->tokens >= 1.0;
	if (ok && take)
		b->tokens -= 1.0;
	else
		*retry_after = (int)((1.0 - b->tokens) / rate / 1e6) + 1;
	pthread_mutex_unlock(&locks[set % RL_LOCKS]);
	return ok;
}
