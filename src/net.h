/*
 * net.h: IPv4/IPv6 addresses and CIDR ranges, for trusted proxies and for
 * keying clients (rate limits).
 */
#ifndef ICOMMIT_NET_H
#define ICOMMIT_NET_H

#include <stdbool.h>
#include <stddef.h>

struct ipaddr {
	int	      family;	 /* AF_INET or AF_INET6 */
	unsigned char bytes[16]; /* network order; 4 used for AF_INET */
};

struct cidr {
	struct ipaddr addr;
	unsigned      prefix; /* 0..32 or 0..128 */
};

/* Parses a textual address ("192.0.2.1", "2001:db8::1"); 0 or -1. */
int	ip_parse(const char *s, size_t len, struct ipaddr *out);
/* Parses "addr" or "addr/prefix"; 0 or -1. */
int	cidr_parse(const char *s, size_t len, struct cidr *out);
bool	cidr_contains(const struct cidr *c, const struct ipaddr *a);

#endif
