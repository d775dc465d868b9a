/*
 * campaigns.c: campaigns: GET /api/v1/campaigns and /campaigns/{slug},
 * and the staff's creating and editing them (each with its audit entry).
 * Its live figures (counter, badge, stats) are in counter.c.
 */
#include <string.h>

#include "audit.h"
#include "campaigns.h"
#include "campcache.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "response.h"

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
	json_t *items = json_array();

	resp_items(r, store_campaign_list(r->store, r->arena, campaign_append,
	    items), items);
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

/* ---- staff ---- */

/*
 * Reads the CAMPAIGN fields present in f over c (for PUT, c holds the
 * current values; for POST, empty ones and required titles).
 */
static void
campaign_fields(struct fields *f, struct campaign *c, bool create)
{
	field_langs(f, "title", create, true, 200, false, c->title);
	field_langs(f, "description", false, false, 5000, true, c->description);
	if (json_object_get(f->in, "goal") != NULL) {
		bool	  present;
		long long goal;

		if (field_int(f, "goal", false, 0, 1000000000000LL, &present,
		    &goal) == 0) {
			c->has_goal = present;
			c->goal = goal;
		}
	}
	field_time(f, "opens_at", false, &c->has_opens_at, &c->opens_at);
	field_time(f, "closes_at", false, &c->has_closes_at, &c->closes_at);
	if (json_object_get(f->in, "paused") != NULL) {
		bool present, paused;

		if (field_bool(f, "paused", false, &present, &paused) == 0 &&
		    present)
			c->paused = paused;
	}
	if (c->has_opens_at && c->has_closes_at && c->closes_at < c->opens_at)
		fields_fail(f, "closes_at", REASON_OUT_OF_RANGE);
}

struct campaign_write {
	struct campaign *c;
	bool		 create;
	bool		 exists;
};

static enum db_err
campaign_tx(struct store *s, void *arg)
{
	struct campaign_write *w = arg;

	if (w->create) {
		struct arena	tmp = { 0 };
		struct campaign old;
		enum db_err	e = store_campaign_get(s, &tmp, w->c->slug, &old);

		arena_free(&tmp);
		if (e == DB_OK) {
			w->exists = true;
			return DB_OK;
		}
		if (e != DB_NOTFOUND)
			return e;
		return store_campaign_add(s, w->c);
	}
	return store_campaign_update(s, w->c);
}

/* Creating (POST) and updating (PUT) a campaign. */
static void
campaign_write(struct req *r, bool create)
{
	struct fields	      f;
	struct campaign	      c = { 0 };
	struct campaign_write w = { &c, create, false };
	enum db_err	      e;
	const char	     *slug;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (create) {
		field_slug(&f, "slug", &slug);
		c.slug = slug;
	} else {
		e = store_campaign_get(r->store, r->arena, r->params[0], &c);
		if (e != DB_OK) {
			resp_db_error(r, e);
			goto out;
		}
	}
	campaign_fields(&f, &c, create);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	e = audit_run(r, create ? "campaign_create" : "campaign_edit", c.slug,
	    c.paused ? "paused" : NULL, campaign_tx, &w);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (w.exists) {
		json_t *fields = json_pack("{s:s}", "slug", "taken");

		resp_error(r, 422, "invalid", fields);
		goto out;
	}
	e = store_campaign_get(r->store, r->arena, c.slug, &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, create ? 201 : 200, campaign_json(&c, now_unix()));
out:
	fields_free(&f);
}

void
campaigns_create(struct req *r)
{
	campaign_write(r, true);
}

void
campaigns_update(struct req *r)
{
	campaign_write(r, false);
}
