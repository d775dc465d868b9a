/*
 * store_campaigns.c: campaigns and the counter row each one has (see
 * store_campaigns.h). The counter is changed by store_pledges.c, in
 * the same transaction as the pledge that moves it.
 */
#include <string.h>

#include "store_campaigns.h"
#include "store_impl.h"

#define CAMPAIGN_COLUMNS \
	"c.id, c.slug, c.title_es, c.title_en, c.title_pt, c.title_fr, " \
	"c.description_es, c.description_en, c.description_pt, " \
	"c.description_fr, c.goal, c.opens_at, c.closes_at, c.paused, " \
	"k.count, k.updated_at FROM campaigns c " \
	"JOIN campaign_counters k ON k.campaign_id = c.id "

#define CAMPAIGN_ADD_SQL \
	"INSERT INTO campaigns (slug, title_es, title_en, title_pt, title_fr, " \
	"description_es, description_en, description_pt, description_fr, " \
	"goal, opens_at, closes_at, paused, created_at, updated_at) " \
	"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?14)"

enum campaign_stmt {
	CAMPAIGN_GET,
	CAMPAIGN_LIST,
	CAMPAIGN_ADD,
	CAMPAIGN_UPDATE,
	CAMPAIGN_SLUG,
	COUNTER_VALUE,
	CAMPAIGN__MAX
};

static const char *const sql[CAMPAIGN__MAX] = {
	[CAMPAIGN_GET] = "SELECT " CAMPAIGN_COLUMNS "WHERE c.slug = ?",
	[CAMPAIGN_LIST] = "SELECT " CAMPAIGN_COLUMNS "ORDER BY c.slug",
	/* A trigger (sql/001) adds the campaign's counter row. */
	[CAMPAIGN_ADD] = CAMPAIGN_ADD_SQL,
	[CAMPAIGN_UPDATE] = "UPDATE campaigns SET title_es = ?2, "
	    "title_en = ?3, title_pt = ?4, title_fr = ?5, description_es = ?6, "
	    "description_en = ?7, description_pt = ?8, description_fr = ?9, "
	    "goal = ?10, opens_at = ?11, closes_at = ?12, paused = ?13, "
	    "updated_at = ?14 WHERE slug = ?1",
	[CAMPAIGN_SLUG] = "SELECT slug FROM campaigns WHERE id = ?",
	[COUNTER_VALUE] = "SELECT count FROM campaign_counters "
	    "WHERE campaign_id = ?",
};

/* PostgreSQL: the new id comes back with the INSERT. */
static const char *const sql_pg[CAMPAIGN__MAX] = {
	[CAMPAIGN_ADD] = CAMPAIGN_ADD_SQL " RETURNING id",
};

const struct stmt_set store_campaigns_set = { "campaigns", sql, sql_pg,
	CAMPAIGN__MAX };

static struct stmt *
q(struct store *s, enum campaign_stmt id)
{
	return store_stmt(s, SET_CAMPAIGNS, id);
}

const char *
campaign_status(const struct campaign *c, int64_t now)
{
	if (c->paused)
		return "paused";
	if (c->has_opens_at && now < c->opens_at)
		return "upcoming";
	if (c->has_closes_at && now > c->closes_at)
		return "closed";
	return "open";
}

/* Reads one row of CAMPAIGN_COLUMNS. */
static void
campaign_read(struct arena *arena, struct stmt *st, void *row)
{
	struct campaign *c = row;

	memset(c, 0, sizeof(*c));
	c->id = col_int64(st, 0);
	c->slug = col_text(arena, st, 1);
	for (int l = 0; l < LANG__MAX; l++) {
		c->title[l] = col_text(arena, st, 2 + l);
		c->description[l] = col_text(arena, st, 6 + l);
	}
	c->has_goal = !col_null(st, 10);
	c->goal = col_int64(st, 10);
	c->has_opens_at = !col_null(st, 11);
	c->opens_at = col_int64(st, 11);
	c->has_closes_at = !col_null(st, 12);
	c->closes_at = col_int64(st, 12);
	c->paused = col_int(st, 13) != 0;
	c->count = col_int64(st, 14);
	c->count_updated_at = col_int64(st, 15);
}

enum db_err
store_campaign_get(struct store *s, struct arena *arena, const char *slug,
    struct campaign *out)
{
	struct stmt *st = q(s, CAMPAIGN_GET);

	bind_text(st, 1, slug);
	return store_one(s, st, arena, campaign_read, out, "campaign get");
}

enum db_err
store_campaign_list(struct store *s, struct arena *arena,
    store_campaign_fn fn, void *arg)
{
	struct stmt    *st = q(s, CAMPAIGN_LIST);
	struct campaign c;
	enum db_err	e = DB_OK;

	while (store_next(s, st, &e, "campaign list")) {
		campaign_read(arena, st, &c);
		if (fn(&c, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

/* Binds ?1..?13 of CAMPAIGN_ADD and CAMPAIGN_UPDATE from c, ?14 now. */
static void
campaign_bind(struct stmt *st, const struct campaign *c)
{
	bind_text(st, 1, c->slug);
	for (int l = 0; l < LANG__MAX; l++) {
		bind_text(st, 2 + l, c->title[l]);
		bind_text(st, 6 + l, c->description[l] ? c->description[l] : "");
	}
	bind_opt_int64(st, 10, c->has_goal, c->goal);
	bind_opt_int64(st, 11, c->has_opens_at, c->opens_at);
	bind_opt_int64(st, 12, c->has_closes_at, c->closes_at);
	bind_int64(st, 13, c->paused);
	bind_int64(st, 14, now_unix());
}

enum db_err
store_campaign_add(struct store *s, struct campaign *c)
{
	struct stmt *st = q(s, CAMPAIGN_ADD);

	campaign_bind(st, c);
	return store_insert(s, st, &c->id, "campaign add");
}

enum db_err
store_campaign_update(struct store *s, const struct campaign *c)
{
	struct stmt *st = q(s, CAMPAIGN_UPDATE);

	campaign_bind(st, c);
	return store_exec_changed(s, st, "campaign update");
}

enum db_err
store_campaign_slug(struct store *s, struct arena *arena, int64_t id,
    const char **slug)
{
	struct stmt  *st = q(s, CAMPAIGN_SLUG);
	enum db_err   e;

	bind_int64(st, 1, id);
	if ((e = store_step_row(s, st, "campaign slug")) != DB_OK)
		return e;
	*slug = col_text(arena, st, 0);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_counter_value(struct store *s, int64_t campaign_id, int64_t *count)
{
	struct stmt *st = q(s, COUNTER_VALUE);

	bind_int64(st, 1, campaign_id);
	return store_int64(s, st, count, "counter value");
}
