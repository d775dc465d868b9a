/*
 * campaigns.c: GET /api/v1/campaigns and GET /api/v1/campaigns/{slug}.
 */
#include "campaigns.h"
#include "campcache.h"
#include "handlers.h"
#include "log.h"
#include "response.h"

json_t *
json_time(bool has, int64_t t)
{
	char buf[TIME_RFC3339_LEN];

	if (!has)
		return json_null();
	time_format(t, buf);
	return json_string(buf);
}

json_t *
json_langs(const char *const text[LANG__MAX])
{
	json_t *o = json_object();

	for (int l = 0; l < LANG__MAX; l++)
		json_object_set_new(o, lang_codes[l],
		    json_string(text[l] ? text[l] : ""));
	return o;
}

json_t *
campaign_json(const struct campaign *c, int64_t now)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:s}",
	    "slug", c->slug,
	    "title", json_langs(c->title),
	    "description", json_langs(c->description),
	    "goal", c->has_goal ? json_integer(c->goal) : json_null(),
	    "count", (json_int_t)c->count,
	    "opens_at", json_time(c->has_opens_at, c->opens_at),
	    "closes_at", json_time(c->has_closes_at, c->closes_at),
	    "status", campaign_status(c, now));

	if (o == NULL)
		log_fatal("out of memory");
	return o;
}

static int
campaign_append(const struct campaign *c, void *arg)
{
	json_array_append_new(arg, campaign_json(c, now_unix()));
	return 0;
}

void
campaigns_list(struct req *r)
{
	json_t	   *items = json_array();
	enum db_err e = store_campaign_list(r->store, r->arena, campaign_append,
	    items);

	if (e != DB_OK) {
		json_decref(items);
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}

void
campaigns_get(struct req *r)
{
	struct campaign c;
	enum db_err	e = campcache_get(r->store, r->arena, r->params[0],
	    &c);

	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, campaign_json(&c, now_unix()));
}
