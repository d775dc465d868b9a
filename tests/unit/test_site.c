/*
 * test_site.c: site.c — the partners file (good and bad files, table
 * driven) and site_load's checks of the configuration it publishes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "site.h"

/* Good files: parsed, then dumped (compact, keys sorted) as expected. */
static const struct {
	const char *text, *json;
} good[] = {
	{ "[]", "[]" },
	{ " [ ]\n", "[]" },
	{ "[{\"name\": \"Ministerio de Transporte\"}]",
	    "[{\"logo\":null,\"name\":\"Ministerio de Transporte\","
	    "\"url\":null}]" },
	{ "[{\"name\": \"Red Ñandú\", \"url\": \"https://red.example.org/\", "
	    "\"logo\": \"/img/partners/red-nandu.svg\"}]",
	    "[{\"logo\":\"/img/partners/red-nandu.svg\",\"name\":\"Red Ñandú\","
	    "\"url\":\"https://red.example.org/\"}]" },
	{ "[{\"name\": \"A\", \"url\": null, \"logo\": null}]",
	    "[{\"logo\":null,\"name\":\"A\",\"url\":null}]" },
	{ "[{\"name\": \"A\", \"url\": \"http://a.example.org/x?y=1#z\"}]",
	    "[{\"logo\":null,\"name\":\"A\","
	    "\"url\":\"http://a.example.org/x?y=1#z\"}]" },
	{ "[{\"name\": \"A\", \"logo\": \"/a.png\"}, {\"name\": \"B\", "
	    "\"logo\": \"/img/b_2.JPEG\"}]", NULL },	/* .JPEG: refused */
	{ "[{\"name\": \"A\", \"logo\": \"/a.png\"}, {\"name\": \"B\", "
	    "\"logo\": \"/img/b_2.jpeg\"}, {\"name\": \"C\", \"logo\": "
	    "\"/c.webp\"}, {\"name\": \"D\", \"logo\": \"/d.jpg\"}]",
	    "[{\"logo\":\"/a.png\",\"name\":\"A\",\"url\":null},"
	    "{\"logo\":\"/img/b_2.jpeg\",\"name\":\"B\",\"url\":null},"
	    "{\"logo\":\"/c.webp\",\"name\":\"C\",\"url\":null},"
	    "{\"logo\":\"/d.jpg\",\"name\":\"D\",\"url\":null}]" },
};

/* Bad files: NULL, and the error contains problem. */
static const struct {
	const char *text, *problem;
} bad[] = {
	{ "", "line" },
	{ "[", "line 1" },
	{ "{\"partners\": []}", "expected a JSON array" },
	{ "\"A\"", "line 1" },	/* jansson wants an array or object */
	{ "7", "line 1" },
	{ "[1]", "partner 1 is not an object" },
	{ "[{\"name\": \"A\"}, null]", "partner 2 is not an object" },
	{ "[{}]", "partner 1: name is missing" },
	{ "[{\"name\": null}]", "partner 1: name is missing" },
	{ "[{\"name\": 7}]", "partner 1: name is not a string" },
	{ "[{\"name\": \"\"}]", "partner 1: name must be one line" },
	{ "[{\"name\": \"a\\nb\"}]", "name must be one line" },
	{ "[{\"name\": \"a\\u0000b\"}]", "line 1" },	/* NUL refused */
	{ "[{\"name\": \"A\", \"name\": \"B\"}]", "duplicate" },
	{ "[{\"name\": \"A\", \"logos\": \"/a.svg\"}]",
	    "partner 1: unknown member 'logos'" },
	{ "[{\"name\": \"A\", \"url\": \"ftp://a.example.org\"}]",
	    "partner 1: url" },
	{ "[{\"name\": \"A\", \"url\": \"javascript:alert(1)\"}]", "url" },
	{ "[{\"name\": \"A\", \"url\": \"https://\"}]", "url" },
	{ "[{\"name\": \"A\", \"url\": \"https:///x\"}]", "url" },
	{ "[{\"name\": \"A\", \"url\": \"https://a.example.org/a b\"}]", "url" },
	{ "[{\"name\": \"A\", \"url\": \"https://a.example.org/\\\"x\"}]", "url" },
	{ "[{\"name\": \"A\", \"url\": \"https://ñ.example.org/\"}]", "url" },
	{ "[{\"name\": \"A\", \"url\": 5}]", "url is not a string" },
	{ "[{\"name\": \"A\", \"logo\": \"a.svg\"}]", "partner 1: logo" },
	{ "[{\"name\": \"A\", \"logo\": \"https://cdn.example.org/a.svg\"}]",
	    "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"//cdn.example.org/a.svg\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/../../etc/a.svg\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/.a.svg\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/a.gif\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/a.svg?x\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/a b.svg\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/.svg\"}]", "logo" },
	{ "[{\"name\": \"A\", \"logo\": \"/img/a.SVG\"}]", "logo" },
	{ "[{\"name\": \"A\"}, {\"name\": \"B\", \"logo\": \"/\"}]",
	    "partner 2: logo" },
};

static void
test_partners(void)
{
	char err[256];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		json_t *a;
		char   *dump;

		check_context("good row %zu", i);
		err[0] = '\0';
		a = site_partners_parse(good[i].text, strlen(good[i].text), err,
		    sizeof(err));
		if (good[i].json == NULL) {
			CHECK(a == NULL);
			json_decref(a);
			continue;
		}
		if (!CHECK(a != NULL)) {
			fprintf(stderr, "    error: %s\n", err);
			continue;
		}
		dump = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
		CHECK_STR(dump, good[i].json);
		free(dump);
		json_decref(a);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *a;

		check_context("bad row %zu (%s)", i, bad[i].problem);
		err[0] = '\0';
		a = site_partners_parse(bad[i].text, strlen(bad[i].text), err,
		    sizeof(err));
		CHECK(a == NULL);
		json_decref(a);
		if (!CHECK(strstr(err, bad[i].problem) != NULL))
			fprintf(stderr, "    error: \"%s\", want \"%s\"\n", err,
			    bad[i].problem);
	}
	check_context("%s", "");
}

/* Limits that a table cannot show: the number of partners, name length. */
static void
test_partner_limits(void)
{
	char   *buf, err[256];
	size_t	cap = 64 * 1024;
	json_t *a;

	if ((buf = malloc(cap)) == NULL)
		abort();
	check_context("SITE_PARTNERS_MAX partners, then one more");
	strcpy(buf, "[");
	for (int i = 0; i < SITE_PARTNERS_MAX; i++)
		snprintf(buf + strlen(buf), cap - strlen(buf),
		    "%s{\"name\": \"P%d\"}", i ? "," : "", i);
	strcat(buf, "]");
	a = site_partners_parse(buf, strlen(buf), err, sizeof(err));
	CHECK(a != NULL && json_array_size(a) == SITE_PARTNERS_MAX);
	json_decref(a);
	buf[strlen(buf) - 1] = '\0';
	strcat(buf, ",{\"name\": \"one too many\"}]");
	a = site_partners_parse(buf, strlen(buf), err, sizeof(err));
	CHECK(a == NULL);
	CHECK(strstr(err, "more than") != NULL);

	/* Characters, not bytes: 160 "é" fit, 161 do not. */
	check_context("a name of SITE_PARTNER_NAME_MAX characters, then one more");
	strcpy(buf, "[{\"name\": \"");
	for (int i = 0; i < SITE_PARTNER_NAME_MAX; i++)
		strcat(buf, "\xc3\xa9");
	strcat(buf, "\"}]");
	a = site_partners_parse(buf, strlen(buf), err, sizeof(err));
	CHECK(a != NULL);
	json_decref(a);
	strcpy(buf, "[{\"name\": \"x");
	for (int i = 0; i < SITE_PARTNER_NAME_MAX; i++)
		strcat(buf, "\xc3\xa9");
	strcat(buf, "\"}]");
	a = site_partners_parse(buf, strlen(buf), err, sizeof(err));
	CHECK(a == NULL);
	CHECK(strstr(err, "1 to 160") != NULL);
	free(buf);
	check_context("%s", "");
}

static void
test_load(void)
{
	struct config cfg;
	char	      err[512];
	const char   *path;

	check_context("nothing configured");
	config_defaults(&cfg);
	CHECK_INT(site_load(&cfg, err, sizeof(err)), 0);

	check_context("everything configured");
	path = check_temp_file("[{\"name\": \"Ministerio\", \"logo\": "
	    "\"/img/partners/a.svg\"}]\n");
	snprintf(cfg.organiser_name, sizeof(cfg.organiser_name), "Programa");
	snprintf(cfg.organiser_url, sizeof(cfg.organiser_url),
	    "https://programa.example.org");
	snprintf(cfg.contact_email, sizeof(cfg.contact_email),
	    "contacto@programa.example.org");
	snprintf(cfg.partners_file, sizeof(cfg.partners_file), "%s", path);
	CHECK_INT(site_load(&cfg, err, sizeof(err)), 0);

	check_context("a bad partners file is named in the error");
	path = check_temp_file("[{\"name\": \"Ministerio\", \"logo\": \"a.gif\"}]");
	snprintf(cfg.partners_file, sizeof(cfg.partners_file), "%s", path);
	CHECK_INT(site_load(&cfg, err, sizeof(err)), -1);
	CHECK(strncmp(err, path, strlen(path)) == 0);
	CHECK(strstr(err, "partner 1: logo") != NULL);
	unlink(path);

	check_context("a missing partners file");
	snprintf(cfg.partners_file, sizeof(cfg.partners_file),
	    "/nonexistent/partners.json");
	CHECK_INT(site_load(&cfg, err, sizeof(err)), -1);
	CHECK(strstr(err, "/nonexistent/partners.json: cannot read") != NULL);

	check_context("organiser_url without organiser_name");
	config_defaults(&cfg);
	snprintf(cfg.organiser_url, sizeof(cfg.organiser_url),
	    "https://programa.example.org");
	CHECK_INT(site_load(&cfg, err, sizeof(err)), -1);
	CHECK(strstr(err, "organiser_url is set without organiser_name") !=
	    NULL);

	check_context("organiser_url with a space");
	snprintf(cfg.organiser_name, sizeof(cfg.organiser_name), "Programa");
	snprintf(cfg.organiser_url, sizeof(cfg.organiser_url),
	    "https://programa.example.org/a b");
	CHECK_INT(site_load(&cfg, err, sizeof(err)), -1);
	CHECK(strstr(err, "organiser_url") != NULL);

	check_context("contact_email without a domain");
	config_defaults(&cfg);
	snprintf(cfg.contact_email, sizeof(cfg.contact_email),
	    "contacto@localhost");
	CHECK_INT(site_load(&cfg, err, sizeof(err)), -1);
	CHECK(strstr(err, "contact_email") != NULL);
	site_free();
	check_context("%s", "");
}

int
main(void)
{
	test_partners();
	test_partner_limits();
	test_load();
	return check_done();
}
