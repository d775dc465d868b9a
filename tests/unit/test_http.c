/*
 * test_http.c: the HTTP-facing helpers that need no FastCGI connection:
 * route_match (router.c), error_body (response.c), req_client_resolve
 * (request.c), ip_parse/cidr_parse/cidr_contains (net.c), and
 * time_format/time_parse/lang_from_code (util.c).
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "config.h"
#include "net.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "util.h"

/* ---- route_match ------------------------------------------------------ */

#define SLUG64 "abcdefghij-0123456789-abcdefghij-0123456789-" \
	"abcdefghij-012345678"
#define SLUG65 SLUG64 "9"
#define ID18 "123456789012345678"

static const struct {
	const char *pattern, *path;
	int	    match;
	const char *captures;	/* "a|b" */
} routes[] = {
	/* Literals. */
	{ "/api/v1/health", "/api/v1/health", 1, "" },
	{ "/api/v1/health", "/api/v1/health/", 0, NULL },
	{ "/api/v1/health", "/api/v1/healthz", 0, NULL },
	{ "/api/v1/health", "/api/v1/healt", 0, NULL },
	{ "/api/v1/health", "/api/v1//health", 0, NULL },
	{ "/api/v1/health", "//api/v1/health", 0, NULL },
	{ "/api/v1/health", "/api/v1/Health", 0, NULL },
	{ "/api/v1/health", "/api/v2/health", 0, NULL },
	{ "/api/v1/health", "/api/v1", 0, NULL },
	{ "/api/v1/health", "api/v1/health", 0, NULL },
	{ "/api/v1/health", "", 0, NULL },
	{ "/api/v1/health", "/", 0, NULL },
	{ "/api/v1/health", "/api/v1/health/x", 0, NULL },
	{ "/api/v1/campaigns", "/api/v1/campaigns", 1, "" },
	/* :slug is [a-z0-9-]{1,64}. */
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/icommit", 1,
	    "icommit" },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/a", 1, "a" },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/laccw-2026", 1,
	    "laccw-2026" },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/" SLUG64, 1, SLUG64 },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/" SLUG65, 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/icommit/", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns//icommit", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/ICOMMIT", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/i_commit", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/i.commit", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/i%20commit", 0,
	    NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/..", 0, NULL },
	{ "/api/v1/campaigns/:slug", "/api/v1/campaigns/acci\xc3\xb3n", 0,
	    NULL },
	/* Slug then literals. */
	{ "/api/v1/campaigns/:slug/counter",
	    "/api/v1/campaigns/icommit/counter", 1, "icommit" },
	{ "/api/v1/campaigns/:slug/counter",
	    "/api/v1/campaigns/icommit/counter.svg", 0, NULL },
	{ "/api/v1/campaigns/:slug/counter.svg",
	    "/api/v1/campaigns/icommit/counter.svg", 1, "icommit" },
	{ "/api/v1/campaigns/:slug/counter.svg",
	    "/api/v1/campaigns/icommit/counter", 0, NULL },
	{ "/api/v1/campaigns/:slug/counter.svg",
	    "/api/v1/campaigns/icommit/counterxsvg", 0, NULL },
	/* :slug.ics: a suffix after the parameter. */
	{ "/api/v1/events/:slug.ics", "/api/v1/events/laccw-cities.ics", 1,
	    "laccw-cities" },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/.ics", 0, NULL },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/ics", 0, NULL },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/laccw-cities", 0, NULL },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/laccw.ics.ics", 0,
	    NULL },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/laccw.ICS", 0, NULL },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/" SLUG64 ".ics", 1,
	    SLUG64 },
	{ "/api/v1/events/:slug.ics", "/api/v1/events/" SLUG65 ".ics", 0,
	    NULL },
	{ "/api/v1/events/:slug", "/api/v1/events/laccw-cities.ics", 0, NULL },
	/* :id is 1-18 digits. */
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/17/moderation", 1, "17" },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/0/moderation", 1, "0" },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/" ID18 "/moderation", 1, ID18 },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/" ID18 "9/moderation", 0, NULL },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/-1/moderation", 0, NULL },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/1a/moderation", 0, NULL },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges/+1/moderation", 0, NULL },
	{ "/api/v1/admin/pledges/:id/moderation",
	    "/api/v1/admin/pledges//moderation", 0, NULL },
	/* :token is base64url, 1-128. */
	{ "/api/v1/t/:token", "/api/v1/t/Ab-_09zZ", 1, "Ab-_09zZ" },
	{ "/api/v1/t/:token", "/api/v1/t/Ab+/09", 0, NULL },
	{ "/api/v1/t/:token", "/api/v1/t/abc=", 0, NULL },
	/* Two captures. */
	{ "/api/v1/x/:slug/y/:id", "/api/v1/x/icommit/y/42", 1,
	    "icommit|42" },
	{ "/api/v1/x/:slug/y/:id", "/api/v1/x/icommit/z/42", 0, NULL },
};

static void
test_route_match(void)
{
	struct arena arena = { 0 };
	char	     got[512];

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const char *params[REQ_PARAMS_MAX];
		size_t	    n = 99;
		int	    m;

		check_context("route %s <- %s", routes[i].pattern,
		    routes[i].path);
		m = route_match(&arena, routes[i].pattern, routes[i].path,
		    params, &n);
		CHECK_INT(m, routes[i].match);
		if (m && routes[i].match) {
			got[0] = '\0';
			for (size_t k = 0; k < n; k++)
				snprintf(got + strlen(got),
				    sizeof(got) - strlen(got), "%s%s",
				    k ? "|" : "", params[k]);
			CHECK_STR(got, routes[i].captures);
		}
		arena_reset(&arena);
	}
	/* A 129-character token is too long; 128 is fine. */
	{
		char	    path[256];
		const char *params[REQ_PARAMS_MAX];
		size_t	    n;

		strcpy(path, "/api/v1/t/");
		memset(path + 10, 'A', 128);
		path[138] = '\0';
		check_context("128-character token");
		CHECK_INT(route_match(&arena, "/api/v1/t/:token", path, params,
		    &n), 1);
		CHECK_INT(n, 1);
		path[138] = 'A';
		path[139] = '\0';
		check_context("129-character token");
		CHECK_INT(route_match(&arena, "/api/v1/t/:token", path, params,
		    &n), 0);
	}
	arena_free(&arena);
	check_context("%s", "");
}

/* ---- error_body ------------------------------------------------------- */

static void
test_error_body(void)
{
	/* Every code of API.md's table has its own default message. */
	static const char *const codes[] = {
		"bad_json", "bad_request", "unauthorized", "forbidden",
		"not_found", "method_not_allowed", "campaign_closed",
		"event_closed", "event_full", "payload_too_large",
		"unsupported_media_type", "invalid", "rate_limited",
		"unavailable", "internal",
	};
	const char *messages[sizeof(codes) / sizeof(codes[0])];
	json_t	   *b, *e, *fields;
	char	   *dump;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		check_context("error_body(%s)", codes[i]);
		b = error_body(codes[i], NULL, NULL);
		messages[i] = NULL;
		if (!CHECK(json_is_object(b)))
			continue;
		CHECK_INT(json_object_size(b), 1);
		e = json_object_get(b, "error");
		CHECK(json_is_object(e));
		CHECK_INT(json_object_size(e), 2);	/* no "fields" */
		CHECK_STR(json_string_value(json_object_get(e, "code")),
		    codes[i]);
		CHECK(json_is_string(json_object_get(e, "message")));
		CHECK(json_object_get(e, "fields") == NULL);
		if (json_string_value(json_object_get(e, "message")) != NULL) {
			messages[i] = strdup(json_string_value(
			    json_object_get(e, "message")));
			CHECK(strlen(messages[i]) > 0);
		}
		for (size_t k = 0; k < i; k++)
			if (messages[i] != NULL && messages[k] != NULL)
				CHECK(strcmp(messages[i], messages[k]) != 0);
		json_decref(b);
	}
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		free((char *)messages[i]);

	check_context("the example of API.md");
	b = error_body("invalid", NULL, NULL);
	dump = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK_STR(dump, "{\"error\":{\"code\":\"invalid\","
	    "\"message\":\"Some fields are not valid.\"}}");
	free(dump);
	json_decref(b);

	check_context("with fields (stolen)");
	fields = json_pack("{s:s, s:s}", "email", "invalid_email", "consent",
	    "required");
	b = error_body("invalid", NULL, fields);
	dump = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK_STR(dump, "{\"error\":{\"code\":\"invalid\",\"fields\":"
	    "{\"consent\":\"required\",\"email\":\"invalid_email\"},"
	    "\"message\":\"Some fields are not valid.\"}}");
	free(dump);
	json_decref(b);	/* ASan: fields must not leak or be freed twice */

	check_context("explicit message");
	b = error_body("not_found", "No such campaign.", NULL);
	e = json_object_get(b, "error");
	CHECK_STR(json_string_value(json_object_get(e, "message")),
	    "No such campaign.");
	CHECK_STR(json_string_value(json_object_get(e, "code")), "not_found");
	json_decref(b);

	check_context("unknown code still gets a message");
	b = error_body("teapot", NULL, NULL);
	e = json_object_get(b, "error");
	CHECK_STR(json_string_value(json_object_get(e, "code")), "teapot");
	CHECK(json_string_length(json_object_get(e, "message")) > 0);
	json_decref(b);
	check_context("%s", "");
}

/* ---- req_client_resolve ----------------------------------------------- */

static const struct {
	const char *proxies;	/* trusted_proxies value */
	const char *remote, *xff;
	const char *client;	/* expected text */
} clients[] = {
	/* An untrusted peer's X-Forwarded-For is ignored. */
	{ "127.0.0.1", "203.0.113.5", NULL, "203.0.113.5" },
	{ "127.0.0.1", "203.0.113.5", "198.51.100.1", "203.0.113.5" },
	{ "127.0.0.1", "203.0.113.5", "127.0.0.1", "203.0.113.5" },
	/* A trusted peer: the rightmost address that is not a proxy. */
	{ "127.0.0.1", "127.0.0.1", NULL, "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "198.51.100.1", "198.51.100.1" },
	{ "127.0.0.1", "127.0.0.1", " 198.51.100.1 ", "198.51.100.1" },
	{ "127.0.0.1", "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1" },
	{ "127.0.0.1", "127.0.0.1", "6.6.6.6,198.51.100.1", "198.51.100.1" },
	{ "127.0.0.1, 10.0.0.0/8", "127.0.0.1", "198.51.100.1, 10.0.0.2",
	    "198.51.100.1" },
	{ "127.0.0.1, 10.0.0.0/8", "10.9.8.7", "6.6.6.6, 198.51.100.1,\t"
	    "10.0.0.2 , 10.0.0.3", "198.51.100.1" },
	{ "127.0.0.1", "127.0.0.1", "127.0.0.1, 198.51.100.1", "198.51.100.1" },
	/* Every hop trusted: the leftmost one. */
	{ "10.0.0.0/8", "10.0.0.7", "10.0.0.5, 10.0.0.6", "10.0.0.5" },
	/* CIDR edges. */
	{ "10.0.0.0/8", "11.0.0.1", "198.51.100.1", "11.0.0.1" },
	{ "192.168.1.0/24", "192.168.1.255", "198.51.100.1", "198.51.100.1" },
	{ "192.168.1.0/24", "192.168.2.1", "198.51.100.1", "192.168.2.1" },
	{ "172.16.0.0/12", "172.31.255.254", "198.51.100.1", "198.51.100.1" },
	{ "172.16.0.0/12", "172.32.0.1", "198.51.100.1", "172.32.0.1" },
	{ "none", "127.0.0.1", "198.51.100.1", "127.0.0.1" },
	/* Garbage: keep the last good hop. */
	{ "127.0.0.1", "127.0.0.1", "garbage", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", ",", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "198.51.100.1, garbage", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "198.51.100.1, ", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "garbage, 198.51.100.1", "198.51.100.1" },
	{ "127.0.0.1", "127.0.0.1", "198.51.100.1:4711", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "[2001:db8::5]", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "198.51.100.1; rm -rf /", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1", "999.1.1.1", "127.0.0.1" },
	{ "127.0.0.1", "127.0.0.1",
	    "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc",
	    "127.0.0.1" },
	{ "10.0.0.0/8", "10.0.0.1", "198.51.100.1, 10.0.0.2, junk, 10.0.0.3",
	    "10.0.0.3" },
	/* IPv6. */
	{ "::1", "::1", "2001:db8::5", "2001:db8::5" },
	{ "::1", "2001:db8::1", "198.51.100.1", "2001:db8::1" },
	{ "127.0.0.1", "::1", "198.51.100.1", "::1" },
	{ "2001:db8::/32", "2001:db8:ffff::1", "2001:db9::7, 2001:db8::2",
	    "2001:db9::7" },
	{ "::1, 127.0.0.1", "127.0.0.1", "2001:db8::5, ::1", "2001:db8::5" },
	{ "fd00::/8", "fd12:3456::1", "198.51.100.1", "198.51.100.1" },
	/* A peer that is not an address at all. */
	{ "127.0.0.1", "not-an-ip", "198.51.100.1", "not-an-ip" },
};

static void
test_client_resolve(void)
{
	struct config cfg;
	char	      line[128], err[256], out[64];
	struct ipaddr addr, want;

	for (size_t i = 0; i < sizeof(clients) / sizeof(clients[0]); i++) {
		check_context("client %zu: proxies %s, peer %s, XFF %s", i,
		    clients[i].proxies, clients[i].remote,
		    clients[i].xff ? clients[i].xff : "(none)");
		config_defaults(&cfg);
		snprintf(line, sizeof(line), "trusted_proxies = %s\n",
		    clients[i].proxies);
		if (!CHECK_INT(config_parse(&cfg, "t", line, strlen(line), err,
		    sizeof(err)), 0))
			continue;
		memset(out, 'x', sizeof(out));
		req_client_resolve(&cfg, clients[i].remote, clients[i].xff,
		    out, sizeof(out), &addr);
		CHECK_STR(out, clients[i].client);
		/* addr is the parsed form of the text, or zeroed. */
		if (ip_parse(clients[i].client, strlen(clients[i].client),
		    &want) == 0) {
			CHECK_INT(addr.family, want.family);
			CHECK(memcmp(addr.bytes, want.bytes, 16) == 0);
		} else
			CHECK_INT(addr.family, 0);
	}

	check_context("no REMOTE_ADDR");
	config_defaults(&cfg);
	req_client_resolve(&cfg, NULL, "198.51.100.1", out, sizeof(out), &addr);
	CHECK_STR(out, "");
	CHECK_INT(addr.family, 0);

	check_context("a long X-Forwarded-For chain");
	{
		char *xff = malloc(64 * 1024);

		if (xff == NULL)
			abort();
		/* The client, then 4000 of our proxies: walked to the left. */
		strcpy(xff, "198.51.100.9");
		for (int i = 0; i < 4000; i++)
			snprintf(xff + strlen(xff), 16, ", 10.0.%d.%d",
			    i / 250, i % 250);
		strcpy(line, "trusted_proxies = 127.0.0.1 10.0.0.0/8");
		CHECK_INT(config_parse(&cfg, "t", line, strlen(line), err,
		    sizeof(err)), 0);
		req_client_resolve(&cfg, "127.0.0.1", xff, out, sizeof(out),
		    &addr);
		CHECK_STR(out, "198.51.100.9");
		free(xff);
	}
	check_context("%s", "");
}

/* ---- net.c ------------------------------------------------------------ */

static const struct {
	const char *s;
	int	    rc;
	int	    family;
	unsigned    prefix;
} cidrs[] = {
	{ "127.0.0.1", 0, AF_INET, 32 },
	{ "10.0.0.0/8", 0, AF_INET, 8 },
	{ "0.0.0.0/0", 0, AF_INET, 0 },
	{ "192.168.1.7/32", 0, AF_INET, 32 },
	{ "172.16.0.0/12", 0, AF_INET, 12 },
	{ "::1", 0, AF_INET6, 128 },
	{ "2001:db8::/32", 0, AF_INET6, 32 },
	{ "::/0", 0, AF_INET6, 0 },
	{ "fe80::/10", 0, AF_INET6, 10 },
	{ "2001:db8::1/128", 0, AF_INET6, 128 },
	{ "::ffff:192.0.2.1", 0, AF_INET6, 128 },
	{ "", -1, 0, 0 },
	{ "/8", -1, 0, 0 },
	{ "10.0.0.0/", -1, 0, 0 },
	{ "10.0.0.0/33", -1, 0, 0 },
	{ "10.0.0.0/100", -1, 0, 0 },
	{ "10.0.0.0/0008", -1, 0, 0 },
	{ "10.0.0.0/-1", -1, 0, 0 },
	{ "10.0.0.0/8/8", -1, 0, 0 },
	{ "10.0.0.0/ 8", -1, 0, 0 },
	{ "10.0.0.0/8 ", -1, 0, 0 },
	{ "::1/129", -1, 0, 0 },
	{ "10.0.0", -1, 0, 0 },
	{ "10.0.0.256", -1, 0, 0 },
	{ "1.2.3.4.5", -1, 0, 0 },
	{ " 10.0.0.1", -1, 0, 0 },
	{ "localhost", -1, 0, 0 },
	{ "2001:db8:::1", -1, 0, 0 },
	{ "fe80::1%eth0", -1, 0, 0 },
	{ "[::1]", -1, 0, 0 },
	{ "0x7f.0.0.1", -1, 0, 0 },
	{ "1111:2222:3333:4444:5555:6666:7777:8888:9999", -1, 0, 0 },
};

static const struct {
	const char *cidr, *addr;
	bool	    in;
} contains[] = {
	{ "127.0.0.1", "127.0.0.1", true },
	{ "127.0.0.1", "127.0.0.2", false },
	{ "10.0.0.0/8", "10.255.255.255", true },
	{ "10.0.0.0/8", "11.0.0.0", false },
	{ "10.0.0.0/8", "9.255.255.255", false },
	{ "172.16.0.0/12", "172.16.0.1", true },
	{ "172.16.0.0/12", "172.31.255.255", true },
	{ "172.16.0.0/12", "172.32.0.0", false },
	{ "172.16.0.0/12", "172.15.255.255", false },
	{ "192.168.1.128/25", "192.168.1.200", true },
	{ "192.168.1.128/25", "192.168.1.127", false },
	{ "10.1.2.3/8", "10.200.0.1", true },	/* host bits ignored */
	{ "0.0.0.0/0", "203.0.113.9", true },
	{ "0.0.0.0/0", "::1", false },		/* families differ */
	{ "::/0", "2001:db8::1", true },
	{ "::/0", "127.0.0.1", false },
	{ "::1", "::1", true },
	{ "::1", "::2", false },
	{ "2001:db8::/32", "2001:db8:ffff:ffff::1", true },
	{ "2001:db8::/32", "2001:db9::1", false },
	{ "fe80::/10", "febf::1", true },
	{ "fe80::/10", "fec0::1", false },
	{ "2001:db8::/127", "2001:db8::1", true },
	{ "2001:db8::/127", "2001:db8::2", false },
	{ "127.0.0.1", "::ffff:127.0.0.1", false },
};

static void
test_net(void)
{
	struct cidr   c;
	struct ipaddr a;

	for (size_t i = 0; i < sizeof(cidrs) / sizeof(cidrs[0]); i++) {
		size_t len = strlen(cidrs[i].s);
		char  *s = malloc(len ? len : 1);	/* not NUL-terminated */

		if (s == NULL)
			abort();
		memcpy(s, cidrs[i].s, len);
		check_context("cidr_parse \"%s\"", cidrs[i].s);
		CHECK_INT(cidr_parse(s, len, &c), cidrs[i].rc);
		if (cidrs[i].rc == 0) {
			CHECK_INT(c.addr.family, cidrs[i].family);
			CHECK_INT(c.prefix, cidrs[i].prefix);
		}
		free(s);
	}
	check_context("cidr_parse reads only len bytes");
	CHECK_INT(cidr_parse("10.0.0.0/8", 8, &c), 0);
	CHECK_INT(c.prefix, 32);
	CHECK_INT(cidr_parse("10.0.0.0/8 junk", 10, &c), 0);
	CHECK_INT(c.prefix, 8);
	check_context("ip_parse bytes");
	CHECK_INT(ip_parse("192.0.2.33", 10, &a), 0);
	CHECK(a.family == AF_INET && a.bytes[0] == 192 && a.bytes[3] == 33);
	CHECK_INT(ip_parse("2001:db8::1", 11, &a), 0);
	CHECK(a.family == AF_INET6 && a.bytes[0] == 0x20 && a.bytes[15] == 1);

	for (size_t i = 0; i < sizeof(contains) / sizeof(contains[0]); i++) {
		check_context("cidr_contains %s %s", contains[i].cidr,
		    contains[i].addr);
		if (!CHECK_INT(cidr_parse(contains[i].cidr,
		    strlen(contains[i].cidr), &c), 0) ||
		    !CHECK_INT(ip_parse(contains[i].addr,
		    strlen(contains[i].addr), &a), 0))
			continue;
		CHECK_INT(cidr_contains(&c, &a), contains[i].in);
	}
	check_context("%s", "");
}

/* ---- util.c ----------------------------------------------------------- */

static const struct {
	const char *s;
	int	    rc;
	long long   t;
} times[] = {
	{ "1970-01-01T00:00:00Z", 0, 0 },
	{ "2026-11-28T12:00:00Z", 0, 1795867200LL },
	{ "2026-11-28t12:00:00z", 0, 1795867200LL },
	{ "2026-11-28 12:00:00Z", 0, 1795867200LL },
	{ "2026-11-28T12:00:00+00:00", 0, 1795867200LL },
	{ "2026-11-28T12:00:00-00:00", 0, 1795867200LL },
	{ "2026-11-28T13:00:00+01:00", 0, 1795867200LL },
	{ "2026-11-28T09:00:00-03:00", 0, 1795867200LL },
	{ "2026-11-28T17:30:00+05:30", 0, 1795867200LL },
	{ "2026-11-29T00:00:00+12:00", 0, 1795867200LL },
	{ "2026-11-28T00:00:00-12:00", 0, 1795867200LL },
	{ "2026-11-28T12:00:00.5Z", 0, 1795867200LL },
	{ "2026-11-28T12:00:00.999999999Z", 0, 1795867200LL },
	{ "2026-11-28T12:00:00.123-03:00", 0, 1795867200LL + 3 * 3600 },
	{ "2026-11-28", 0, 1795824000LL },
	{ "2026-12-31T23:59:59Z", 0, 1798761599LL },
	{ "1969-12-31T23:59:59Z", 0, -1 },
	{ "2024-02-29", 0, 1709164800LL },
	{ "2024-02-29T00:00:00Z", 0, 1709164800LL },
	{ "2000-02-29", 0, 951782400LL },
	{ "9999-12-31T23:59:59Z", 0, 253402300799LL },
	{ "0001-01-01T00:00:00Z", 0, -62135596800LL },
	/* Bad ones. */
	{ "", -1, 0 },
	{ "2026", -1, 0 },
	{ "2026-11", -1, 0 },
	{ "26-11-28", -1, 0 },
	{ "2026/11/28", -1, 0 },
	{ "20261128", -1, 0 },
	{ " 2026-11-28", -1, 0 },
	{ "2026-11-28 ", -1, 0 },
	{ "2026-11-28Z", -1, 0 },
	{ "2026-11-28T", -1, 0 },
	{ "2026-1-28", -1, 0 },
	{ "2026-13-01", -1, 0 },
	{ "2026-00-10", -1, 0 },
	{ "2026-11-00", -1, 0 },
	{ "2026-11-31", -1, 0 },
	{ "2026-04-31T00:00:00Z", -1, 0 },
	{ "2023-02-29", -1, 0 },
	{ "2025-02-29T12:00:00Z", -1, 0 },
	{ "1900-02-29", -1, 0 },
	{ "2026-02-30", -1, 0 },
	{ "2026-11-28T24:00:00Z", -1, 0 },
	{ "2026-11-28T12:60:00Z", -1, 0 },
	{ "2026-11-28T12:00:61Z", -1, 0 },
	{ "2026-11-28T12:00:00", -1, 0 },	/* no zone */
	{ "2026-11-28T12:00Z", -1, 0 },
	{ "2026-11-28T12:00:00.Z", -1, 0 },
	{ "2026-11-28T12:00:00,5Z", -1, 0 },
	{ "2026-11-28T12:00:00+0100", -1, 0 },
	{ "2026-11-28T12:00:00+01", -1, 0 },
	{ "2026-11-28T12:00:00+24:00", -1, 0 },
	{ "2026-11-28T12:00:00+01:60", -1, 0 },
	{ "2026-11-28T12:00:00ZZ", -1, 0 },
	{ "2026-11-28T12:00:00Z junk", -1, 0 },
	{ "2026-11-28T12:00:00 Z", -1, 0 },
	{ "2026-11-28T12:00:00UTC", -1, 0 },
	{ "2026-11-28T1:00:00Z", -1, 0 },
	{ "yyyy-mm-ddThh:mm:ssZ", -1, 0 },
	{ "-2026-11-28", -1, 0 },
	{ "+2026-11-28", -1, 0 },
};

static void
test_time(void)
{
	/* t → text; and each text parses back to t. */
	static const struct {
		long long   t;
		const char *s;
	} formats[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ 1795867200LL, "2026-11-28T12:00:00Z" },
		{ 1709164800LL, "2024-02-29T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ 253402300799LL, "9999-12-31T23:59:59Z" },
		{ 4102444800LL, "2100-01-01T00:00:00Z" },
		/* RFC 3339 years have four digits. */
		{ -30641760000LL, "0999-01-01T00:00:00Z" },
		{ -62135596800LL, "0001-01-01T00:00:00Z" },
	};
	/* Out of RFC 3339's range: any well-formed stamp, and no UB. */
	static const long long extremes[] = {
		253402300800LL,		/* year 10000 */
		-62135596801LL,		/* year 0 */
		67768036191676799LL,	/* tm_year == INT_MAX */
		-67768040609740800LL,	/* tm_year == INT_MIN */
		LLONG_MAX, LLONG_MIN,
	};
	char	buf[TIME_RFC3339_LEN];
	int64_t t;

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		check_context("time_parse \"%s\"", times[i].s);
		t = 424242;
		CHECK_INT(time_parse(times[i].s, &t), times[i].rc);
		if (times[i].rc == 0)
			CHECK_INT(t, times[i].t);
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		check_context("time_format %lld", formats[i].t);
		time_format(formats[i].t, buf);
		CHECK_STR(buf, formats[i].s);
		CHECK_INT(time_parse(formats[i].s, &t), 0);
		CHECK_INT(t, formats[i].t);
	}
	for (size_t i = 0; i < sizeof(extremes) / sizeof(extremes[0]); i++) {
		check_context("time_format %lld", extremes[i]);
		memset(buf, 'x', sizeof(buf));
		time_format(extremes[i], buf);
		CHECK_INT(strnlen(buf, sizeof(buf)), TIME_RFC3339_LEN - 1);
		CHECK_INT(time_parse(buf, &t), 0);
	}
	check_context("now_unix");
	CHECK(now_unix() > 1700000000LL);
	check_context("%s", "");
}

static void
test_lang(void)
{
	static const struct {
		const char *code;
		int	    lang;
	} langs[] = {
		{ "es", LANG_ES }, { "en", LANG_EN }, { "pt", LANG_PT },
		{ "fr", LANG_FR }, { "ES", -1 }, { "Es", -1 }, { "", -1 },
		{ "e", -1 }, { "esp", -1 }, { "es-CL", -1 }, { "pt_BR", -1 },
		{ "de", -1 }, { " es", -1 },
	};

	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		check_context("lang_from_code \"%s\"", langs[i].code);
		CHECK_INT(lang_from_code(langs[i].code), langs[i].lang);
	}
	for (int i = 0; i < LANG__MAX; i++) {
		check_context("lang_codes[%d]", i);
		CHECK_INT(lang_from_code(lang_codes[i]), i);
	}
	check_context("%s", "");
}

int
main(void)
{
	test_route_match();
	test_error_body();
	test_client_resolve();
	test_net();
	test_time();
	test_lang();
	return check_done();
}
