/*
 * fuzz_route.c: libFuzzer harness for router.c: route_match of arbitrary
 * paths against every pattern of API.md; a capture must obey its
 * parameter's character class and length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "router.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
	"/api/v1/health",
	"/api/v1/campaigns",
	"/api/v1/campaigns/:slug",
	"/api/v1/campaigns/:slug/pledges",
	"/api/v1/campaigns/:slug/counter",
	"/api/v1/campaigns/:slug/counter.svg",
	"/api/v1/campaigns/:slug/stats",
	"/api/v1/confirm",
	"/api/v1/events",
	"/api/v1/events/:slug",
	"/api/v1/events/:slug.ics",
	"/api/v1/events/:slug/registrations",
	"/api/v1/registrations/cancel",
	"/api/v1/newsletter",
	"/api/v1/newsletter/unsubscribe",
	"/api/v1/comments",
	"/api/v1/consultants",
	"/api/v1/privacy/request",
	"/api/v1/privacy/export",
	"/api/v1/privacy/erase",
	"/api/v1/admin/login",
	"/api/v1/admin/logout",
	"/api/v1/admin/pledges",
	"/api/v1/admin/pledges/:id/moderation",
	"/api/v1/admin/campaigns",
	"/api/v1/admin/campaigns/:slug",
	"/api/v1/admin/events",
	"/api/v1/admin/events/:slug",
	"/api/v1/admin/events/:slug/registrations",
	"/api/v1/admin/registrations/:id/checkin",
	"/api/v1/admin/newsletters",
	"/api/v1/admin/newsletters/:id/send",
	"/api/v1/admin/comments",
	"/api/v1/admin/consultants",
	"/api/v1/admin/export/pledges.csv",
	"/api/v1/admin/export/registrations.csv",
	"/api/v1/admin/export/subscribers.csv",
	"/api/v1/admin/export/comments.csv",
	"/api/v1/admin/export/consultants.csv",
	"/api/v1/t/:token",
	"/api/v1/x/:slug/y/:id/z/:token",
};

/* Does the capture fit the class of the n-th parameter of pattern? */
static int
capture_ok(const char *pattern, size_t n, const char *v)
{
	const char *p = pattern;
	size_t	    len = strlen(v), max;

	for (size_t k = 0;; k++) {
		p = strchr(p, ':');
		if (p == NULL)
			return 0;
		p++;
		if (k == n)
			break;
	}
	max = strncmp(p, "slug", 4) == 0 ? 64 : strncmp(p, "id", 2) == 0 ?
	    18 : 128;
	if (len == 0 || len > max)
		return 0;
	for (const char *c = v; *c != '\0'; c++) {
		int digit = *c >= '0' && *c <= '9';
		int lower = *c >= 'a' && *c <= 'z';
		int upper = *c >= 'A' && *c <= 'Z';

		if (max == 18 ? !digit : max == 64 ? !(digit || lower ||
		    *c == '-') : !(digit || lower || upper || *c == '-' ||
		    *c == '_'))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena arena = { 0 };
	char	    *path = malloc(size + 1); /* exact: ASan */

	if (path == NULL)
		abort();
	memcpy(path, data, size);
	path[size] = '\0';
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		const char *params[REQ_PARAMS_MAX];
		size_t	    n = 0;

		if (!route_match(&arena, patterns[i], path, params, &n))
			continue;
		if (n > REQ_PARAMS_MAX)
			abort();
		for (size_t k = 0; k < n; k++)
			if (!capture_ok(patterns[i], k, params[k]))
				abort();
		/* A matched path has no empty segment. */
		if (strstr(path, "//") != NULL || path[0] != '/' ||
		    path[strlen(path) - 1] == '/')
			abort();
	}
	arena_free(&arena);
	free(path);
	return 0;
}
