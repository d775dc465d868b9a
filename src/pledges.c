/*
 * pledges.c: the public side of pledges: submission (JSON or browser
 * form; a durable 2xx through the group-commit writer, whose jobs here
 * run on the writer's thread), the confirmation job of a pledge's token
 * (confirm.c calls it) and the public wall with its JSON form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campcache.h"
#include "consent.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "outbox.h"
#include "pledges.h"
#include "response.h"
#include "store.h"
#include "token.h"
#include "writer.h"

#define CONFIRM_TOKEN_SECS (7 * 86400)

static const char *const actor_types[] = { "individual", "private_sector",
	"finance", "government", "civil_society", "academia", "other", NULL };
static const char *const categories[] = { "fleet", "charging",
	"public_transport", "policy", "finance", "awareness", "other", NULL };
static const char *const units[] = { "vehicles", "buses", "chargers", "mw",
	"usd", "tco2e", "people", NULL };

/* A submission on its way to the writer, and what became of it. */
struct submit {
	const struct config *cfg;
	struct arena	    *arena;	/* the request's: it waits meanwhile */
	struct pledge	     p;
	const char	    *campaign_title; /* in the pledge's language */
	struct consent	     consent;
	enum { SUBMIT_CREATED, SUBMIT_PENDING, SUBMIT_DUPLICATE } outcome;
	int64_t		     count;
	/* Made by submit_prepare on the worker, so that the writer only
	 * inserts: the token, its link, the confirmation mail's variables. */
	unsigned char	     hash[TOKEN_HASH_LEN];
	const char	    *link;
	struct prepared_mail   confirm;	/* vars NULL: not prepared */
};

/*
 * Before the writer: a new token for the pledge and, with verification on,
 * its confirmation mail prepared (the common case; repeats queue theirs
 * in the transaction). Worker thread.
 */
static void
submit_prepare(struct submit *sub)
{
	sub->link = outbox_link_new(sub->arena, sub->cfg, "/confirm.html",
	    NULL, sub->hash);
	if (!sub->cfg->verify_email)
		return;
	struct mail_vars vars = { .name = sub->p.name,
		.campaign = sub->campaign_title, .link = sub->link };
	outbox_prepare(sub->arena, sub->cfg, MAIL_PLEDGE_CONFIRM,
	    (enum lang)lang_from_code(sub->p.language), sub->p.email,
	    sub->p.email_key, &vars, NULL, 0, &sub->confirm);
}

/* Queues a confirmation-style mail with the submission's token for pledge
 * id (prepared already when it is the confirmation, see submit_prepare). */
static enum db_err
mail_with_token(struct store *s, struct submit *sub, enum mail_kind kind,
    int64_t id)
{
	int64_t	    now = now_unix();
	bool	    queued;
	enum db_err e;

	e = store_token_add(s, sub->hash, "pledge", id, now,
	    now + CONFIRM_TOKEN_SECS);
	if (e != DB_OK)
		return e;
	if (kind == MAIL_PLEDGE_CONFIRM && sub->confirm.vars != NULL)
		return outbox_queue_prepared(s, &sub->confirm, &queued);
	struct mail_vars vars = { .name = sub->p.name,
		.campaign = sub->campaign_title, .link = sub->link };
	return outbox_queue(s, sub->arena, sub->cfg, kind,
	    (enum lang)lang_from_code(sub->p.language), sub->p.email,
	    sub->p.email_key, &vars, NULL, 0, &queued);
}

/*
 * A repeat: the campaign has this person's pledge already. A pending one
 * gets its confirmation again (a new token), a counted one a note that it
 * is there; the count is read for the reply.
 */
static enum db_err
submit_repeat(struct store *s, struct submit *sub)
{
	const char *status;
	int64_t	    id;
	enum db_err e;

	e = store_pledge_find(s, sub->p.campaign_id, sub->p.email_key, &id,
	    &status);
	if (e == DB_NOTFOUND)	/* erased since the insert saw it */
		return DB_RETRY;
	if (e != DB_OK)
		return e;
	sub->outcome = SUBMIT_DUPLICATE;
	if (sub->cfg->verify_email) {
		if (strcmp(status, PLEDGE_PENDING) == 0)
			e = mail_with_token(s, sub, MAIL_PLEDGE_ALREADY_PENDING,
			    id);
		else {
			struct mail_vars vars = {
				.campaign = sub->campaign_title };
			bool queued;

			e = outbox_queue(s, sub->arena, sub->cfg,
			    MAIL_PLEDGE_ALREADY,
			    (enum lang)lang_from_code(sub->p.language),
			    sub->p.email, sub->p.email_key, &vars, NULL, 0,
			    &queued);
		}
		if (e != DB_OK)
			return e;
	}
	return store_counter_value(s, sub->p.campaign_id, &sub->count);
}

/* The writer job of a submission: insert, or handle the repeat. */
static enum db_err
submit_tx(struct store *s, void *arg)
{
	struct submit *sub = arg;
	enum db_err    e;

	sub->p.created_at = now_unix();
	if (sub->cfg->verify_email) {
		sub->p.status = PLEDGE_PENDING;
		sub->p.has_confirmed_at = false;
		sub->outcome = SUBMIT_PENDING;
	} else {
		sub->p.status = PLEDGE_CONFIRMED;
		sub->p.has_confirmed_at = true;
		sub->p.confirmed_at = sub->p.created_at;
		sub->outcome = SUBMIT_CREATED;
	}
	if ((e = store_pledge_insert(s, &sub->p)) == DB_NOTFOUND)
		return submit_repeat(s, sub);
	if (e != DB_OK)
		return e;
	sub->consent.ref_id = sub->p.id;
	if ((e = store_consent_add(s, &sub->consent)) != DB_OK)
		return e;
	if (sub->cfg->verify_email)	/* 202: the reply shows no count */
		return mail_with_token(s, sub, MAIL_PLEDGE_CONFIRM, sub->p.id);
	return store_counter_value(s, sub->p.campaign_id, &sub->count);
}

/* Reads and checks every field; all bad fields end up in f->errors. */
static void
pledge_fields(struct fields *f, struct pledge *p)
{
	long long n;
	bool	  present;

	field_string(f, "name", true, 1, 120, false, &p->name);
	field_email(f, "email", true, &p->email);
	field_string(f, "organisation", false, 0, 160, false, &p->organisation);
	field_choice(f, "actor_type", true, actor_types, &p->actor_type);
	field_country(f, "country", true, &p->country);
	field_string(f, "city", false, 0, 120, false, &p->city);
	field_string(f, "commitment", true, 10, 2000, true, &p->commitment);
	field_choice(f, "category", false, categories, &p->category);
	if (field_int(f, "quantity", false, 0, 1000000000000LL, &present,
	    &n) == 0 && present) {
		p->has_quantity = true;
		p->quantity = n;
	}
	/* A unit only means something with a quantity. */
	field_choice(f, "unit", p->has_quantity, units, &p->unit);
	if (field_int(f, "target_year", false, 2019, 2100, &present, &n) == 0 &&
	    present) {
		p->has_target_year = true;
		p->target_year = n;
	}
	field_bool(f, "public", false, &present, &p->public_);
	field_true(f, "consent");
	field_language(f, "language", &p->language);
}

/*
 * The reply to a submission, once submit_tx has committed (e == DB_OK) or
 * failed; on the writer's reply thread (see req_defer), or directly for
 * the honeypot.
 */
static void
submit_reply(struct req *r, enum db_err e, void *arg)
{
	struct submit *sub = arg;

	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	if (r->form_return != NULL) {
		resp_form_redirect(r, "ok=1");
		return;
	}
	switch (sub->outcome) {
	case SUBMIT_PENDING:
		resp_json(r, 202, json_pack("{s:s}", "status",
		    "pending_confirmation"));
		break;
	case SUBMIT_CREATED:
		resp_json(r, 201, json_pack("{s:I, s:s, s:I}", "id",
		    (json_int_t)sub->p.id, "status", "confirmed", "count",
		    (json_int_t)sub->count));
		break;
	case SUBMIT_DUPLICATE:
		if (r->cfg->verify_email)
			resp_json(r, 202, json_pack("{s:s}", "status",
			    "pending_confirmation"));
		else
			resp_json(r, 200, json_pack("{s:s, s:I}", "status",
			    "duplicate", "count", (json_int_t)sub->count));
		break;
	}
}

void
pledges_submit(struct req *r)
{
	struct fields	f;
	struct campaign c;
	/* In the arena: it outlives this function when the request waits
	 * for its commit (req_defer). */
	struct submit  *sub = arena_alloc(r->arena, sizeof(*sub));
	enum db_err	e;
	int		lang;

	*sub = (struct submit){ .cfg = r->cfg, .arena = r->arena };
	if (req_submission(r, &f) != 0)
		return;
	e = campcache_get(r->store, r->arena, r->params[0], &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (strcmp(campaign_status(&c, now_unix()), "open") != 0) {
		resp_error(r, 409, "campaign_closed", NULL);
		goto out;
	}
	pledge_fields(&f, &sub->p);
	/* The honeypot: a bot filled the hidden field. Look successful,
	 * store nothing. */
	if (field_honeypot(&f, "website")) {
		log_info("honeypot filled on %s: dropped", c.slug);
		sub->outcome = r->cfg->verify_email ? SUBMIT_PENDING :
		    SUBMIT_CREATED;
		sub->count = c.count;
		sub->p.id = c.count + 1;	/* like a real one */
		submit_reply(r, DB_OK, sub);
		goto out;
	}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	sub->p.campaign_id = c.id;
	sub->p.email_key = email_normalise(r->arena, sub->p.email);
	lang = lang_from_code(sub->p.language);
	sub->campaign_title = c.title[lang >= 0 ? lang : LANG_ES];
	consent_prepare(r, &f, "pledge", sub->p.language, &sub->consent);
	submit_prepare(sub);
	/* r is the writer's from here: only f (ours) is touched below. */
	req_defer_ordered(r, submit_tx, sub, submit_reply,
	    WRITER_ORDER(WRITER_LOCK_CAMPAIGN, c.id));
out:
	fields_free(&f);
}

/* ---- confirmation (the confirm endpoint's job, see confirm.c) ---- */

enum db_err
pledges_confirm_tx(struct store *s, struct arena *arena, int64_t ref,
    const char **campaign, int64_t *count)
{
	struct pledge p;
	enum db_err   e;

	if ((e = store_pledge_get(s, arena, ref, &p)) != DB_OK)
		return e;
	if ((e = store_campaign_slug(s, arena, p.campaign_id,
	    campaign)) != DB_OK)
		return e;
	if (strcmp(p.status, PLEDGE_PENDING) == 0 &&
	    (e = store_pledge_set_status(s, &p, PLEDGE_CONFIRMED,
	    now_unix())) != DB_OK)
		return e;
	return store_counter_value(s, p.campaign_id, count);
}

/* ---- the public wall ---- */

json_t *
pledge_json(const struct pledge *p, bool staff)
{
	json_t *o = json_object();

	if (o == NULL)
		log_fatal("out of memory");
	json_object_set_new(o, "id", json_integer(p->id));
	if (staff) {
		json_object_set_new(o, "status", json_opt_str(p->status));
		json_object_set_new(o, "created_at", json_time(true,
		    p->created_at));
		json_object_set_new(o, "confirmed_at",
		    json_time(p->has_confirmed_at, p->confirmed_at));
	}
	json_object_set_new(o, "name", json_opt_str(p->name));
	if (staff)
		json_object_set_new(o, "email", json_opt_str(p->email));
	json_object_set_new(o, "organisation", json_opt_str(p->organisation));
	json_object_set_new(o, "actor_type", json_opt_str(p->actor_type));
	json_object_set_new(o, "country", json_opt_str(p->country));
	json_object_set_new(o, "city", json_opt_str(p->city));
	json_object_set_new(o, "commitment", json_opt_str(p->commitment));
	json_object_set_new(o, "category", json_opt_str(p->category));
	json_object_set_new(o, "quantity", p->has_quantity ?
	    json_integer(p->quantity) : json_null());
	json_object_set_new(o, "unit", json_opt_str(p->has_quantity ?
	    p->unit : NULL));
	json_object_set_new(o, "target_year", p->has_target_year ?
	    json_integer(p->target_year) : json_null());
	if (staff) {
		json_object_set_new(o, "public", json_boolean(p->public_));
		json_object_set_new(o, "language", json_opt_str(p->language));
	} else
		json_object_set_new(o, "created_at", json_time(true,
		    p->created_at));
	return o;
}

static int
wall_add(const struct pledge *p, void *arg)
{
	json_array_append_new(arg, pledge_json(p, false));
	return 0;
}

/*
 * Whether pledge p is on the wall of campaign campaign_id: the wall's own
 * rule (store_wall): public, counted (confirmed or approved) and, with
 * moderation on, approved.
 */
static bool
on_wall(const struct pledge *p, int64_t campaign_id, bool moderation)
{
	return p->campaign_id == campaign_id && p->public_ &&
	    pledge_counted(p->status) &&
	    (!moderation || strcmp(p->status, PLEDGE_APPROVED) == 0);
}

/* GET /api/v1/campaigns/{slug}/pledges/{id}: one pledge of the wall, for
 * its permalink; 404 for any pledge the wall would not show. */
void
wall_pledge_get(struct req *r)
{
	struct campaign c;
	struct pledge	p;
	int64_t		id;
	enum db_err	e;

	/* The router let through 1 to 18 digits: they fit. */
	id = strtoll(r->params[1], NULL, 10);
	e = campcache_get(r->store, r->arena, r->params[0], &c);
	if (e == DB_OK)
		e = store_pledge_get(r->store, r->arena, id, &p);
	if (e == DB_OK && !on_wall(&p, c.id, r->cfg->moderation))
		e = DB_NOTFOUND;
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	resp_json(r, 200, pledge_json(&p, false));
}

void
wall_get(struct req *r)
{
	struct campaign	  c;
	struct wall_query wq = { .before_id = INT64_MAX, .limit = 20 };
	struct kvlist	  q;
	json_t		 *items;
	enum db_err	  e;

	if (req_query(r, &q) != 0)
		return;
	if (req_query_country(r, &q, "country", &wq.country) != 0 ||
	    req_query_choice(r, &q, "actor_type", actor_types,
	    &wq.actor_type) != 0 ||
	    req_query_choice(r, &q, "category", categories, &wq.category) != 0)
		return;
	if (req_page(r, &q, &wq.limit, &wq.before_id) != 0)
		return;
	e = campcache_get(r->store, r->arena, r->params[0], &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		return;
	}
	wq.campaign_id = c.id;
	wq.approved_only = r->cfg->moderation;
	items = json_array();
	/* One more than asked tells whether there is a next page. */
	wq.limit++;
	resp_page(r, store_wall(r->store, r->arena, &wq, wall_add, items),
	    items, wq.limit - 1);
}
