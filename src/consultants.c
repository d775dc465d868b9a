/*
 * consultants.c: the consultant roster. Registration with double opt-in
 * (every submission is a request, confirmed by a mailed token through
 * POST /api/v1/confirm; a repeat updates the profile only once confirmed),
 * staff search (expertise, country, free text) and CSV export, and the
 * personal-data hooks of consultants.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consultants.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "outbox.h"
#include "response.h"
#include "store.h"
#include "store_consultants.h"
#include "token.h"
#include "writer.h"

#define CONFIRM_TOKEN_SECS (7 * 86400)
#define QUERY_MAX_CPS	   200	/* ?q= */

static const char *const expertise_codes[] = { "ev_policy", "charging",
	"public_transport", "finance", "grid", "urban_planning", "data",
	"communication", "other", NULL };

/* A registration (a request, until confirmed) on its way to the writer. */
struct request_job {
	const struct config *cfg;
	struct arena	    *arena;
	struct consultant    c;
};

/* The writer job: the request (replacing an earlier one of the address),
 * its token and the confirmation mail. */
static enum db_err
request_tx(struct store *s, void *arg)
{
	struct request_job *j = arg;
	int64_t		     now = now_unix();
	bool		     queued;
	enum db_err	     e;

	if ((e = store_consultant_request_put(s, &j->c)) != DB_OK)
		return e;
	struct mail_vars vars = { .name = j->c.name };

	e = outbox_link(s, j->arena, j->cfg, "consultant", j->c.id, now,
	    now + CONFIRM_TOKEN_SECS, "/confirm.html",
	    "&kind=consultant", &vars.link);
	if (e != DB_OK)
		return e;
	return outbox_queue(s, j->arena, j->cfg, MAIL_CONSULTANT_CONFIRM,
	    (enum lang)lang_from_code(j->c.language), j->c.email,
	    email_normalise(j->arena, j->c.email), &vars, NULL, 0, &queued);
}

/* An optional https URL of at most 500 code points. */
static void
field_https_url(struct fields *f, const char *key, const char **out)
{
	if (field_string(f, key, false, 0, 500, false, out) != 0 || *out == NULL)
		return;
	if (strncmp(*out, "https://", 8) != 0 || (*out)[8] == '\0' ||
	    strpbrk(*out, " \t<>\"") != NULL) {
		fields_fail(f, key, REASON_INVALID_CHOICE);
		*out = NULL;
	}
}

/* JSON text of a list (stolen), or "[]". */
static const char *
list_text(struct arena *arena, json_t *list)
{
	char	   *text;
	const char *out;

	if (list == NULL)
		return "[]";
	text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	if (text == NULL)
		log_fatal("out of memory");
	out = arena_strdup(arena, text);
	free(text);
	return out;
}

void
consultants_submit(struct req *r)
{
	struct fields	    f;
	struct request_job j = { .cfg = r->cfg, .arena = r->arena };
	struct consultant  *c = &j.c;
	json_t		   *expertise, *langs;
	enum db_err	    e;

	if (req_submission(r, &f) != 0)
		return;
	field_string(&f, "name", true, 1, 120, false, &c->name);
	field_email(&f, "email", true, &c->email);
	field_country(&f, "country", false, &c->country);
	field_string(&f, "organisation", false, 0, 160, false, &c->organisation);
	field_choices(&f, "expertise", true, expertise_codes, 8, &expertise);
	field_choices(&f, "languages", false, lang_codes, 4, &langs);
	field_https_url(&f, "profile_url", &c->profile_url);
	field_string(&f, "bio", true, 50, 3000, true, &c->bio);
	field_true(&f, "consent");
	field_language(&f, "language", &c->language);
	c->expertise = list_text(r->arena, expertise);
	c->languages = list_text(r->arena, langs);
	if (field_honeypot(&f, "website")) {
		log_info("honeypot filled on consultants: dropped");
		goto reply;
	}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	c->email_key = email_normalise(r->arena, c->email);
	c->created_at = c->consent_at = now_unix();
	if ((e = writer_run(r->writer, request_tx, &j)) != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
reply:
	/* New address or repeat, the same answer: no enumeration. */
	resp_accepted(r, "pending_confirmation");
out:
	fields_free(&f);
}

enum db_err
consultant_confirm_tx(struct store *s, struct arena *arena, int64_t ref)
{
	struct consultant c;
	enum db_err	  e;

	if ((e = store_consultant_request_get(s, arena, ref, &c)) != DB_OK)
		return e;
	if (c.has_confirmed_at)
		return DB_OK;
	return store_consultant_confirm(s, ref, now_unix());
}

/* A JSON array from its stored text (a new reference). */
static json_t *
list_json(const char *text)
{
	json_t *v = text ? json_loads(text, 0, NULL) : NULL;

	if (!json_is_array(v)) {
		json_decref(v);
		v = json_array();
	}
	return v;
}

/* Every field of a profile (request false) or a request (true). */
static json_t *
consultant_json(const struct consultant *c, bool request)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s, "
	    "s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)c->id,
	    "status", request && !c->has_confirmed_at ? "pending_confirmation" :
	    "confirmed", "name", c->name, "email", c->email,
	    "country", json_opt_str(c->country),
	    "organisation", json_opt_str(c->organisation),
	    "expertise", list_json(c->expertise),
	    "languages", list_json(c->languages),
	    "profile_url", json_opt_str(c->profile_url), "bio", c->bio,
	    "language", c->language,
	    "consent_at", json_time(true, c->consent_at),
	    "created_at", json_time(true, c->created_at),
	    "confirmed_at", json_time(c->has_confirmed_at, c->confirmed_at),
	    "updated_at", json_time(true, c->updated_at));
}

static int
consultant_add(const struct consultant *c, void *arg)
{
	json_array_append_new(arg, consultant_json(c, false));
	return 0;
}

/*
 * Staff's free search text, checked (UTF-8, no control characters, at
 * most QUERY_MAX_CPS code points) and copied into *out; the storage
 * layer makes its engine's query of the words. -1 on bad text.
 */
static int
search_words(struct arena *arena, const char *q, size_t len, const char **out)
{
	size_t cps;

	if (text_check(q, len, false, &cps) != TEXT_OK || cps > QUERY_MAX_CPS)
		return -1;
	*out = arena_strndup(arena, q, len);
	return 0;
}

/* Reads ?expertise=, ?country= and ?q= into q: 0, or -1 naming the bad
 * one in *bad. */
static int
consultant_filters(struct arena *arena, const struct kvlist *kv,
    struct consultant_query *q, const char **bad)
{
	const struct kv *p;
	char		 code[3];

	if (form_choice(kv, (*bad = "expertise"), expertise_codes,
	    &q->expertise) != 0 || form_country(kv, (*bad = "country"),
	    code) < 0)
		return -1;
	if (code[0] != '\0')
		q->country = arena_strdup(arena, code);
	*bad = "q";
	if ((p = form_get(kv, "q")) != NULL &&
	    search_words(arena, p->value, p->value_len, &q->words) != 0)
		return -1;
	*bad = NULL;
	return 0;
}

void
consultants_list(struct req *r)
{
	struct consultant_query q = { 0 };
	struct kvlist		kv;
	json_t		       *items;
	const char	       *bad;

	if (req_query(r, &kv) != 0 ||
	    req_page(r, &kv, &q.limit, &q.before_id) != 0)
		return;
	if (consultant_filters(r->arena, &kv, &q, &bad) != 0) {
		resp_error(r, 400, "bad_request", NULL);
		return;
	}
	items = json_array();
	q.limit++;
	resp_page(r, store_consultants(r->store, r->arena, &q, consultant_add,
	    items), items, q.limit - 1);
}

/* ---- the consultants CSV (download.h) ---- */

static const char *const export_columns[] = {
	"id", "created_at", "confirmed_at", "name", "email", "country",
	"organisation", "expertise", "languages", "profile_url", "bio",
};
static const char *const export_params[] = { "expertise", "country", "q",
	NULL };
#define EXPORT_KINDS "ittssssssss"
_Static_assert(sizeof(EXPORT_KINDS) - 1 == EXPORT_CONSULTANT_COLUMNS,
    "kinds");

static int
export_read(struct export_params *p)
{
	return consultant_filters(p->arena, p->q, p->query, &p->bad);
}

static enum db_err
export_rows(struct store *s, const void *q, store_row_fn fn, void *arg)
{
	return store_export_consultants(s, q, fn, arg);
}

const struct export consultants_export = {
	.name = "consultants",
	.columns = export_columns,
	.kinds = EXPORT_KINDS,
	.params = export_params,
	.query_size = sizeof(struct consultant_query),
	.read = export_read,
	.rows = export_rows,
};

/* ---- personal data (consultants.h) ---- */

static int
record_add(const struct consultant *c, bool request, void *arg)
{
	json_array_append_new(arg, consultant_json(c, request));
	return 0;
}

enum db_err
consultants_privacy_export(struct store *s, struct arena *a,
    const char *email_key, json_t *into)
{
	json_t	   *roster = json_array();
	enum db_err e = store_consultants_of_key(s, a, email_key, record_add,
	    roster);

	if (e != DB_OK) {
		json_decref(roster);
		return e;
	}
	json_object_set_new(into, "consultants", roster);
	return DB_OK;
}

enum db_err
consultants_purge_unconfirmed(struct store *s, int64_t older_than,
    int64_t *purged)
{
	return store_consultant_requests_purge(s, older_than, purged);
}
