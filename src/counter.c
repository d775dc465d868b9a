/*
 * counter.c: a campaign's live figures, the hottest endpoints: the counter
 * (JSON, with a strong ETag and If-None-Match), its SVG badge and the
 * stats by country, actor type, category and unit. None of them scans the
 * pledges: the count and the tallies are kept up to date in the pledge's
 * own transaction, and the campaign comes from campcache.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "campcache.h"
#include "handlers.h"
#include "json_out.h"
#include "response.h"
#include "store.h"
#include "store_pledges.h"

/* Headers shared by the counter's representations. */
static void
counter_headers(struct req *r, const char *etag)
{
	resp_header(r, "Cache-Control", "public, max-age=5, "
	    "stale-while-revalidate=30");
	resp_header(r, "ETag", "%s", etag);
	resp_header(r, "Access-Control-Expose-Headers", "ETag");
	/* For nginx's micro-cache only (it strips the header): keep a copy
	 * one second, whatever max-age tells browsers. */
	resp_header(r, "X-Accel-Expires", "1");
	resp_header(r, "Vary", "Accept-Encoding");
}

/* True when If-None-Match lists etag (or is "*"). */
static bool
etag_matches(struct req *r, const char *etag)
{
	const char *inm = req_param(r, "HTTP_IF_NONE_MATCH");
	size_t	    n = strlen(etag);

	if (inm == NULL)
		return false;
	for (const char *p = inm; *p != '\0';) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' ||
		    p[n] == ' '))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* Loads the counter of r->params[0]; writes the error and returns -1. */
static int
counter_load(struct req *r, struct counter *k, char etag[96],
    const char *variant)
{
	enum db_err e = campcache_counter(r->store, r->params[0], k);

	/* Embedders on other sites may read errors too (404, 503). */
	resp_header(r, "Access-Control-Allow-Origin", "*");
	if (e != DB_OK) {
		resp_db_error(r, e);
		return -1;
	}
	snprintf(etag, 96, "\"%s-%" PRId64 "-%" PRId64 "-%" PRId64 "\"",
	    variant, k->count, k->has_goal ? k->goal : -1, k->updated_at);
	return 0;
}

void
counter_get(struct req *r)
{
	struct counter k;
	char	       etag[96];

	if (counter_load(r, &k, etag, "j") != 0)
		return;
	counter_headers(r, etag);
	if (etag_matches(r, etag)) {
		resp_not_modified(r);
		return;
	}
	resp_json(r, 200, json_pack("{s:s, s:I, s:o, s:o}",
	    "campaign", r->params[0], "count", (json_int_t)k.count,
	    "goal", k.has_goal ? json_integer(k.goal) : json_null(),
	    "updated_at", json_time(true, k.updated_at)));
}

/* Formats n with the language's digit grouping. */
static void
format_count(int64_t n, enum lang lang, char *out, size_t outlen)
{
	static const char *const sep[LANG__MAX] = {
		[LANG_ES] = ".", [LANG_EN] = ",", [LANG_PT] = ".",
		[LANG_FR] = "\u202f",
	};
	char   digits[24];
	size_t len, o = 0;

	len = (size_t)snprintf(digits, sizeof(digits), "%" PRId64, n < 0 ? 0 : n);
	for (size_t i = 0; i < len && o + 4 < outlen; i++) {
		/* Spanish leaves four-digit numbers ungrouped. */
		if (i > 0 && (len - i) % 3 == 0 &&
		    !(lang == LANG_ES && len == 4)) {
			size_t sl = strlen(sep[lang]);

			memcpy(out + o, sep[lang], sl);
			o += sl;
		}
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void
counter_svg(struct req *r)
{
	static const char *const word[LANG__MAX][2] = {
		[LANG_ES] = { "compromiso", "compromisos" },
		[LANG_EN] = { "pledge", "pledges" },
		[LANG_PT] = { "compromisso", "compromissos" },
		[LANG_FR] = { "engagement", "engagements" },
	};
	struct counter k;
	struct kvlist  q;
	enum lang      lang;
	char	       etag[96], num[48], variant[8], *svg;
	int	       w_label, w_num, len;

	if (req_query(r, &q) != 0 || req_query_lang(r, &q, &lang) != 0)
		return;
	snprintf(variant, sizeof(variant), "s%s", lang_codes[lang]);
	if (counter_load(r, &k, etag, variant) != 0)
		return;
	counter_headers(r, etag);
	if (etag_matches(r, etag)) {
		resp_not_modified(r);
		return;
	}
	format_count(k.count, lang, num, sizeof(num));
	const char *label = word[lang][k.count == 1 ? 0 : 1];
	/* Widths from a 7 px average glyph at 11 px Verdana-like text. */
	w_num = (int)strlen(num) * 8 + 12;
	w_label = (int)strlen(label) * 7 + 12;
	len = 1024;
	svg = arena_alloc(r->arena, (size_t)len);
	len = snprintf(svg, (size_t)len,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"20\" "
	    "role=\"img\" aria-label=\"%s %s\">"
	    "<title>%s %s</title>"
	    "<rect width=\"%d\" height=\"20\" rx=\"3\" fill=\"#0b5cad\"/>"
	    "<rect x=\"%d\" width=\"%d\" height=\"20\" rx=\"3\" fill=\"#1f8a4c\"/>"
	    "<rect x=\"%d\" width=\"4\" height=\"20\" fill=\"#1f8a4c\"/>"
	    "<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
	    "font-size=\"11\" text-anchor=\"middle\">"
	    "<text x=\"%d\" y=\"14\" font-weight=\"bold\">%s</text>"
	    "<text x=\"%d\" y=\"14\">%s</text></g></svg>",
	    w_num + w_label, num, label, num, label,
	    w_num + w_label, w_num, w_label, w_num,
	    w_num / 2, num, w_num + w_label / 2, label);
	resp_raw(r, 200, "image/svg+xml; charset=utf-8", svg, (size_t)len);
}

/* Builds the stats object from the tallies. */
static void
stats_add(const char *dimension, const char *key, int64_t value, void *arg)
{
	json_t	   *o = arg;
	const char *name = strcmp(dimension, "unit") == 0 ? "totals" :
	    strcmp(dimension, "country") == 0 ? "by_country" :
	    strcmp(dimension, "actor_type") == 0 ? "by_actor_type" :
	    strcmp(dimension, "category") == 0 ? "by_category" : NULL;

	if (name != NULL)
		json_object_set_new(json_object_get(o, name), key,
		    json_integer(value));
}

void
stats_get(struct req *r)
{
	struct campaign c;
	json_t	       *o;
	enum db_err	e;

	resp_header(r, "Access-Control-Allow-Origin", "*");
	e = campcache_get(r->store, r->arena, r->params[0], &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	o = json_pack("{s:I, s:{}, s:{}, s:{}, s:{}}", "count",
	    (json_int_t)c.count, "by_country", "by_actor_type", "by_category",
	    "totals");
	e = store_tallies(r->store, c.id, stats_add, o);
	if (e != DB_OK) {
		json_decref(o);
		resp_db_error(r, e);
		return;
	}
	resp_header(r, "Cache-Control", "public, max-age=5, "
	    "stale-while-revalidate=30");
	resp_header(r, "X-Accel-Expires", "1");
	resp_json(r, 200, o);
}

