/*
 * events.c: the event endpoints: listing, one event, its .ics, registration
 * with capacity and waitlist, cancellation by token (promoting the first on
 * the waitlist), and the staff side (create/edit, door list, check-in,
 * CSV). Capacity holds under any concurrency because every registration
 * runs in the group-commit writer, one after another.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaigns.h"
#include "csv.h"
#include "events.h"
#include "privacy.h"
#include "tz.h"
#include "handlers.h"
#include "ics.h"
#include "log.h"
#include "mailmsg.h"
#include "outbox.h"
#include "response.h"
#include "token.h"
#include "writer.h"

static const char *const languages[] = { "es", "en", "pt", "fr", NULL };

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
	json_object_set_new(o, "location", e->location ?
	    json_string(e->location) : json_null());
	json_object_set_new(o, "online_url", e->online_url ?
	    json_string(e->online_url) : json_null());
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
	enum db_err	 e;

	if (req_query(r, &q) != 0)
		return;
	if ((kv = form_get(&q, "past")) != NULL)
		past = strcmp(kv->value, "1") == 0 || strcmp(kv->value, "true") == 0;
	items = json_array();
	e = store_event_list(r->store, r->arena, past, now_unix(), event_append,
	    items);
	if (e != DB_OK) {
		json_decref(items);
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, json_pack("{s:o}", "items", items));
}

void
events_get(struct req *r)
{
	struct event ev;
	enum db_err  e = store_event_get(r->store, r->arena, r->params[0], &ev);

	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, event_json(&ev, now_unix()));
}

/* ?lang= (default es); -1 after a 400. */
static int
lang_param(struct req *r, enum lang *lang)
{
	struct kvlist	 q;
	const struct kv *kv;
	int		 l;

	*lang = LANG_ES;
	if (req_query(r, &q) != 0)
		return -1;
	if ((kv = form_get(&q, "lang")) == NULL || kv->value_len == 0)
		return 0;
	if ((l = lang_from_code(kv->value)) < 0) {
		resp_error(r, 400, "bad_request", NULL);
		return -1;
	}
	*lang = (enum lang)l;
	return 0;
}

void
events_ics(struct req *r)
{
	struct event ev;
	enum lang    lang;
	enum db_err  e;
	char	    *doc;
	size_t	     len;

	if (lang_param(r, &lang) != 0)
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

/* When the event starts, in its own time zone, as people read it. */
static const char *
event_when(struct arena *arena, const struct event *e)
{
	char	t[TIME_RFC3339_LEN], abbr[TZ_ABBR_MAX];
	size_t	n = 64 + strlen(e->timezone);
	char   *out = arena_alloc(arena, n);
	int32_t off;

	/* The event's local time, e.g. "2026-12-03 10:00 -03
	 * (America/Sao_Paulo)"; UTC when the zone is unknown here. */
	if (tz_offset(e->timezone, e->starts_at, &off, abbr) != 0) {
		off = 0;
		snprintf(abbr, sizeof(abbr), "UTC");
	}
	time_format(e->starts_at + off, t);
	if (strcmp(e->timezone, "UTC") == 0)
		snprintf(out, n, "%.10s %.5s UTC", t, t + 11);
	else
		snprintf(out, n, "%.10s %.5s %s (%s)", t, t + 11, abbr,
		    e->timezone);
	return out;
}

/* The words of mail kind to registration g of event ev: its placeholders
 * (link is the cancel link, NULL for the cancellation notice) and, when
 * the person is seated, the .ics in *ics (*nics 1). From arena. */
static void
reg_mail_words(struct arena *arena, const struct config *cfg,
    enum mail_kind kind, const struct event *ev,
    const struct registration *g, int64_t position, const char *link,
    enum lang *lang, struct mail_vars *v, struct mail_attachment *ics,
    size_t *nics)
{
	int   l = lang_from_code(g->language);
	char *pos = arena_alloc(arena, 24);

	*lang = l < 0 ? LANG_ES : (enum lang)l;
	snprintf(pos, 24, "%" PRId64, position);
	*v = (struct mail_vars){ .name = g->name, .event = ev->title[*lang],
		.when = event_when(arena, ev), .position = pos, .link = link };
	*nics = kind == MAIL_EVENT_REGISTERED || kind == MAIL_EVENT_PROMOTED;
	if (*nics) {
		ics->content_type = "text/calendar; charset=utf-8; method=PUBLISH";
		ics->filename = "event.ics";
		ics->data = ics_event(arena, ev, *lang, cfg->base_url, &ics->len);
	}
}

/*
 * Queues kind for registration g of event ev, with a new cancel token in
 * {link} (unless kind is the cancellation notice) and the .ics when seated.
 */
static enum db_err
reg_mail(struct store *s, struct arena *arena, const struct config *cfg,
    enum mail_kind kind, const struct event *ev,
    const struct registration *g, int64_t position)
{
	struct mail_attachment ics;
	struct mail_vars       v;
	const char	      *link = NULL;
	enum lang	       lang;
	size_t		       nics;
	bool		       queued;
	enum db_err	       e;

	if (kind != MAIL_EVENT_CANCELLED &&
	    (e = outbox_link(s, arena, cfg, "registration", g->id,
	    ev->ends_at + 86400, "/cancel.html", NULL, &link)) != DB_OK)
		return e;
	reg_mail_words(arena, cfg, kind, ev, g, position, link, &lang, &v,
	    &ics, &nics);
	return outbox_queue(s, arena, cfg, kind, lang, g->email, g->email_key,
	    &v, &ics, nics, &queued);
}

static bool
str_same(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether a and b (the same event read twice) give the same mails and
 * calendar file: all but the seat counts. */
static bool
event_same_words(const struct event *a, const struct event *b)
{
	for (int l = 0; l < LANG__MAX; l++)
		if (!str_same(a->title[l], b->title[l]) ||
		    !str_same(a->description[l], b->description[l]))
			return false;
	return a->id == b->id && a->starts_at == b->starts_at &&
	    a->ends_at == b->ends_at && str_same(a->slug, b->slug) &&
	    str_same(a->timezone, b->timezone) &&
	    str_same(a->location, b->location) &&
	    str_same(a->online_url, b->online_url);
}

struct register_job {
	const struct config *cfg;
	struct arena	    *arena;
	int64_t		     event_id;
	struct registration  g;
	struct consent	     consent;
	/* Made on the worker (register_prepare) for the common outcome, a
	 * seat: the cancel token and the whole mail with its .ics, so that
	 * the writer only inserts them. */
	struct event	     ev;	/* as the worker read it */
	unsigned char	     hash[TOKEN_HASH_LEN];
	struct prepared_mail seated;
	enum { REG_OUT_NEW, REG_OUT_EXISTING, REG_OUT_FULL, REG_OUT_CLOSED }
			     outcome;
	const char	    *status;
	int64_t		     position;
};

static enum db_err
register_tx(struct store *s, void *arg)
{
	struct register_job *j = arg;
	struct registration  old;
	struct event	     ev;
	const char	    *st;
	enum db_err	     e;
	bool		     reuse = false;

	if ((e = store_event_get_id(s, j->arena, j->event_id, &ev)) != DB_OK)
		return e;
	e = store_reg_find(s, j->arena, ev.id, j->g.email_key, &old);
	if (e == DB_OK && strcmp(old.status, REG_CANCELLED) != 0) {
		j->outcome = REG_OUT_EXISTING;
		j->status = old.status;
		if (old.has_waitlist_seq && strcmp(old.status, REG_WAITLISTED) == 0)
			return store_reg_waitlist_pos(s, ev.id, old.waitlist_seq,
			    &j->position);
		return DB_OK;
	}
	if (e != DB_OK && e != DB_NOTFOUND)
		return e;
	reuse = e == DB_OK;
	st = event_status(&ev, now_unix());
	if (strcmp(st, "closed") == 0) {
		j->outcome = REG_OUT_CLOSED;
		return DB_OK;
	}
	if (strcmp(st, "full") == 0 && !ev.waitlist) {
		j->outcome = REG_OUT_FULL;
		return DB_OK;
	}
	j->outcome = REG_OUT_NEW;
	j->g.event_id = ev.id;
	j->g.created_at = now_unix();
	if (strcmp(st, "full") == 0) {
		j->g.status = REG_WAITLISTED;
		j->g.has_waitlist_seq = true;
		if ((e = store_reg_waitlist_next(s, ev.id,
		    &j->g.waitlist_seq)) != DB_OK)
			return e;
	} else
		j->g.status = REG_REGISTERED;
	if (reuse) {
		/* A person who cancelled registers again: the same row. */
		j->g.id = old.id;
		e = store_reg_set_status(s, old.id, j->g.status,
		    j->g.has_waitlist_seq, j->g.waitlist_seq);
	} else
		e = store_reg_insert(s, &j->g);
	if (e != DB_OK)
		return e;
	j->consent.ref_id = j->g.id;
	if ((e = store_consent_add(s, &j->consent)) != DB_OK)
		return e;
	j->status = j->g.status;
	if (strcmp(j->g.status, REG_REGISTERED) == 0) {
		bool queued;

		if ((e = store_event_registered_add(s, ev.id, 1)) != DB_OK)
			return e;
		ev.registered++;
		/* The mail made on the worker, unless the event was edited
		 * in between. */
		if (!event_same_words(&ev, &j->ev))
			return reg_mail(s, j->arena, j->cfg,
			    MAIL_EVENT_REGISTERED, &ev, &j->g, 0);
		if ((e = store_token_add(s, j->hash, "registration", j->g.id,
		    ev.ends_at + 86400)) != DB_OK)
			return e;
		return outbox_queue_prepared(s, &j->seated, &queued);
	}
	if ((e = store_reg_waitlist_pos(s, ev.id, j->g.waitlist_seq,
	    &j->position)) != DB_OK)
		return e;
	return reg_mail(s, j->arena, j->cfg, MAIL_EVENT_WAITLISTED, &ev, &j->g,
	    j->position);
}

/*
 * The reply to a registration, once register_tx has committed (e == DB_OK)
 * or failed; on the writer's reply thread (see req_defer), or directly for
 * the honeypot.
 */
static void
register_reply(struct req *r, enum db_err e, void *arg)
{
	struct register_job *j = arg;
	json_t		    *body;

	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	if (j->outcome == REG_OUT_CLOSED) {
		resp_error(r, 409, "event_closed", NULL);
		return;
	}
	if (j->outcome == REG_OUT_FULL) {
		resp_error(r, 409, "event_full", NULL);
		return;
	}
	if (r->form_return != NULL) {
		resp_form_redirect(r, strcmp(j->status, REG_WAITLISTED) == 0 ?
		    "ok=1&status=waitlisted" : "ok=1");
		return;
	}
	body = json_pack("{s:s}", "status", j->status);
	if (strcmp(j->status, REG_WAITLISTED) == 0)
		json_object_set_new(body, "position", json_integer(j->position));
	resp_json(r, j->outcome == REG_OUT_NEW ? 201 : 200, body);
}

/*
 * Before the writer: the cancel token and the confirmation mail with the
 * .ics for the common outcome, a seat, so that the writer does not render
 * MIME and calendar files inside its transaction. Worker thread.
 */
static void
register_prepare(struct register_job *j, const struct event *ev)
{
	struct mail_attachment ics;
	struct mail_vars       v;
	const char	      *link;
	enum lang	       lang;
	size_t		       nics;

	j->ev = *ev;
	link = outbox_link_new(j->arena, j->cfg, "/cancel.html", NULL, j->hash);
	reg_mail_words(j->arena, j->cfg, MAIL_EVENT_REGISTERED, ev, &j->g, 0,
	    link, &lang, &v, &ics, &nics);
	outbox_prepare(j->arena, j->cfg, MAIL_EVENT_REGISTERED, lang,
	    j->g.email, j->g.email_key, &v, &ics, nics, &j->seated);
}

void
registrations_post(struct req *r)
{
	struct fields	     f;
	struct event	     ev;
	/* In the arena: it outlives this function when the request waits
	 * for its commit (req_defer). */
	struct register_job *j = arena_alloc(r->arena, sizeof(*j));
	enum db_err	     e;

	*j = (struct register_job){ .cfg = r->cfg, .arena = r->arena };
	if (req_body_fields(r, true, &f) != 0)
		return;
	req_form_return(r, &f);
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0)
		goto out;
	e = store_event_get(r->store, r->arena, r->params[0], &ev);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	field_string(&f, "name", true, 1, 120, false, &j->g.name);
	field_email(&f, "email", true, &j->g.email);
	field_string(&f, "organisation", false, 0, 160, false,
	    &j->g.organisation);
	field_country(&f, "country", false, &j->g.country);
	field_string(&f, "role", false, 0, 120, false, &j->g.role);
	field_choice(&f, "language", false, languages, &j->g.language);
	field_true(&f, "consent");
	if (j->g.language == NULL)
		j->g.language = "es";
	if (field_honeypot(&f, "website")) {
		log_info("honeypot filled on event %s: dropped", ev.slug);
		j->outcome = REG_OUT_NEW;
		j->status = REG_REGISTERED;
		register_reply(r, DB_OK, j);
		goto out;
	}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	j->event_id = ev.id;
	j->g.email_key = email_normalise(r->arena, j->g.email);
	consent_prepare(r, &f, "registration", j->g.language, &j->consent);
	register_prepare(j, &ev);
	/* r is the writer's from here: only f (ours) is touched below. */
	req_defer(r, register_tx, j, register_reply);
out:
	fields_free(&f);
}

/*
 * Gives free seats of ev to the first on its waitlist, in order, and mails
 * them; nothing once the event has started. Inside a transaction.
 */
static enum db_err
event_promote(struct store *s, struct arena *arena, const struct config *cfg,
    struct event *ev)
{
	struct registration next;
	enum db_err	    e;

	while (now_unix() < ev->starts_at &&
	    (!ev->has_capacity || ev->registered < ev->capacity)) {
		e = store_reg_waitlist_first(s, arena, ev->id, &next);
		if (e == DB_NOTFOUND)
			return DB_OK;
		if (e != DB_OK)
			return e;
		if ((e = store_reg_set_status(s, next.id, REG_REGISTERED, false,
		    0)) != DB_OK ||
		    (e = store_event_registered_add(s, ev->id, 1)) != DB_OK)
			return e;
		ev->registered++;
		if ((e = reg_mail(s, arena, cfg, MAIL_EVENT_PROMOTED, ev, &next,
		    0)) != DB_OK)
			return e;
	}
	return DB_OK;
}

struct cancel_job {
	const struct config *cfg;
	struct arena	    *arena;
	unsigned char	     hash[TOKEN_HASH_LEN];
};

static enum db_err
cancel_tx(struct store *s, void *arg)
{
	struct cancel_job  *j = arg;
	struct registration g;
	struct event	    ev;
	const char	   *kind;
	int64_t		    ref, expires;
	enum db_err	    e;

	e = store_token_find(s, j->arena, j->hash, &kind, &ref, &expires);
	if (e != DB_OK)
		return e;
	if (strcmp(kind, "registration") != 0 || expires < now_unix())
		return DB_NOTFOUND;
	if ((e = store_reg_get(s, j->arena, ref, &g)) != DB_OK)
		return e;
	if (strcmp(g.status, REG_CANCELLED) == 0)
		return DB_OK;
	if ((e = store_event_get_id(s, j->arena, g.event_id, &ev)) != DB_OK)
		return e;
	if ((e = store_reg_set_status(s, g.id, REG_CANCELLED, false, 0)) != DB_OK)
		return e;
	if ((e = reg_mail(s, j->arena, j->cfg, MAIL_EVENT_CANCELLED, &ev, &g,
	    0)) != DB_OK)
		return e;
	if (strcmp(g.status, REG_REGISTERED) != 0)
		return DB_OK;
	if ((e = store_event_registered_add(s, ev.id, -1)) != DB_OK)
		return e;
	ev.registered--;
	return event_promote(s, j->arena, j->cfg, &ev);
}

void
registrations_cancel(struct req *r)
{
	struct fields	  f;
	struct cancel_job j = { .cfg = r->cfg, .arena = r->arena };
	enum db_err	  e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0 ||
	    req_token(r, &f, false, j.hash) != 0)
		goto out;
	e = writer_run(r->writer, cancel_tx, &j);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, 200, json_pack("{s:s}", "status", "cancelled"));
out:
	fields_free(&f);
}

/* ---- staff ---- */

static void
field_time_req(struct fields *f, const char *key, bool required, bool *has,
    int64_t *t)
{
	json_t *v = json_object_get(f->in, key);

	if (v == NULL || json_is_null(v)) {
		if (required && !*has)
			fields_fail(f, key, REASON_REQUIRED);
		else if (v != NULL)
			*has = false;
		return;
	}
	if (!json_is_string(v) || time_parse(json_string_value(v), t) != 0) {
		fields_fail(f, key, json_is_string(v) ? REASON_OUT_OF_RANGE :
		    REASON_WRONG_TYPE);
		return;
	}
	*has = true;
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

	field_langs(f, "title", create, true, 200, false, e->title);
	field_langs(f, "description", false, false, 5000, true, e->description);
	for (int l = 0; l < LANG__MAX; l++)
		if (e->description[l] == NULL)
			e->description[l] = "";
	field_time_req(f, "starts_at", true, &has_start, &e->starts_at);
	field_time_req(f, "ends_at", true, &has_end, &e->ends_at);
	field_time_req(f, "registration_closes_at", false, &e->has_closes_at,
	    &e->registration_closes_at);
	if (has_start && has_end && e->ends_at < e->starts_at)
		fields_fail(f, "ends_at", REASON_OUT_OF_RANGE);
	if (json_object_get(f->in, "timezone") != NULL &&
	    field_string(f, "timezone", false, 1, 64, false, &s) == 0 && s) {
		if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789/_+-") != strlen(s))
			fields_fail(f, "timezone", REASON_INVALID_CHOICE);
		else
			e->timezone = s;
	}
	if (e->timezone == NULL)
		e->timezone = "UTC";
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
	struct event	    *e;
	bool		     create, exists;
	const struct config *cfg;
	struct arena	    *arena;
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
		return store_event_add(s, w->e);
	}
	enum db_err e = store_event_update(s, w->e);
	struct event now;

	/* More seats (or no limit) now: the waitlist moves up. */
	if (e == DB_OK)
		e = store_event_get_id(s, w->arena, w->e->id, &now);
	if (e == DB_OK)
		e = event_promote(s, w->arena, w->cfg, &now);
	return e;
}

static void
event_write(struct req *r, bool create)
{
	struct fields	   f;
	struct event	   ev = { 0 };
	struct event_write w = { &ev, create, false, r->cfg, r->arena };
	const char	  *slug = NULL;
	enum db_err	   e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (create) {
		if (field_string(&f, "slug", true, 1, 64, false, &slug) == 0 &&
		    strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		    strlen(slug))
			fields_fail(&f, "slug", REASON_INVALID_CHOICE);
		ev.slug = slug;
	} else if ((e = store_event_get(r->store, r->arena, r->params[0],
	    &ev)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	event_fields(&f, &ev, create);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	e = admin_audit_run(r, create ? "event_create" : "event_edit", ev.slug,
	    NULL, event_write_tx, &w);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (w.exists) {
		resp_error(r, 422, "invalid", json_pack("{s:s}", "slug", "taken"));
		goto out;
	}
	if ((e = store_event_get(r->store, r->arena, ev.slug, &ev)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, create ? 201 : 200, event_json(&ev, now_unix()));
out:
	fields_free(&f);
}

void
admin_event_create(struct req *r)
{
	event_write(r, true);
}

void
admin_event_update(struct req *r)
{
	event_write(r, false);
}

static json_t *
reg_json(const struct registration *g, int64_t position)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o}",
	    "id", (json_int_t)g->id, "status", g->status, "name", g->name,
	    "email", g->email,
	    "organisation", g->organisation ? json_string(g->organisation) :
	    json_null(),
	    "country", g->country ? json_string(g->country) : json_null(),
	    "role", g->role ? json_string(g->role) : json_null(),
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
admin_event_registrations(struct req *r)
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
admin_checkin(struct req *r)
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
	e = admin_audit_run(r, j.undo ? "checkin_undo" : "checkin",
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

struct seated {
	struct arena	    *arena;
	struct registration *g;
	size_t		     n, cap;
};

static int
seated_add(const struct registration *g, void *arg)
{
	struct seated *c = arg;

	if (c->n == c->cap) {
		size_t		     cap = c->cap ? c->cap * 2 : 64;
		struct registration *ng = arena_alloc(c->arena, cap * sizeof(*ng));

		if (c->n)
			memcpy(ng, c->g, c->n * sizeof(*ng));
		c->g = ng;
		c->cap = cap;
	}
	c->g[c->n++] = *g;
	return 0;
}

int
events_send_reminders(struct store *s, struct arena *arena,
    const struct config *cfg)
{
	struct seated c = { arena, NULL, 0, 0 };
	struct event  ev;
	enum db_err   e;

	e = store_event_reminder_due(s, arena, now_unix(), &ev);
	if (e == DB_NOTFOUND)
		return 0;
	if (e != DB_OK || db_begin(store_db(s)) != SQLITE_OK)
		return -1;
	/* Read the seated first, then queue their mail. */
	e = store_reg_of_event(s, arena, ev.id, seated_add, &c);
	for (size_t i = 0; e == DB_OK && i < c.n; i++)
		e = reg_mail(s, arena, cfg, MAIL_EVENT_REMINDER, &ev, &c.g[i], 0);
	if (e == DB_OK)
		e = store_event_reminded(s, ev.id, now_unix());
	if (e != DB_OK || db_commit(store_db(s)) != SQLITE_OK) {
		db_rollback(store_db(s));
		return -1;
	}
	log_info("queued %zu reminders for event %s", c.n, ev.slug);
	return (int)c.n;
}
