/*
 * events.c: events: the public listing, one event (with its agenda and
 * speakers) and its .ics, and the staff side: every event, creating and
 * editing events (more seats move the waitlist up), the door list with its
 * name search, and check-in. Registrations and their mail are in
 * registrations.c; the agenda, speakers and local times in
 * event_details.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "events.h"
#include "handlers.h"
#include "ics.h"
#include "json_out.h"
#include "log.h"
#include "response.h"
#include "store_registrations.h"
#include "tz.h"

json_t *
event_json(const struct event *e, int64_t now)
{
	json_t *o = json_object();
	int64_t left = e->capacity - e->registered;

	json_object_set_new(o, "slug", json_string(e->slug));
	json_object_set_new(o, "title", json_langs(e->title));
	json_object_set_new(o, "description", json_langs(e->description));
	json_object_set_new(o, "starts_at", json_time(true, e->starts_at));
	json_object_set_new(o, "ends_at", json_time(true, e->ends_at));
	json_object_set_new(o, "timezone", json_string(e->timezone));
	json_object_set_new(o, "location", json_opt_str(e->location));
	json_object_set_new(o, "online_url", json_opt_str(e->online_url));
	json_object_set_new(o, "capacity", e->has_capacity ?
	    json_integer(e->capacity) : json_null());
	json_object_set_new(o, "registered", json_integer(e->registered));
	json_object_set_new(o, "seats_left", e->has_capacity ?
	    json_integer(left > 0 ? left : 0) : json_null());
	json_object_set_new(o, "waitlist", json_boolean(e->waitlist));
	json_object_set_new(o, "registration_closes_at",
	    json_time(e->has_closes_at, e->registration_closes_at));
	json_object_set_new(o, "status", json_string(event_status(e, now)));
	return o;
}

static int
event_append(const struct event *e, void *arg)
{
	json_array_append_new(arg, event_json(e, now_unix()));
	return 0;
}

void
events_list(struct req *r)
{
	struct kvlist	 q;
	const struct kv *kv;
	bool		 past = false;
	json_t		*items;

	if (req_query(r, &q) != 0)
		return;
	if ((kv = form_get(&q, "past")) != NULL)
		past = strcmp(kv->value, "1") == 0 || strcmp(kv->value, "true") == 0;
	items = json_array();
	resp_items(r, store_event_list(r->store, r->arena, past, now_unix(),
	    event_append, items), items);
}

void
events_ics(struct req *r)
{
	struct event  ev;
	struct kvlist q;
	enum lang     lang;
	enum db_err   e;
	char	     *doc;
	size_t	      len;

	if (req_query(r, &q) != 0 || req_query_lang(r, &q, &lang) != 0)
		return;
	e = store_event_get(r->store, r->arena, r->params[0], &ev);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	doc = ics_event(r->arena, &ev, lang, r->cfg->base_url, &len);
	resp_header(r, "Content-Disposition", "inline; filename=\"%s.ics\"",
	    ev.slug);
	resp_header(r, "Cache-Control", "public, max-age=60");
	resp_raw(r, 200, "text/calendar; charset=utf-8", doc, len);
}

/* ---- one event, as the public and as staff see it ---- */

/* EVENT o with the staff's fields (event_staff_json) of event ev. */
static enum db_err
event_staff_add(struct store *s, json_t *o, const struct event *ev)
{
	int64_t	    waitlisted = 0;
	enum db_err e = store_reg_waitlist_pos(s, ev->id, INT64_MAX,
		    &waitlisted);

	event_staff_json(o, ev, waitlisted);
	return e;
}

/* Answers status with event slug, its agenda and speakers; with staff,
 * the staff's form: the staff's fields and the local times. */
static void
event_reply(struct req *r, const char *slug, int status, bool staff)
{
	struct event	     ev;
	struct event_details d;
	json_t		    *o = NULL;
	enum db_err	     e;

	e = store_event_get(r->store, r->arena, slug, &ev);
	if (e == DB_OK)
		e = store_event_details_get(r->store, r->arena, ev.id, &d);
	if (e == DB_OK) {
		o = event_json(&ev, now_unix());
		if (staff)
			e = event_staff_add(r->store, o, &ev);
	}
	if (e != DB_OK) {
		json_decref(o);
		resp_db_error(r, e);
		return;
	}
	event_details_json(o, &ev, &d, staff);
	resp_json(r, status, o);
}

void
events_get(struct req *r)
{
	event_reply(r, r->params[0], 200, false);
}

void
events_admin_get(struct req *r)
{
	event_reply(r, r->params[0], 200, true);
}

/* ---- staff ---- */

struct staff_list {
	struct arena *arena;
	struct event *ev;
	size_t	      n, cap;
};

static int
staff_list_add(const struct event *e, void *arg)
{
	struct staff_list *l = arg;

	*(struct event *)arena_push(l->arena, &l->ev, &l->n, &l->cap,
	    sizeof(*e)) = *e;
	return 0;
}

void
events_admin_list(struct req *r)
{
	struct staff_list l = { r->arena, NULL, 0, 0 };
	int64_t		  now = now_unix();
	json_t		 *items;
	enum db_err	  e;

	/* Read them all first, then count each one's waitlist. */
	e = store_event_list_all(r->store, r->arena, now, staff_list_add, &l);
	items = json_array();
	for (size_t i = 0; e == DB_OK && i < l.n; i++) {
		json_t *o = event_json(&l.ev[i], now);

		e = event_staff_add(r->store, o, &l.ev[i]);
		json_array_append_new(items, o);
	}
	resp_items(r, e, items);
}

static bool
url_ok(const char *s)
{
	return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

void
event_fields(struct fields *f, struct event *e, bool create)
{
	bool	    has_start = !create, has_end = !create, present, b;
	long long   n;
	const char *s;
	char	    abbr[TZ_ABBR_MAX];
	int32_t	    off;

	field_langs(f, "title", create, true, 200, false, e->title);
	field_langs(f, "description", false, false, 5000, true, e->description);
	for (int l = 0; l < LANG__MAX; l++)
		if (e->description[l] == NULL)
			e->description[l] = "";
	/* The zone first: times may be given as its wall clock shows them. */
	if (json_object_get(f->in, "timezone") != NULL &&
	    field_string(f, "timezone", false, 1, 64, false, &s) == 0 && s) {
		if (tz_offset(s, now_unix(), &off, abbr) != 0)
			fields_fail(f, "timezone", REASON_INVALID_CHOICE);
		else
			e->timezone = s;
	}
	if (e->timezone == NULL)
		e->timezone = "UTC";
	field_time_zoned(f, "starts_at", true, e->timezone, &has_start,
	    &e->starts_at);
	field_time_zoned(f, "ends_at", true, e->timezone, &has_end,
	    &e->ends_at);
	field_time_zoned(f, "registration_closes_at", false, e->timezone,
	    &e->has_closes_at, &e->registration_closes_at);
	if (has_start && has_end && e->ends_at < e->starts_at)
		fields_fail(f, json_object_get(f->in, "ends_at_local") ?
		    "ends_at_local" : "ends_at", REASON_OUT_OF_RANGE);
	if (json_object_get(f->in, "location") != NULL &&
	    field_string(f, "location", false, 0, 300, false, &s) == 0)
		e->location = s;
	if (json_object_get(f->in, "online_url") != NULL &&
	    field_string(f, "online_url", false, 0, 500, false, &s) == 0) {
		if (s != NULL && !url_ok(s))
			fields_fail(f, "online_url", REASON_INVALID_CHOICE);
		e->online_url = s;
	}
	if (json_object_get(f->in, "capacity") != NULL &&
	    field_int(f, "capacity", false, 0, 1000000, &present, &n) == 0) {
		e->has_capacity = present;
		e->capacity = n;
	}
	if (create)
		e->waitlist = true;
	if (field_bool(f, "waitlist", false, &present, &b) == 0 && present)
		e->waitlist = b;
}

struct event_write {
	struct event		   *e;
	struct event_details_input  details;
	bool			    create, exists;
	const struct config	   *cfg;
	struct arena		   *arena;
};

static enum db_err
event_write_tx(struct store *s, void *arg)
{
	struct event_write *w = arg;

	if (w->create) {
		struct arena tmp = { 0 };
		struct event old;
		enum db_err  e = store_event_get(s, &tmp, w->e->slug, &old);

		arena_free(&tmp);
		if (e == DB_OK) {
			w->exists = true;
			return DB_OK;
		}
		if (e != DB_NOTFOUND)
			return e;
		if ((e = store_event_add(s, w->e)) != DB_OK)
			return e;
		return event_details_save(s, w->e->id, &w->details);
	}
	enum db_err e = store_event_update(s, w->e);
	struct event now;

	if (e == DB_OK)
		e = event_details_save(s, w->e->id, &w->details);
	/* More seats (or no limit) now: the waitlist moves up. */
	if (e == DB_OK)
		e = store_event_get_id(s, w->arena, w->e->id, &now);
	if (e == DB_OK)
		e = registrations_promote(s, w->arena, w->cfg, &now);
	return e;
}

static void
event_write(struct req *r, bool create)
{
	struct fields	   f;
	struct event	   ev = { 0 };
	struct event_write w = { .e = &ev, .create = create, .cfg = r->cfg,
		.arena = r->arena };
	const char	  *slug = NULL;
	enum db_err	   e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (create) {
		field_slug(&f, "slug", &slug);
		ev.slug = slug;
	} else if ((e = store_event_get(r->store, r->arena, r->params[0],
	    &ev)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	event_fields(&f, &ev, create);
	event_details_fields(&f, &ev, &w.details);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	e = audit_run(r, create ? "event_create" : "event_edit", ev.slug,
	    NULL, event_write_tx, &w);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (w.exists) {
		resp_error(r, 422, "invalid", json_pack("{s:s}", "slug", "taken"));
		goto out;
	}
	event_reply(r, ev.slug, create ? 201 : 200, false);
out:
	fields_free(&f);
}

void
events_create(struct req *r)
{
	event_write(r, true);
}

void
events_update(struct req *r)
{
	event_write(r, false);
}

static json_t *
reg_json(const struct registration *g, int64_t position)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o}",
	    "id", (json_int_t)g->id, "status", g->status, "name", g->name,
	    "email", g->email,
	    "organisation", json_opt_str(g->organisation),
	    "country", json_opt_str(g->country),
	    "role", json_opt_str(g->role),
	    "language", g->language,
	    "registered_at", json_time(true, g->created_at),
	    "checked_in_at", json_time(g->has_checked_in_at, g->checked_in_at));

	json_object_set_new(o, "waitlist_position", position > 0 ?
	    json_integer(position) : json_null());
	return o;
}

struct door {
	struct store *s;
	json_t	     *items;
	int64_t	      checked_in;
	enum db_err   e;
};

static int
door_add(const struct registration *g, void *arg)
{
	struct door *d = arg;
	int64_t	     pos = 0;

	if (g->has_waitlist_seq && strcmp(g->status, REG_WAITLISTED) == 0 &&
	    (d->e = store_reg_waitlist_pos(d->s, g->event_id, g->waitlist_seq,
	    &pos)) != DB_OK)
		return 1;
	json_array_append_new(d->items, reg_json(g, pos));
	return 0;
}

void
events_door(struct req *r)
{
	struct kvlist	 q;
	const struct kv *kv;
	struct event	 ev;
	struct door	 d = { r->store, NULL, 0, DB_OK };
	const char	*search = NULL;
	enum db_err	 e;

	if (req_query(r, &q) != 0)
		return;
	if ((kv = form_get(&q, "q")) != NULL && kv->value_len > 0) {
		size_t cps;

		if (kv->value_len > 120 || text_check(kv->value, kv->value_len,
		    false, &cps) != TEXT_OK) {
			resp_error(r, 400, "bad_request", NULL);
			return;
		}
		search = kv->value;
	}
	if ((e = store_event_get(r->store, r->arena, r->params[0], &ev)) != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	d.items = json_array();
	e = store_reg_search(r->store, r->arena, ev.id, search, door_add, &d);
	if (e == DB_OK)
		e = d.e;
	if (e == DB_OK)
		e = store_reg_checked_in(r->store, ev.id, &d.checked_in);
	if (e != DB_OK) {
		json_decref(d.items);
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, json_pack("{s:o, s:I, s:I, s:o}", "items", d.items,
	    "registered", (json_int_t)ev.registered, "checked_in",
	    (json_int_t)d.checked_in, "event", event_json(&ev, now_unix())));
}

struct checkin_job {
	int64_t	    id;
	bool	    undo;
	enum db_err result;
};

static enum db_err
checkin_tx(struct store *s, void *arg)
{
	struct checkin_job *j = arg;

	return store_reg_checkin(s, j->id, !j->undo, now_unix());
}

void
events_checkin(struct req *r)
{
	struct fields	   f;
	struct checkin_job j = { 0 };
	struct registration g;
	bool		   present;
	enum db_err	   e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (field_bool(&f, "undo", false, &present, &j.undo) != 0) {
		resp_invalid(r, &f);
		goto out;
	}
	j.id = strtoll(r->params[0], NULL, 10);
	e = audit_run(r, j.undo ? "checkin_undo" : "checkin",
	    r->params[0], "registration", checkin_tx, &j);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if ((e = store_reg_get(r->store, r->arena, j.id, &g)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, 200, reg_json(&g, 0));
out:
	fields_free(&f);
}

