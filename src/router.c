/*
 * router.c: the route table and dispatch (see router.h). Adding a route is
 * one line in the enum and one in the table.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "response.h"
#include "router.h"

#define STAFF 0x1	/* needs a staff session (and CSRF on changes) */

struct route {
	unsigned    methods;	/* enum method bits */
	unsigned    flags;
	const char *pattern;
	handler_fn  fn;
};

enum route_id {
	ROUTE_HEALTH,
	ROUTE_CAMPAIGNS,
	ROUTE_CAMPAIGN,
	ROUTE_PLEDGES,
	ROUTE_PLEDGES_SUBMIT,
	ROUTE_PLEDGE,
	ROUTE_COUNTER,
	ROUTE_COUNTER_SVG,
	ROUTE_STATS,
	ROUTE_TIMELINE,
	ROUTE_QR,
	ROUTE_CONFIRM,
	ROUTE_ADMIN_LOGIN,
	ROUTE_ADMIN_LOGOUT,
	ROUTE_ADMIN_ME,
	ROUTE_ADMIN_PLEDGES,
	ROUTE_ADMIN_MODERATE,
	ROUTE_ADMIN_MODERATE_BULK,
	ROUTE_ADMIN_CAMPAIGNS,
	ROUTE_ADMIN_CAMPAIGN,
	ROUTE_ADMIN_AUDIT,
	ROUTE_EVENTS,
	ROUTE_EVENT_ICS,
	ROUTE_EVENT,
	ROUTE_REGISTER,
	ROUTE_CANCEL,
	ROUTE_ADMIN_EVENTS,
	ROUTE_ADMIN_EVENT_LIST,
	ROUTE_ADMIN_EVENT,
	ROUTE_ADMIN_EVENT_GET,
	ROUTE_ADMIN_EVENT_REGISTRATIONS,
	ROUTE_ADMIN_CHECKIN,
	ROUTE_NEWSLETTER,
	ROUTE_UNSUBSCRIBE,
	ROUTE_PRIVACY_REQUEST,
	ROUTE_PRIVACY_EXPORT,
	ROUTE_PRIVACY_ERASE,
	ROUTE_ADMIN_NEWSLETTERS,
	ROUTE_ADMIN_NEWSLETTER_CREATE,
	ROUTE_ADMIN_NEWSLETTER_SEND,
	ROUTE_COMMENTS,
	ROUTE_CONSULTANTS,
	ROUTE_ADMIN_COMMENTS,
	ROUTE_ADMIN_COMMENT_HANDLED,
	ROUTE_ADMIN_CONSULTANTS,
	ROUTE_ADMIN_EXPORT,
	ROUTE_SITE,
	ROUTE__MAX
};

#define GET (METHOD_GET | METHOD_HEAD)

static const struct route routes[ROUTE__MAX] = {
	[ROUTE_HEALTH] = { GET, 0, "/api/v1/health", health_get },
	[ROUTE_CAMPAIGNS] = { GET, 0, "/api/v1/campaigns", campaigns_list },
	[ROUTE_CAMPAIGN] = { GET, 0, "/api/v1/campaigns/:slug", campaigns_get },
	[ROUTE_PLEDGES] = { GET, 0, "/api/v1/campaigns/:slug/pledges", wall_get },
	[ROUTE_PLEDGES_SUBMIT] = { METHOD_POST, 0,
	    "/api/v1/campaigns/:slug/pledges", pledges_submit },
	[ROUTE_PLEDGE] = { GET, 0, "/api/v1/campaigns/:slug/pledges/:id",
	    wall_pledge_get },
	[ROUTE_COUNTER] = { GET, 0, "/api/v1/campaigns/:slug/counter",
	    counter_get },
	[ROUTE_COUNTER_SVG] = { GET, 0, "/api/v1/campaigns/:slug/counter.svg",
	    counter_svg },
	[ROUTE_STATS] = { GET, 0, "/api/v1/campaigns/:slug/stats", stats_get },
	[ROUTE_TIMELINE] = { GET, 0, "/api/v1/campaigns/:slug/stats/timeline",
	    timeline_get },
	[ROUTE_QR] = { GET, 0, "/api/v1/campaigns/:slug/qr.svg", qr_svg },
	[ROUTE_CONFIRM] = { METHOD_POST, 0, "/api/v1/confirm", confirm_post },
	[ROUTE_ADMIN_LOGIN] = { METHOD_POST, 0, "/api/v1/admin/login",
	    staff_login },
	[ROUTE_ADMIN_LOGOUT] = { METHOD_POST, STAFF, "/api/v1/admin/logout",
	    staff_logout },
	[ROUTE_ADMIN_ME] = { GET, STAFF, "/api/v1/admin/me", staff_me },
	[ROUTE_ADMIN_PLEDGES] = { GET, STAFF, "/api/v1/admin/pledges",
	    moderation_list },
	[ROUTE_ADMIN_MODERATE] = { METHOD_POST, STAFF,
	    "/api/v1/admin/pledges/:id/moderation", moderation_decide },
	[ROUTE_ADMIN_MODERATE_BULK] = { METHOD_POST, STAFF,
	    "/api/v1/admin/pledges/moderation", moderation_bulk },
	[ROUTE_ADMIN_CAMPAIGNS] = { METHOD_POST, STAFF,
	    "/api/v1/admin/campaigns", campaigns_create },
	[ROUTE_ADMIN_CAMPAIGN] = { METHOD_PUT, STAFF,
	    "/api/v1/admin/campaigns/:slug", campaigns_update },
	[ROUTE_ADMIN_AUDIT] = { GET, STAFF, "/api/v1/admin/audit", staff_audit },
	[ROUTE_EVENTS] = { GET, 0, "/api/v1/events", events_list },
	[ROUTE_EVENT_ICS] = { GET, 0, "/api/v1/events/:slug.ics", events_ics },
	[ROUTE_EVENT] = { GET, 0, "/api/v1/events/:slug", events_get },
	[ROUTE_REGISTER] = { METHOD_POST, 0,
	    "/api/v1/events/:slug/registrations", registrations_post },
	[ROUTE_CANCEL] = { METHOD_POST, 0, "/api/v1/registrations/cancel",
	    registrations_cancel },
	[ROUTE_ADMIN_EVENTS] = { METHOD_POST, STAFF, "/api/v1/admin/events",
	    events_create },
	[ROUTE_ADMIN_EVENT_LIST] = { GET, STAFF, "/api/v1/admin/events",
	    events_admin_list },
	[ROUTE_ADMIN_EVENT] = { METHOD_PUT, STAFF, "/api/v1/admin/events/:slug",
	    events_update },
	[ROUTE_ADMIN_EVENT_GET] = { GET, STAFF, "/api/v1/admin/events/:slug",
	    events_admin_get },
	[ROUTE_ADMIN_EVENT_REGISTRATIONS] = { GET, STAFF,
	    "/api/v1/admin/events/:slug/registrations",
	    events_door },
	[ROUTE_ADMIN_CHECKIN] = { METHOD_POST, STAFF,
	    "/api/v1/admin/registrations/:id/checkin", events_checkin },
	[ROUTE_NEWSLETTER] = { METHOD_POST, 0, "/api/v1/newsletter",
	    newsletter_subscribe },
	[ROUTE_UNSUBSCRIBE] = { METHOD_POST, 0,
	    "/api/v1/newsletter/unsubscribe", newsletter_unsubscribe },
	[ROUTE_PRIVACY_REQUEST] = { METHOD_POST, 0, "/api/v1/privacy/request",
	    privacy_request },
	[ROUTE_PRIVACY_EXPORT] = { METHOD_POST, 0, "/api/v1/privacy/export",
	    privacy_export },
	[ROUTE_PRIVACY_ERASE] = { METHOD_POST, 0, "/api/v1/privacy/erase",
	    privacy_erase },
	[ROUTE_ADMIN_NEWSLETTERS] = { GET, STAFF, "/api/v1/admin/newsletters",
	    newsletter_issues },
	[ROUTE_ADMIN_NEWSLETTER_CREATE] = { METHOD_POST, STAFF,
	    "/api/v1/admin/newsletters", newsletter_issue_create },
	[ROUTE_ADMIN_NEWSLETTER_SEND] = { METHOD_POST, STAFF,
	    "/api/v1/admin/newsletters/:id/send", newsletter_issue_send },
	[ROUTE_COMMENTS] = { METHOD_POST, 0, "/api/v1/comments",
	    comments_submit },
	[ROUTE_CONSULTANTS] = { METHOD_POST, 0, "/api/v1/consultants",
	    consultants_submit },
	[ROUTE_ADMIN_COMMENTS] = { GET, STAFF, "/api/v1/admin/comments",
	    comments_list },
	[ROUTE_ADMIN_COMMENT_HANDLED] = { METHOD_POST, STAFF,
	    "/api/v1/admin/comments/:id/handled", comments_handled },
	[ROUTE_ADMIN_CONSULTANTS] = { GET, STAFF, "/api/v1/admin/consultants",
	    consultants_list },
	[ROUTE_ADMIN_EXPORT] = { GET, STAFF, "/api/v1/admin/export/:name.csv",
	    exports_get },
	[ROUTE_SITE] = { GET, 0, "/api/v1/site", site_get },
};

/* Does segment s[0..len) match the character class of a parameter? */
static int
param_ok(const char *kind, size_t kind_len, const char *s, size_t len)
{
	size_t max;

	if (len == 0)
		return 0;
	if (kind_len == 4 && memcmp(kind, "slug", 4) == 0)
		max = 64;
	else if (kind_len == 2 && memcmp(kind, "id", 2) == 0)
		max = 18;
	else
		max = 128;
	if (len > max)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (max == 18) {
			if (c < '0' || c > '9')
				return 0;
		} else if (max == 64) {
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    c == '-'))
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

int
route_match(struct arena *arena, const char *pattern, const char *path,
    const char **params, size_t *nparams)
{
	const char *p = pattern, *s = path;

	*nparams = 0;
	while (*p != '\0' && *s != '\0') {
		const char *pend, *send;
		size_t	    plen, slen;

		if (*p != '/' || *s != '/')
			return 0;
		p++;
		s++;
		pend = strchr(p, '/');
		send = strchr(s, '/');
		plen = pend ? (size_t)(pend - p) : strlen(p);
		slen = send ? (size_t)(send - s) : strlen(s);
		if (*p == ':') {
			/* ":name" or ":name.suffix" */
			const char *dot = memchr(p, '.', plen);
			size_t	    nlen = dot ? (size_t)(dot - p - 1) : plen - 1;
			size_t	    sufl = dot ? plen - nlen - 1 : 0;

			if (slen < sufl || (sufl > 0 &&
			    memcmp(s + slen - sufl, dot, sufl) != 0))
				return 0;
			if (!param_ok(p + 1, nlen, s, slen - sufl))
				return 0;
			if (*nparams == REQ_PARAMS_MAX)
				return 0;
			params[(*nparams)++] = arena_strndup(arena, s, slen - sufl);
		} else if (plen != slen || memcmp(p, s, plen) != 0)
			return 0;
		p += plen;
		s += slen;
	}
	return *p == '\0' && *s == '\0';
}

static void
allow_header(struct req *r, unsigned methods)
{
	static const struct {
		unsigned    bit;
		const char *name;
	} names[] = {
		{ METHOD_GET, "GET" }, { METHOD_HEAD, "HEAD" },
		{ METHOD_POST, "POST" }, { METHOD_PUT, "PUT" },
		{ METHOD_DELETE, "DELETE" }, { METHOD_PATCH, "PATCH" },
	};
	char   buf[128] = "";
	size_t len = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(methods & names[i].bit))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
		    len ? ", " : "", names[i].name);
	}
	resp_header(r, "Allow", "%s", buf);
}

void
router_dispatch(struct req *r)
{
	const char *params[REQ_PARAMS_MAX];
	size_t	    nparams;
	unsigned    allowed = 0;

	for (int i = 0; i < ROUTE__MAX; i++) {
		const struct route *rt = &routes[i];

		if (!route_match(r->arena, rt->pattern, r->path, params, &nparams))
			continue;
		if (!(rt->methods & r->method)) {
			allowed |= rt->methods;
			continue;
		}
		if (!r->query_ok) {
			resp_error(r, 400, "bad_request", NULL);
			return;
		}
		memcpy(r->params, params, sizeof(params));
		r->nparams = nparams;
		if ((rt->flags & STAFF) && staff_authenticate(r) != 0)
			return;
		rt->fn(r);
		/* A deferred request is answered after its commit (and r may
		 * be in the reply thread's hands already): leave it alone. */
		if (!r->deferred && !r->responded)
			resp_error(r, 500, "internal", NULL);
		return;
	}
	if (allowed != 0) {
		allow_header(r, allowed);
		resp_error(r, 405, "method_not_allowed", NULL);
		return;
	}
	resp_error(r, 404, "not_found", NULL);
}
