/*
 * consent.c: the consent record a submission carries (see consent.h):
 * when, from which client address, for which version of the privacy
 * notice, in which language and from which page.
 */
#include <string.h>

#include "consent.h"

/* A page path from text: "/..." without query, printable, ≤ 200 bytes;
 * NULL when it is not one. From arena. */
static const char *
page_path(struct arena *arena, const char *text)
{
	size_t n;

	if (text == NULL || text[0] != '/' || text[1] == '/')
		return NULL;
	n = strcspn(text, "?#");
	if (n > 200)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (text[i] <= 0x20 || text[i] >= 0x7f)
			return NULL;
	return arena_strndup(arena, text, n);
}

void
consent_prepare(struct req *r, const struct fields *f, const char *subject,
    const char *language, struct consent *c)
{
	const char *source = page_path(r->arena,
	    json_string_value(json_object_get(f->in, "source")));
	const char *referer = req_param(r, "HTTP_REFERER");

	if (source == NULL && r->form_return != NULL)
		source = page_path(r->arena, r->form_return);
	if (source == NULL && referer != NULL) {
		/* "https://host/page.html?x": the path after the host. */
		const char *p = strstr(referer, "://");

		if (p != NULL && (p = strchr(p + 3, '/')) != NULL)
			source = page_path(r->arena, p);
	}
	memset(c, 0, sizeof(*c));
	c->subject = subject;
	c->given_at = now_unix();
	c->client_ip = arena_strndup(r->arena, r->client, strlen(r->client));
	c->notice_version = PRIVACY_NOTICE_VERSION;
	c->language = language != NULL ? language : "es";
	c->source = source;
}
