/*
 * confirm.c: POST /api/v1/confirm, the one endpoint of every double
 * opt-in. The mailed token's kind says what it confirms; the table below
 * maps each kind to the confirm job of its resource, which runs in the
 * writer's transaction with the token look-up.
 */
#include <string.h>

#include "consultants.h"
#include "handlers.h"
#include "newsletter.h"
#include "pledges.h"
#include "response.h"
#include "store.h"
#include "store_tokens.h"
#include "token.h"
#include "writer.h"

/* A confirmation on its way to the writer, and what it found. */
struct confirm {
	struct token_keys keys;
	struct arena *arena;
	const struct confirm_kind *kind;	/* the token's */
	const char   *campaign;	/* a pledge's campaign slug */
	int64_t	      count;	/* and its count */
};

static enum db_err
pledge_job(struct store *s, struct confirm *c, int64_t ref)
{
	return pledges_confirm_tx(s, c->arena, ref, &c->campaign, &c->count);
}

static enum db_err
newsletter_job(struct store *s, struct confirm *c, int64_t ref)
{
	return newsletter_confirm_tx(s, c->arena, ref);
}

static enum db_err
consultant_job(struct store *s, struct confirm *c, int64_t ref)
{
	return consultant_confirm_tx(s, c->arena, ref);
}

/* What each kind of token confirms, and the reply's kind and status. */
static const struct confirm_kind {
	const char  *kind;	/* of the token, and of the reply */
	const char  *status;	/* of the reply */
	enum db_err (*job)(struct store *s, struct confirm *c, int64_t ref);
} kinds[] = {
	{ "pledge", "confirmed", pledge_job },
	{ "newsletter", "subscribed", newsletter_job },
	{ "consultant", "confirmed", consultant_job },
};

static enum db_err
confirm_tx(struct store *s, void *arg)
{
	struct confirm *c = arg;
	const char     *kind;
	int64_t		ref, expires;
	enum db_err	e;

	e = store_token_find(s, c->arena, &c->keys, &kind, &ref, &expires);
	if (e != DB_OK)
		return e;
	if (kind == NULL || expires < now_unix())
		return DB_NOTFOUND;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i].kind) == 0) {
			c->kind = &kinds[i];
			return kinds[i].job(s, c, ref);
		}
	/* A token of another use (a cancel link, say) confirms nothing. */
	return DB_NOTFOUND;
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
	if (req_token(r, &f, false, &c.keys) != 0)
		goto out;
	e = writer_run(r->writer, confirm_tx, &c);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	if (c.kind->job == pledge_job)
		resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:I}", "kind",
		    "pledge", "status", "confirmed", "campaign", c.campaign,
		    "count", (json_int_t)c.count));
	else
		resp_json(r, 200, json_pack("{s:s, s:s}", "kind", c.kind->kind,
		    "status", c.kind->status));
out:
	fields_free(&f);
}
