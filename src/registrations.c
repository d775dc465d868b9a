/*
 * registrations.c: registering for an event and its mail. A registration
 * takes a seat or a place on the waitlist (capacity holds under any
 * concurrency because every registration runs in the group-commit writer,
 * one after another, holding the event's row: on PostgreSQL several
 * nodes' writers take turns on it); a cancel link frees the seat and
 * promotes the first on the waitlist; the day-before reminders (which the scheduler runs);
 * and the registrations CSV of an event.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "eventcache.h"
#include "events.h"
#include "handlers.h"
#include "ics.h"
#include "log.h"
#include "mailmsg.h"
#include "outbox.h"
#include "response.h"
#include "store_registrations.h"
#include "token.h"
#include "tz.h"
#include "writer.h"

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
		ics->content_type = ICS_MAIL_TYPE;
		ics->filename = ICS_MAIL_NAME;
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
	    (e = outbox_link(s, arena, cfg, "registration", g->id, now_unix(),
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

	if ((e = store_event_lock(s, j->arena, j->event_id, &ev)) != DB_OK)
		return e;
	j->g.has_waitlist_seq = false;	/* a run again (writer.h) */
	j->position = 0;
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
		 * in between (or the worker's copy, from the event cache,
		 * predates an edit: rare, and said, as it costs the writer
		 * the mail's rendering). */
		if (!event_same_words(&ev, &j->ev)) {
			log_info("registration for event %s: the event changed "
			    "since the worker read it, mail made in the writer",
			    ev.slug);
			return reg_mail(s, j->arena, j->cfg,
			    MAIL_EVENT_REGISTERED, &ev, &j->g, 0);
		}
		if ((e = store_token_add(s, j->hash, "registration", j->g.id,
		    j->g.created_at, ev.ends_at + 86400)) != DB_OK)
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
	if (req_submission(r, &f) != 0)
		return;
	/* From memory: its seat count may be old, but the writer decides on
	 * the row it locks (register_tx). */
	e = eventcache_get(r->store, r->arena, r->params[0], &ev);
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
	field_language(&f, "language", &j->g.language);
	field_true(&f, "consent");
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
	req_defer_ordered(r, register_tx, j, register_reply,
	    WRITER_ORDER(WRITER_LOCK_EVENT, ev.id));
out:
	fields_free(&f);
}

enum db_err
registrations_promote(struct store *s, struct arena *arena, const struct config *cfg,
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
	struct token_keys    keys;
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

	e = store_token_find(s, j->arena, &j->keys, &kind, &ref, &expires);
	if (e != DB_OK)
		return e;
	if (strcmp(kind, "registration") != 0 || expires < now_unix())
		return DB_NOTFOUND;
	if ((e = store_reg_get(s, j->arena, ref, &g)) != DB_OK)
		return e;
	if (strcmp(g.status, REG_CANCELLED) == 0)
		return DB_OK;
	/* The event's row first, as a registration holds it; then the
	 * registration again, as it is under that lock. */
	if ((e = store_event_lock(s, j->arena, g.event_id, &ev)) != DB_OK ||
	    (e = store_reg_get(s, j->arena, ref, &g)) != DB_OK)
		return e;
	if (strcmp(g.status, REG_CANCELLED) == 0)
		return DB_OK;
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
	return registrations_promote(s, j->arena, j->cfg, &ev);
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
	    req_token(r, &f, false, &j.keys) != 0)
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

/* ---- the day-before reminders (the scheduler's job) ---- */

struct seated {
	struct arena	    *arena;
	struct registration *g;
	size_t		     n, cap;
};

static int
seated_add(const struct registration *g, void *arg)
{
	struct seated *c = arg;

	*(struct registration *)arena_push(c->arena, &c->g, &c->n, &c->cap,
	    sizeof(*g)) = *g;
	return 0;
}

struct remind_job {
	const struct config *cfg;
	struct arena	    *arena;
	struct seated	     seated;
	const char	    *slug;	/* out: the event reminded, if any */
};

/* The writer job: the next event due for its reminders (read again here,
 * on the writer's connection), a mail to each seated person, and the
 * event marked reminded. DB_NOTFOUND when none is due. */
static enum db_err
remind_tx(struct store *s, void *arg)
{
	struct remind_job *j = arg;
	struct event	   ev;
	enum db_err	   e;

	j->seated.n = 0;
	if ((e = store_event_reminder_due(s, j->arena, now_unix(), &ev)) !=
	    DB_OK)
		return e;
	/* Read the seated first, then queue their mail. */
	e = store_reg_of_event(s, j->arena, ev.id, seated_add, &j->seated);
	for (size_t i = 0; e == DB_OK && i < j->seated.n; i++)
		e = reg_mail(s, j->arena, j->cfg, MAIL_EVENT_REMINDER, &ev,
		    &j->seated.g[i], 0);
	if (e == DB_OK)
		e = store_event_reminded(s, ev.id, now_unix());
	j->slug = ev.slug;
	return e;
}

int
registrations_remind(struct store *s, struct writer *w, struct arena *arena,
    const struct config *cfg)
{
	struct remind_job j = { cfg, arena, { arena, NULL, 0, 0 }, NULL };
	struct event	  ev;
	enum db_err	  e;

	e = store_event_reminder_due(s, arena, now_unix(), &ev);
	if (e == DB_NOTFOUND)
		return 0;
	if (e == DB_OK)
		e = writer_run(w, remind_tx, &j);
	if (e == DB_NOTFOUND)	/* sent meanwhile */
		return 0;
	if (e != DB_OK) {
		log_error("the reminders of event %s failed: %s", ev.slug,
		    db_strerror(e));
		return -1;
	}
	log_info("queued %zu reminders for event %s", j.seated.n, j.slug);
	return (int)j.seated.n;
}

/* ---- the registrations CSV of one event (download.h) ---- */

static const char *const export_columns[] = {
	"id", "registered_at", "status", "waitlist_position", "name", "email",
	"organisation", "country", "role", "language", "checked_in_at",
};
static const char *const export_params[] = { "event", NULL };
#define EXPORT_KINDS "itspsssssst"
_Static_assert(sizeof(EXPORT_KINDS) - 1 == EXPORT_REG_COLUMNS, "kinds");

struct registrations_query {
	int64_t event_id;
};

/* ?event=SLUG, required; the audit entry's detail is the slug. */
static int
export_read(struct export_params *p)
{
	struct registrations_query *q = p->query;
	const struct kv	    *kv = form_get(p->q, "event");
	struct event	     ev;

	p->bad = "event";
	if (kv == NULL || kv->value_len == 0)
		return -1;
	if ((p->e = store_event_get(p->store, p->arena, kv->value, &ev)) !=
	    DB_OK)
		return -1;
	q->event_id = ev.id;
	p->detail = ev.slug;
	p->bad = NULL;
	return 0;
}

static enum db_err
export_rows(struct store *s, const void *query, store_row_fn fn, void *arg)
{
	const struct registrations_query *q = query;

	return store_export_registrations(s, q->event_id, fn, arg);
}

const struct export registrations_export = {
	.name = "registrations",
	.columns = export_columns,
	.kinds = EXPORT_KINDS,
	.params = export_params,
	.query_size = sizeof(struct registrations_query),
	.read = export_read,
	.rows = export_rows,
};
