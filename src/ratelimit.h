/*
 * ratelimit.h: per-client token buckets in a fixed-size table, so that a
 * flood from one address is refused cheaply (429) and spraying from many
 * addresses cannot grow memory. IPv6 clients are keyed by their /64.
 */
#ifndef ICOMMIT_RATELIMIT_H
#define ICOMMIT_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

enum ratelimit_class {
	RATELIMIT_PUBLIC_POST,	/* config rate_limit per minute */
	RATELIMIT_LOGIN,	/* staff login attempts per client */
	RATELIMIT_LOGIN_ACCOUNT, /* staff login attempts per user name */
	RATELIMIT__MAX
};

/* Sets the per-minute allowance of each class (0: unlimited). Call once
 * before threads start. */
void	ratelimit_init(int public_per_minute, int login_per_minute,
	    int account_per_minute);

/*
 * Takes one token for addr in class c at time now_us. Returns true when
 * allowed; false with *retry_after (seconds, ≥ 1) when over the limit.
 * Thread-safe.
 */
bool	ratelimit_take(enum ratelimit_class c, const struct ipaddr *addr,
	    int64_t now_us, int *retry_after);

/* Whether a token is left for addr / key in class c, without taking it
 * (for limits that count only failures). *retry_after as for take. */
bool	ratelimit_peek(enum ratelimit_class c, const struct ipaddr *addr,
	    int64_t now_us, int *retry_after);
bool	ratelimit_peek_key(enum ratelimit_class c, const void *key, size_t len,
	    int64_t now_us, int *retry_after);

/* The same for any key (e.g. a user name) instead of an address. */
bool	ratelimit_take_key(enum ratelimit_class c, const void *key,
	    size_t len, int64_t now_us, int *retry_after);

/* Class c's allowance per minute (0: unlimited), as ratelimit_init set. */
int	ratelimit_allowance(enum ratelimit_class c);
/* The bytes that name addr's client (its family, then the IPv4 address or
 * the IPv6 /64), as the buckets key it: for a throttle kept elsewhere. */
#define RATELIMIT_ADDR_KEY 17
void	ratelimit_addr_key(const struct ipaddr *addr,
	    unsigned char key[RATELIMIT_ADDR_KEY]);

#endif
