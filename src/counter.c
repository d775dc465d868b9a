/*
 * counter.c: a campaign's live figures, the hottest endpoints: the counter
 * (JSON, with a strong ETag and If-None-Match), its SVG badge (the count
 * written the language's way, num_format), the stats by country, actor
 * type, category and unit, and the timeline (the count day by day). None
 * of them scans the pledges: the count and the tallies are kept up to date
 * in the pledge's own transaction, and the campaign comes from campcache.
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
#include "util.h"

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

/* Characters (UTF-8 code points) in s, for the badge's widths. */
static int
glyphs(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
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
	char	       etag[96], num[NUM_FORMAT_LEN], variant[8], *svg;
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
	num_format(k.count, lang, num);
	const char *label = word[lang][k.count == 1 ? 0 : 1];
	/* Widths from a 7 px average glyph at 11 px Verdana-like text. */
	w_num = glyphs(num) * 8 + 12;
	w_label = glyphs(label) * 7 + 12;
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

/* The campaign of r->params[0] for the stats and the timeline (readable
 * from other sites); writes the error and returns -1. */
static int
stats_campaign(struct req *r, struct campaign *c)
{
	enum db_err e;

	resp_header(r, "Access-Control-Allow-Origin", "*");
	e = campcache_get(r->store, r->arena, r->params[0], c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return -1;
	}
	return 0;
}

/* The stats' and the timeline's caching: as the counter's, no ETag. */
static void
stats_reply(struct req *r, json_t *o)
{
	resp_header(r, "Cache-Control", "public, max-age=5, "
	    "stale-while-revalidate=30");
	resp_header(r, "X-Accel-Expires", "1");
	resp_json(r, 200, o);
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

	if (stats_campaign(r, &c) != 0)
		return;
	o = json_pack("{s:I, s:{}, s:{}, s:{}, s:{}}", "count",
	    (json_int_t)c.count, "by_country", "by_actor_type", "by_category",
	    "totals");
	e = store_tallies(r->store, c.id, stats_add, o);
	if (e != DB_OK) {
		json_decref(o);
		resp_db_error(r, e);
		return;
	}
	stats_reply(r, o);
}

/* The timeline being built: its days and the running total. */
struct timeline {
	json_t *days;
	int64_t total;
};

/* Adds one day: its pledges and the total up to it. */
static void
timeline_add(const char *day, int64_t value, void *arg)
{
	struct timeline *t = arg;

	t->total += value;
	json_array_append_new(t->days, json_pack("{s:s, s:I, s:I}", "date",
	    day, "added", (json_int_t)value, "total", (json_int_t)t->total));
}

void
timeline_get(struct req *r)
{
	struct campaign c;
	struct timeline t = { NULL, 0 };
	enum db_err	e;

	if (stats_campaign(r, &c) != 0)
		return;
	t.days = json_array();
	e = store_timeline(r->store, c.id, timeline_add, &t);
	if (e != DB_OK) {
		json_decref(t.days);
		resp_db_error(r, e);
		return;
	}
	stats_reply(r, json_pack("{s:s, s:I, s:o}", "campaign", r->params[0],
	    "count", (json_int_t)t.total, "days", t.days));
}

