/*
 * pledges.c: the pledge endpoints. Submission (JSON or browser form),
 * confirmation by token, the counter (JSON and SVG), the stats and the
 * public wall. Writes go through the group-commit writer; the job
 * functions here run on the writer's thread.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaigns.h"
#include "campcache.h"
#include "consultants.h"
#include "cursor.h"
#include "handlers.h"
#include "log.h"
#include "mailmsg.h"
#include "newsletter.h"
#include "outbox.h"
#include "pledges.h"
#include "privacy.h"
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
static const char *const languages[] = { "es", "en", "pt", "fr", NULL };

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
	bool	    queued;
	enum db_err e;

	e = store_token_add(s, sub->hash, "pledge", id, now_unix() +
	    CONFIRM_TOKEN_SECS);
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

/* The writer job of a submission: insert, or handle the repeat. */
static enum db_err
submit_tx(struct store *s, void *arg)
{
	struct submit *sub = arg;
	const char    *status;
	int64_t	       id;
	enum db_err    e;

	e = store_pledge_find(s, sub->p.campaign_id, sub->p.email_key, &id,
	    &status);
	if (e == DB_OK) {
		sub->outcome = SUBMIT_DUPLICATE;
		if (sub->cfg->verify_email) {
			if (strcmp(status, PLEDGE_PENDING) == 0)
				e = mail_with_token(s, sub,
				    MAIL_PLEDGE_ALREADY_PENDING, id);
			else {
				struct mail_vars vars = {
					.campaign = sub->campaign_title };
				bool queued;

				e = outbox_queue(s, sub->arena, sub->cfg,
				    MAIL_PLEDGE_ALREADY,
				    (enum lang)lang_from_code(sub->p.language),
				    sub->p.email, sub->p.email_key, &vars, NULL,
				    0, &queued);
			}
			if (e != DB_OK)
				return e;
		}
		return store_counter_value(s, sub->p.campaign_id, &sub->count);
	}
	if (e != DB_NOTFOUND)
		return e;
	sub->p.created_at = now_unix();
	if (sub->cfg->verify_email) {
		sub->p.status = PLEDGE_PENDING;
		sub->outcome = SUBMIT_PENDING;
	} else {
		sub->p.status = PLEDGE_CONFIRMED;
		sub->p.has_confirmed_at = true;
		sub->p.confirmed_at = sub->p.created_at;
		sub->outcome = SUBMIT_CREATED;
	}
	if ((e = store_pledge_insert(s, &sub->p)) != DB_OK)
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
	field_choice(f, "language", false, languages, &p->language);
	if (p->language == NULL)
		p->language = "es";
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
	if (req_body_fields(r, true, &f) != 0)
		return;
	req_form_return(r, &f);
	/* After the body is read, so that a form post is sent back to its
	 * page; nothing is stored or looked up before this. */
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0)
		goto out;
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
	req_defer(r, submit_tx, sub, submit_reply);
out:
	fields_free(&f);
}

/* What a token confirms, by its kind, and the reply's kind and status. */
enum confirm_kind {
	CONFIRM_PLEDGE, CONFIRM_NEWSLETTER, CONFIRM_CONSULTANT, CONFIRM__MAX
};
static const struct {
	const char *kind;	/* of the token, and of the reply */
	const char *status;	/* of the reply */
} confirm_kinds[CONFIRM__MAX] = {
	[CONFIRM_PLEDGE] = { "pledge", "confirmed" },
	[CONFIRM_NEWSLETTER] = { "newsletter", "subscribed" },
	[CONFIRM_CONSULTANT] = { "consultant", "confirmed" },
};

/* A confirmation on its way to the writer. */
struct confirm {
	unsigned char	  hash[TOKEN_HASH_LEN];
	struct arena	 *arena;
	enum confirm_kind which;	/* the token's kind */
	const char	 *campaign;	/* a pledge's campaign slug */
	int64_t		  count;	/* and its count */
};

/* Confirms pledge ref: counted from now on. */
static enum db_err
confirm_pledge_tx(struct store *s, struct confirm *c, int64_t ref)
{
	struct pledge p;
	enum db_err   e;

	if ((e = store_pledge_get(s, c->arena, ref, &p)) != DB_OK)
		return e;
	if ((e = store_campaign_slug(s, c->arena, p.campaign_id,
	    &c->campaign)) != DB_OK)
		return e;
	if (strcmp(p.status, PLEDGE_PENDING) == 0 &&
	    (e = store_pledge_set_status(s, &p, PLEDGE_CONFIRMED,
	    now_unix())) != DB_OK)
		return e;
	return store_counter_value(s, p.campaign_id, &c->count);
}

/* The confirm endpoint serves every double opt-in: the token's kind says
 * what it confirms. */
static enum db_err
confirm_tx(struct store *s, void *arg)
{
	struct confirm *c = arg;
	const char     *kind;
	int64_t		ref, expires;
	enum db_err	e;

	e = store_token_find(s, c->arena, c->hash, &kind, &ref, &expires);
	if (e != DB_OK)
		return e;
	if (kind == NULL || expires < now_unix())
		return DB_NOTFOUND;
	for (c->which = 0; c->which < CONFIRM__MAX; c->which++)
		if (strcmp(kind, confirm_kinds[c->which].kind) == 0)
			break;
	switch (c->which) {
	case CONFIRM_PLEDGE:
		return confirm_pledge_tx(s, c, ref);
	case CONFIRM_NEWSLETTER:
		return newsletter_confirm_tx(s, c->arena, ref);
	case CONFIRM_CONSULTANT:
		return consultant_confirm_tx(s, c->arena, ref);
	default:
		return DB_NOTFOUND;
	}
}

void
confirm_post(struct req *r)
{
	struct fields  f;
	struct confirm c = { .arena = r->arena };
	enum db_err    e;

	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0)
		return;
	if (req_body_fields(r, false, &f) != 0)
		return;
	if (req_token(r, &f, false, c.hash) != 0)
		goto out;
	e = writer_run(r->writer, confirm_tx, &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (c.which == CONFIRM_PLEDGE)
		resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:I}", "kind",
		    "pledge", "status", "confirmed", "campaign", c.campaign,
		    "count", (json_int_t)c.count));
	else
		resp_json(r, 200, json_pack("{s:s, s:s}", "kind",
		    confirm_kinds[c.which].kind, "status",
		    confirm_kinds[c.which].status));
out:
	fields_free(&f);
}

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
	const struct kv *lv;
	char	       etag[96], num[48], variant[8], *svg;
	int	       lang = LANG_ES, w_label, w_num, len;

	if (req_query(r, &q) != 0)
		return;
	lv = form_get(&q, "lang");
	if (lv != NULL && (lang = lang_from_code(lv->value)) < 0) {
		resp_error(r, 400, "bad_request", NULL);
		return;
	}
	snprintf(variant, sizeof(variant), "s%s", lang_codes[lang]);
	if (counter_load(r, &k, etag, variant) != 0)
		return;
	counter_headers(r, etag);
	if (etag_matches(r, etag)) {
		resp_not_modified(r);
		return;
	}
	format_count(k.count, (enum lang)lang, num, sizeof(num));
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

/* A pledge as the public may see it: never the e-mail. */
static json_t *
public_pledge_json(const struct pledge *p)
{
	json_t *o = json_object();

#define OPT_STR(k, v) json_object_set_new(o, k, (v) ? json_string(v) : json_null())
	json_object_set_new(o, "id", json_integer(p->id));
	OPT_STR("name", p->name);
	OPT_STR("organisation", p->organisation);
	OPT_STR("actor_type", p->actor_type);
	OPT_STR("country", p->country);
	OPT_STR("city", p->city);
	OPT_STR("commitment", p->commitment);
	OPT_STR("category", p->category);
	json_object_set_new(o, "quantity", p->has_quantity ?
	    json_integer(p->quantity) : json_null());
	OPT_STR("unit", p->has_quantity ? p->unit : NULL);
	json_object_set_new(o, "target_year", p->has_target_year ?
	    json_integer(p->target_year) : json_null());
	json_object_set_new(o, "created_at", json_time(true, p->created_at));
#undef OPT_STR
	return o;
}

struct wall {
	json_t *items;
	int64_t last_id;
	int	n;
};

static int
wall_add(const struct pledge *p, void *arg)
{
	struct wall *w = arg;

	json_array_append_new(w->items, public_pledge_json(p));
	w->last_id = p->id;
	w->n++;
	return 0;
}

/* Reads an optional filter; -1 after a 400 for a bad value. */
static int
wall_filter(struct req *r, const struct kvlist *q, const char *key,
    const char *const *choices, const char **out)
{
	const struct kv *kv = form_get(q, key);

	*out = NULL;
	if (kv == NULL || kv->value_len == 0)
		return 0;
	if (choices == NULL) {
		char code[3];

		if (kv->value_len != 2)
			goto bad;
		code[0] = (char)(kv->value[0] & ~0x20);
		code[1] = (char)(kv->value[1] & ~0x20);
		code[2] = '\0';
		if (!country_valid(code))
			goto bad;
		*out = arena_strdup(r->arena, code);
		return 0;
	}
	for (size_t i = 0; choices[i] != NULL; i++)
		if (strcmp(kv->value, choices[i]) == 0) {
			*out = choices[i];
			return 0;
		}
bad:
	resp_error(r, 400, "bad_request", NULL);
	return -1;
}

void
wall_get(struct req *r)
{
	struct campaign	  c;
	struct wall_query wq = { .before_id = INT64_MAX, .limit = 20 };
	struct wall	  w = { 0 };
	struct kvlist	  q;
	enum db_err	  e;
	char		  cursor[CURSOR_MAX];

	if (req_query(r, &q) != 0)
		return;
	if (wall_filter(r, &q, "country", NULL, &wq.country) != 0 ||
	    wall_filter(r, &q, "actor_type", actor_types, &wq.actor_type) != 0 ||
	    wall_filter(r, &q, "category", categories, &wq.category) != 0)
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
	w.items = json_array();
	/* One more than asked tells whether there is a next page. */
	wq.limit++;
	e = store_wall(r->store, r->arena, &wq, wall_add, &w);
	if (e != DB_OK) {
		json_decref(w.items);
		resp_db_error(r, e);
		return;
	}
	json_t *next = json_null();
	if (w.n == wq.limit) {
		json_array_remove(w.items, json_array_size(w.items) - 1);
		json_t *last = json_array_get(w.items, json_array_size(w.items) - 1);
		cursor_encode(json_integer_value(json_object_get(last, "id")),
		    cursor);
		next = json_string(cursor);
	}
	resp_json(r, 200, json_pack("{s:o, s:o}", "items", w.items, "next",
	    next));
}

enum db_err
pledge_moderate_tx(struct store *s, void *arg)
{
	struct moderation *m = arg;
	struct pledge	   p;
	enum db_err	   e;
	const char	  *to = m->approve ? PLEDGE_APPROVED : PLEDGE_REJECTED;

	if ((e = store_pledge_get(s, m->arena, m->id, &p)) != DB_OK)
		return e;
	m->status = p.status;
	/* Only a pledge its author confirmed can be published or counted. */
	if (m->approve && !p.has_confirmed_at) {
		m->unconfirmed = true;
		return DB_OK;
	}
	if (strcmp(p.status, to) == 0)
		return DB_OK;
	m->status = to;
	m->changed = true;
	return store_pledge_set_status(s, &p, to, now_unix());
}
