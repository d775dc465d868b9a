/*
 * net.c: address parsing and CIDR matching (see net.h).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "net.h"

int
ip_parse(const char *s, size_t len, struct ipaddr *out)
{
	char buf[INET6_ADDRSTRLEN + 1];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

int
cidr_parse(const char *s, size_t len, struct cidr *out)
{
	const char *slash = memchr(s, '/', len);
	size_t	    alen = slash ? (size_t)(slash - s) : len;
	unsigned    max;

	if (ip_parse(s, alen, &out->addr) != 0)
		return -1;
	max = out->addr.family == AF_INET ? 32 : 128;
	out->prefix = max;
	if (slash != NULL) {
		const char *p = slash + 1, *end = s + len;
		unsigned    v = 0;

		if (p == end || end - p > 3)
			return -1;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > max)
			return -1;
		out->prefix = v;
	}
	return 0;
}

bool
cidr_contains(const struct cidr *c, const struct ipaddr *a)
{
	unsigned full, rest;

	if (c->addr.family != a->family)
		return false;
	full = c->prefix / 8;
	rest = c->prefix % 8;
	if (memcmp(c->addr.bytes, a->bytes, full) != 0)
		return false;
	if (rest != 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));

		if ((c->addr.bytes[full] & mask) != (a->bytes[full] & mask))
			return false;
	}
	return true;
}
