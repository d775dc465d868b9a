/*
 * site.c: GET /api/v1/site, who runs the campaign as the operator chose to
 * publish it (see site.h): the organiser's name and address, a contact
 * address and the partners with their logos. The answer is built once at
 * start from the configuration and the partners file, and served from
 * memory with a public Cache-Control; it holds nothing a visitor sent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "response.h"
#include "site.h"
#include "validate.h"

/* The answer, built by site_load; read-only while the workers run. */
static char  *site_body;
static size_t site_len;

/* An http:// or https:// address with a host, printable ASCII only. */
static int
url_ok(const char *s)
{
	const char *host;

	if (strlen(s) > SITE_URL_MAX)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	if (*host == '\0' || strchr("/?#:@", *host) != NULL)
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\`{}|^", c) != NULL)
			return 0;
	}
	return 1;
}

/* A logo's path on this site: "/img/partners/x.svg" (see site.h). */
static int
logo_ok(const char *s)
{
	static const char *const exts[] = { ".svg", ".png", ".jpg", ".jpeg",
		".webp", NULL };
	size_t len = strlen(s);

	if (len < 2 || len > SITE_LOGO_MAX || s[0] != '/')
		return 0;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_./") != len)
		return 0;
	/* No empty segment, no "." or ".." segment, no dot file. */
	if (strstr(s, "//") != NULL || strstr(s, "/.") != NULL)
		return 0;
	for (size_t i = 0; exts[i] != NULL; i++) {
		size_t n = strlen(exts[i]);

		if (len > n + 1 && strcmp(s + len - n, exts[i]) == 0 &&
		    s[len - n - 1] != '/')
			return 1;
	}
	return 0;
}

/*
 * Reads member key of partner o (number i, from 1) as a string into *out:
 * NULL when absent or null and not required. Returns 0, or -1 with err.
 */
static int
member_str(json_t *o, size_t i, const char *key, int required,
    const char **out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (!required)
			return 0;
		snprintf(err, errlen, "partner %zu: %s is missing", i, key);
		return -1;
	}
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		snprintf(err, errlen, "partner %zu: %s is not a string", i, key);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* One partner object checked and copied as served; NULL with err. */
static json_t *
partner_parse(json_t *o, size_t i, char *err, size_t errlen)
{
	const char *name, *url, *logo, *key;
	json_t	   *v;
	size_t	    cps;

	if (!json_is_object(o)) {
		snprintf(err, errlen, "partner %zu is not an object", i);
		return NULL;
	}
	json_object_foreach(o, key, v) {
		if (strcmp(key, "name") != 0 && strcmp(key, "url") != 0 &&
		    strcmp(key, "logo") != 0) {
			snprintf(err, errlen, "partner %zu: unknown member "
			    "'%.40s' (name, url, logo)", i, key);
			return NULL;
		}
	}
	if (member_str(o, i, "name", 1, &name, err, errlen) != 0 ||
	    member_str(o, i, "url", 0, &url, err, errlen) != 0 ||
	    member_str(o, i, "logo", 0, &logo, err, errlen) != 0)
		return NULL;
	if (text_check(name, strlen(name), false, &cps) != TEXT_OK ||
	    cps < 1 || cps > SITE_PARTNER_NAME_MAX) {
		snprintf(err, errlen, "partner %zu: name must be one line of "
		    "1 to %d characters", i, SITE_PARTNER_NAME_MAX);
		return NULL;
	}
	if (url != NULL && !url_ok(url)) {
		snprintf(err, errlen, "partner %zu: url must be an http:// or "
		    "https:// address of at most %d characters", i,
		    SITE_URL_MAX);
		return NULL;
	}
	if (logo != NULL && !logo_ok(logo)) {
		snprintf(err, errlen, "partner %zu: logo must be a path on this "
		    "site such as /img/partners/name.svg (.svg, .png, .jpg, "
		    ".jpeg or .webp)", i);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:o}", "name", name, "url",
	    json_opt_str(url), "logo", json_opt_str(logo));
}

json_t *
site_partners_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t	    *doc, *out = NULL, *item;
	size_t	     i;

	doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		snprintf(err, errlen, "line %d: %s", jerr.line, jerr.text);
		return NULL;
	}
	if (!json_is_array(doc)) {
		snprintf(err, errlen, "expected a JSON array of partners");
		goto out;
	}
	if (json_array_size(doc) > SITE_PARTNERS_MAX) {
		snprintf(err, errlen, "more than %d partners", SITE_PARTNERS_MAX);
		goto out;
	}
	if ((out = json_array()) == NULL)
		log_fatal("out of memory");
	json_array_foreach(doc, i, item) {
		json_t *p = partner_parse(item, i + 1, err, errlen);

		if (p == NULL) {
			json_decref(out);
			out = NULL;
			goto out;
		}
		if (json_array_append_new(out, p) != 0)
			log_fatal("out of memory");
	}
out:
	json_decref(doc);
	return out;
}

/* Reads the whole file at path (at most SITE_PARTNERS_FILE_MAX bytes) into
 * a new buffer the caller frees. Returns 0, or -1 with err. */
static int
file_read(const char *path, char **out, size_t *len, char *err,
    size_t errlen)
{
	FILE  *f = fopen(path, "r");
	char  *buf = NULL;
	size_t n;
	int    rc = -1;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		return -1;
	}
	if ((buf = malloc(SITE_PARTNERS_FILE_MAX + 1)) == NULL)
		log_fatal("out of memory");
	n = fread(buf, 1, SITE_PARTNERS_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		goto out;
	}
	if (n > SITE_PARTNERS_FILE_MAX) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    SITE_PARTNERS_FILE_MAX);
		goto out;
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

int
site_load(const struct config *cfg, char *err, size_t errlen)
{
	json_t *partners = NULL, *organiser, *contact, *doc;
	char   *buf = NULL, perr[256];
	size_t	len = 0;
	int	rc = -1;

	if (cfg->organiser_url[0] != '\0' && cfg->organiser_name[0] == '\0') {
		snprintf(err, errlen, "organiser_url is set without "
		    "organiser_name");
		goto out;
	}
	if (cfg->organiser_url[0] != '\0' && !url_ok(cfg->organiser_url)) {
		snprintf(err, errlen, "organiser_url: expected an http:// or "
		    "https:// address of printable ASCII");
		goto out;
	}
	if (cfg->contact_email[0] != '\0' && !email_valid(cfg->contact_email,
	    strlen(cfg->contact_email))) {
		snprintf(err, errlen, "contact_email: expected an address such "
		    "as contact@example.org");
		goto out;
	}
	if (cfg->partners_file[0] != '\0') {
		if (file_read(cfg->partners_file, &buf, &len, err, errlen) != 0)
			goto out;
		partners = site_partners_parse(buf, len, perr, sizeof(perr));
		if (partners == NULL) {
			snprintf(err, errlen, "%s: %s", cfg->partners_file,
			    perr);
			goto out;
		}
	} else if ((partners = json_array()) == NULL)
		log_fatal("out of memory");
	organiser = cfg->organiser_name[0] == '\0' ? json_null() :
	    json_pack("{s:s, s:o}", "name", cfg->organiser_name, "url",
	    json_opt_str(cfg->organiser_url[0] ? cfg->organiser_url : NULL));
	contact = cfg->contact_email[0] == '\0' ? json_null() :
	    json_pack("{s:s}", "email", cfg->contact_email);
	doc = json_pack("{s:o, s:o, s:o}", "organiser", organiser, "contact",
	    contact, "partners", partners);
	partners = NULL;	/* doc has it */
	if (doc == NULL)
		log_fatal("cannot build the site's description");
	site_free();
	site_body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (site_body == NULL)
		log_fatal("out of memory");
	site_len = strlen(site_body);
	rc = 0;
out:
	json_decref(partners);
	free(buf);
	return rc;
}

void
site_free(void)
{
	free(site_body);
	site_body = NULL;
	site_len = 0;
}

void
site_get(struct req *r)
{
	static const char empty[] =
	    "{\"organiser\":null,\"contact\":null,\"partners\":[]}";

	/* What an operator publishes changes with a restart only. */
	resp_header(r, "Cache-Control", "public, max-age=300");
	resp_header(r, "Vary", "Accept-Encoding");
	if (site_body == NULL)
		resp_raw(r, 200, "application/json; charset=utf-8", empty,
		    sizeof(empty) - 1);
	else
		resp_raw(r, 200, "application/json; charset=utf-8", site_body,
		    site_len);
}
