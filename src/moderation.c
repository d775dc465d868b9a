/*
 * moderation.c: the staff side of pledges: the listing with every field
 * (status and e-mail included), single and bulk moderation decisions
 * (each with its audit entry, in one writer job), and the pledges CSV
 * export. A decision changes the counter and tallies in the same
 * transaction (store_pledge_set_status).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "download.h"
#include "handlers.h"
#include "pledges.h"
#include "response.h"
#include "store.h"
#include "store_campaigns.h"

#define BULK_MAX 500

static const char *const pledge_statuses[] = { PLEDGE_PENDING,
	PLEDGE_CONFIRMED, PLEDGE_APPROVED, PLEDGE_REJECTED, NULL };

static int
listing_add(const struct pledge *p, void *arg)
{
	json_array_append_new(arg, pledge_json(p, true));
	return 0;
}

/* ?campaign=SLUG: *id of that campaign (*has false when absent); -1 with
 * *e DB_NOTFOUND when it is unknown, or the store's failure. */
static int
campaign_param(struct store *s, struct arena *arena, const struct kvlist *q,
    bool *has, int64_t *id, enum db_err *e)
{
	const struct kv *kv = form_get(q, "campaign");
	struct campaign	 c;

	*has = false;
	if (kv == NULL || kv->value_len == 0)
		return 0;
	if ((*e = store_campaign_get(s, arena, kv->value, &c)) != DB_OK)
		return -1;
	*has = true;
	*id = c.id;
	return 0;
}

void
moderation_list(struct req *r)
{
	struct admin_pledge_query q = { 0 };
	struct kvlist		  kv;
	json_t			 *items;
	enum db_err		  e = DB_OK;

	if (req_query(r, &kv) != 0 ||
	    req_page(r, &kv, &q.limit, &q.before_id) != 0 ||
	    req_query_choice(r, &kv, "status", pledge_statuses,
	    &q.status) != 0)
		return;
	if (campaign_param(r->store, r->arena, &kv, &q.has_campaign,
	    &q.campaign_id, &e) != 0) {
		resp_db_error(r, e);
		return;
	}
	items = json_array();
	q.limit++;
	resp_page(r, store_admin_pledges(r->store, r->arena, &q, listing_add,
	    items), items, q.limit - 1);
}

/* ---- the pledges CSV (download.h) ---- */

static const char *const export_columns[] = {
	"id", "created_at", "confirmed_at", "status", "name", "email",
	"organisation", "actor_type", "country", "city", "category",
	"quantity", "unit", "target_year", "language", "public", "commitment",
};
static const char *const export_params[] = { "campaign", "status", "from",
	"to", NULL };
#define EXPORT_KINDS "ittssssssssisisbs"
_Static_assert(sizeof(EXPORT_KINDS) - 1 == EXPORT_PLEDGE_COLUMNS, "kinds");
_Static_assert(sizeof(export_columns) / sizeof(export_columns[0]) ==
    EXPORT_PLEDGE_COLUMNS, "columns");

static int
export_read(struct export_params *p)
{
	struct export_query *q = p->query;

	if (form_choice(p->q, (p->bad = "status"), pledge_statuses,
	    &q->status) != 0 ||
	    form_time(p->q, (p->bad = "from"), &q->has_from, &q->from) != 0 ||
	    form_time(p->q, (p->bad = "to"), &q->has_to, &q->to) != 0)
		return -1;
	p->bad = "campaign";
	if (campaign_param(p->store, p->arena, p->q, &q->has_campaign,
	    &q->campaign_id, &p->e) != 0)
		return -1;
	p->bad = NULL;
	return 0;
}

static enum db_err
export_rows(struct store *s, const void *q, store_row_fn fn, void *arg)
{
	return store_export_pledges(s, q, fn, arg);
}

const struct export pledges_export = {
	.name = "pledges",
	.columns = export_columns,
	.kinds = EXPORT_KINDS,
	.params = export_params,
	.query_size = sizeof(struct export_query),
	.read = export_read,
	.rows = export_rows,
};

/* Several decisions in one job. */
struct bulk {
	struct moderation *m;
	size_t		   n;
	struct arena	  *arena;
};

/* The audit detail of a decision: the ids it changed ("pledges 3, 7"), or
 * NULL when it changed none. */
static const char *
bulk_detail(void *arg)
{
	struct bulk *b = arg;
	size_t	     cap = 16 + b->n * 21, len;
	char	    *out = arena_alloc(b->arena, cap);
	bool	     any = false;

	len = (size_t)snprintf(out, cap, "pledges");
	for (size_t i = 0; i < b->n; i++) {
		if (b->m[i].status == NULL || b->m[i].unconfirmed ||
		    !b->m[i].changed)
			continue;
		len += (size_t)snprintf(out + len, cap - len, "%s %lld",
		    any ? "," : "", (long long)b->m[i].id);
		any = true;
	}
	return any ? out : NULL;
}

static enum db_err
bulk_tx(struct store *s, void *arg)
{
	struct bulk *b = arg;

	for (size_t i = 0; i < b->n; i++) {
		enum db_err e = moderation_tx(s, &b->m[i]);

		if (e == DB_NOTFOUND)
			b->m[i].status = NULL;
		else if (e != DB_OK)
			return e;
	}
	return DB_OK;
}

/* Runs the decisions of b with their audit entry in one writer job. */
static enum db_err
moderate_run(struct req *r, bool approve, const char *target, struct bulk *b)
{
	return audit_run_computed(r, approve ? "approve" : "reject", target,
	    bulk_tx, b, bulk_detail);
}

/* Reads {"decision": "approve"|"reject"}; -1 after recording a reason. */
static int
decision_field(struct fields *f, bool *approve)
{
	static const char *const decisions[] = { "approve", "reject", NULL };
	const char *d;

	if (field_choice(f, "decision", true, decisions, &d) != 0)
		return -1;
	*approve = strcmp(d, "approve") == 0;
	return 0;
}

static json_t *
decision_json(const struct moderation *m)
{
	if (m->status == NULL)
		return json_pack("{s:I, s:s}", "id", (json_int_t)m->id, "error",
		    "not_found");
	if (m->unconfirmed)
		return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)m->id,
		    "status", m->status, "error", "not_confirmed");
	return json_pack("{s:I, s:s}", "id", (json_int_t)m->id, "status",
	    m->status);
}

void
moderation_decide(struct req *r)
{
	struct fields	  f;
	struct moderation m = { .arena = r->arena };
	struct bulk	  b = { &m, 1, r->arena };
	enum db_err	  e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (decision_field(&f, &m.approve) != 0) {
		resp_invalid(r, &f);
		goto out;
	}
	m.id = strtoll(r->params[0], NULL, 10);
	e = moderate_run(r, m.approve, r->params[0], &b);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (m.status == NULL)
		resp_error(r, 404, "not_found", NULL);
	else if (m.unconfirmed)
		resp_json(r, 409, error_body("not_confirmed", "Its author has "
		    "not confirmed this pledge: it cannot be approved.", NULL));
	else
		resp_json(r, 200, decision_json(&m));
out:
	fields_free(&f);
}

void
moderation_bulk(struct req *r)
{
	struct fields f;
	struct bulk   b = { 0 };
	json_t	     *ids, *results;
	bool	      approve = false;
	enum db_err   e;
	size_t	      i;

	if (req_body_fields(r, false, &f) != 0)
		return;
	decision_field(&f, &approve);
	ids = json_object_get(f.in, "ids");
	if (!json_is_array(ids) || json_array_size(ids) == 0)
		fields_fail(&f, "ids", ids == NULL ? REASON_REQUIRED :
		    REASON_WRONG_TYPE);
	else if (json_array_size(ids) > BULK_MAX)
		fields_fail(&f, "ids", REASON_TOO_LONG);
	else
		for (i = 0; i < json_array_size(ids); i++)
			if (!json_is_integer(json_array_get(ids, i)) ||
			    json_integer_value(json_array_get(ids, i)) <= 0) {
				fields_fail(&f, "ids", REASON_WRONG_TYPE);
				break;
			}
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	b.n = json_array_size(ids);
	b.m = arena_alloc(r->arena, b.n * sizeof(*b.m));
	memset(b.m, 0, b.n * sizeof(*b.m));
	for (i = 0; i < b.n; i++) {
		b.m[i].id = json_integer_value(json_array_get(ids, i));
		b.m[i].approve = approve;
		b.m[i].arena = r->arena;
	}
	b.arena = r->arena;
	e = moderate_run(r, approve, "bulk", &b);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	results = json_array();
	for (i = 0; i < b.n; i++)
		json_array_append_new(results, decision_json(&b.m[i]));
	resp_json(r, 200, json_pack("{s:o}", "results", results));
out:
	fields_free(&f);
}

enum db_err
moderation_tx(struct store *s, void *arg)
{
	struct moderation *m = arg;
	struct pledge	   p;
	enum db_err	   e;
	const char	  *to = m->approve ? PLEDGE_APPROVED : PLEDGE_REJECTED;

	m->unconfirmed = m->changed = false;	/* a run again (writer.h) */
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
