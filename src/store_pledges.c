/*
 * store_pledges.c: pledges, and what is derived from them (the campaign's
 * counter and the tallies by country, actor type, category, unit and day
 * of confirmation) (see store_pledges.h): the public wall, staff's listing
 * and the CSV export, and icommitctl recount. The counter and the tallies
 * change only in store_pledge_insert, store_pledge_set_status and
 * store_pledge_delete, in the caller's transaction, so they always agree
 * with the pledges.
 */
#include <string.h>

#include "store_impl.h"
#include "store_pledges.h"
#include "util.h"

#define PLEDGE_COLUMNS \
	"id, campaign_id, status, confirmed_at, name, email, email_key, " \
	"organisation, actor_type, country, city, commitment, category, " \
	"quantity, unit, target_year, public, language, created_at "
#define COUNTED "status IN ('confirmed', 'approved')"
/* The UTC day a counted pledge counts from, as pledge_count writes it. */
#define DAY_OF_PLEDGE \
	"strftime('%Y-%m-%d', coalesce(confirmed_at, created_at), 'unixepoch')"
#define DAY_OF_PLEDGE_PG \
	"to_char(to_timestamp(coalesce(confirmed_at, created_at)) " \
	"AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
/*
 * The counted pledges' tallies, as pledge_count would have built them; day:
 * the engine's DAY_OF_PLEDGE.
 */
#define EXPECTED_TALLIES(day) \
	"SELECT campaign_id, 'country' AS dimension, country AS key, " \
	"count(*) AS value FROM pledges WHERE " COUNTED " GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'actor_type', actor_type, count(*) " \
	"FROM pledges WHERE " COUNTED " GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'category', category, count(*) " \
	"FROM pledges WHERE " COUNTED " AND category IS NOT NULL GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'unit', unit, sum(quantity) " \
	"FROM pledges WHERE " COUNTED " AND quantity IS NOT NULL " \
	"GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'day', " day ", count(*) " \
	"FROM pledges WHERE " COUNTED " GROUP BY 1, 3"
/* The counted pledges of a campaign, for the counter. */
#define COUNT_OF(campaign) \
	"(SELECT count(*) FROM pledges p WHERE p.campaign_id = " campaign \
	" AND p." COUNTED ")"

#define PLEDGE_INSERT_SQL \
	"INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, " \
	"email_key, organisation, actor_type, country, city, commitment, " \
	"category, quantity, unit, target_year, public, language, " \
	"consent_at, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11," \
	"?12,?13,?14,?15,?16,?17,?18,?18) ON CONFLICT (campaign_id, " \
	"email_key) DO NOTHING"
#define PLEDGE_GET_SQL "SELECT " PLEDGE_COLUMNS "FROM pledges WHERE id = ?"
/* t: the cast that names the type of a text parameter (PostgreSQL). */
#define WALL_SQL(t) \
	"SELECT " PLEDGE_COLUMNS "FROM pledges " \
	"WHERE campaign_id = ?1 AND public = 1 " \
	"AND status IN ('confirmed', 'approved') " \
	"AND (?2 = 0 OR status = 'approved') " \
	"AND (?3" t " IS NULL OR country = ?3) " \
	"AND (?4" t " IS NULL OR actor_type = ?4) " \
	"AND (?5" t " IS NULL OR category = ?5) " \
	"AND id < ?6 ORDER BY id DESC LIMIT ?7"
/* i, t: the casts of an integer and a text parameter (PostgreSQL). */
#define STAFF_PLEDGES_SQL(i, t) \
	"SELECT " PLEDGE_COLUMNS "FROM pledges " \
	"WHERE (?1" i " IS NULL OR campaign_id = ?1) " \
	"AND (?2" t " IS NULL OR status = ?2) AND id < ?3 " \
	"ORDER BY id DESC LIMIT ?4"
#define EXPORT_PLEDGES_SQL(i, t) \
	"SELECT id, created_at, confirmed_at, status, " \
	"name, email, organisation, actor_type, country, city, category, " \
	"quantity, unit, target_year, language, public, commitment " \
	"FROM pledges WHERE (?1" i " IS NULL OR campaign_id = ?1) " \
	"AND (?2" t " IS NULL OR status = ?2) " \
	"AND (?3" i " IS NULL OR created_at >= ?3) " \
	"AND (?4" i " IS NULL OR created_at < ?4) ORDER BY id"
/*
 * as: the name of a subquery in FROM (PostgreSQL 15 wants one); day: the
 * engine's DAY_OF_PLEDGE.
 */
#define TALLY_DIFF_SQL(as, day) \
	"SELECT (SELECT count(*) FROM (SELECT " \
	"campaign_id, dimension, key, value FROM pledge_tallies " \
	"WHERE value != 0 EXCEPT SELECT * FROM (" EXPECTED_TALLIES(day) ")" as \
	")" as ") + (SELECT count(*) FROM (SELECT * FROM (" \
	EXPECTED_TALLIES(day) ")" as " EXCEPT SELECT campaign_id, dimension, " \
	"key, value FROM pledge_tallies)" as ")"

enum pledge_stmt {
	PLEDGE_FIND,
	PLEDGE_INSERT,
	PLEDGE_GET,
	PLEDGE_SET_STATUS,
	PLEDGE_DELETE,
	COUNTER_ADD,
	TALLY_ADD,
	TALLIES_GET,
	TIMELINE_GET,
	WALL,
	STAFF_PLEDGES,
	EXPORT_PLEDGES,
	RECOUNT_LOCK,
	RECOUNT_DRIFT,
	RECOUNT_TALLY_DIFF,
	RECOUNT_FIX_COUNTERS,
	RECOUNT_CLEAR_TALLIES,
	RECOUNT_FILL_TALLIES,
	PLEDGE__MAX
};

static const char *const sql[PLEDGE__MAX] = {
	[PLEDGE_FIND] = "SELECT id, status FROM pledges "
	    "WHERE campaign_id = ? AND email_key = ?",
	[PLEDGE_INSERT] = PLEDGE_INSERT_SQL,
	[PLEDGE_GET] = PLEDGE_GET_SQL,
	[PLEDGE_SET_STATUS] = "UPDATE pledges SET status = ?2, "
	    "confirmed_at = coalesce(confirmed_at, ?3), "
	    "moderated_at = CASE WHEN ?2 IN ('approved', 'rejected') "
	    "THEN ?4 ELSE moderated_at END WHERE id = ?1",
	[PLEDGE_DELETE] = "DELETE FROM pledges WHERE id = ?",
	[COUNTER_ADD] = "UPDATE campaign_counters SET count = count + ?2, "
	    "updated_at = ?3 WHERE campaign_id = ?1",
	[TALLY_ADD] = "INSERT INTO pledge_tallies (campaign_id, "
	    "dimension, key, value) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT DO UPDATE SET value = value + excluded.value",
	[TALLIES_GET] = "SELECT dimension, key, value FROM pledge_tallies "
	    "WHERE campaign_id = ? AND dimension != 'day' AND value != 0 "
	    "ORDER BY dimension, key",
	/* The primary key's range of one campaign's days, in order. */
	[TIMELINE_GET] = "SELECT key, value FROM pledge_tallies "
	    "WHERE campaign_id = ? AND dimension = 'day' AND value != 0 "
	    "ORDER BY key",
	[WALL] = WALL_SQL(""),
	[STAFF_PLEDGES] = STAFF_PLEDGES_SQL("", ""),
	[EXPORT_PLEDGES] = EXPORT_PLEDGES_SQL("", ""),
	/* SQLite: the one writer is this transaction's already. */
	[RECOUNT_LOCK] = "SELECT 1",
	[RECOUNT_DRIFT] = "SELECT c.slug, k.count, " COUNT_OF("c.id")
	    " FROM campaigns c JOIN campaign_counters k "
	    "ON k.campaign_id = c.id",
	[RECOUNT_TALLY_DIFF] = TALLY_DIFF_SQL("", DAY_OF_PLEDGE),
	[RECOUNT_FIX_COUNTERS] = "UPDATE campaign_counters SET count = "
	    COUNT_OF("campaign_counters.campaign_id") " WHERE count != "
	    COUNT_OF("campaign_counters.campaign_id"),
	[RECOUNT_CLEAR_TALLIES] = "DELETE FROM pledge_tallies",
	[RECOUNT_FILL_TALLIES] = "INSERT INTO pledge_tallies (campaign_id, "
	    "dimension, key, value) " EXPECTED_TALLIES(DAY_OF_PLEDGE),
};

/*
 * PostgreSQL's own texts (the parameters' types stated where only IS NULL
 * would name them) and what several nodes need: a confirmation or
 * moderation, which changes the counts from the status it read, holds the
 * pledge's row until it commits.
 */
static const char *const sql_pg[PLEDGE__MAX] = {
	/* pledges_status (campaign_id, ...) ties with the UNIQUE index. */
	[PLEDGE_FIND] = PG_PLAN_PER_RUN "SELECT id, status FROM pledges "
	    "WHERE campaign_id = ? AND email_key = ?",
	[PLEDGE_INSERT] = PLEDGE_INSERT_SQL " RETURNING id",
	[PLEDGE_GET] = PLEDGE_GET_SQL " FOR UPDATE",
	[TALLY_ADD] = "INSERT INTO pledge_tallies (campaign_id, "
	    "dimension, key, value) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT (campaign_id, dimension, key) DO UPDATE "
	    "SET value = pledge_tallies.value + excluded.value",
	[WALL] = WALL_SQL("::text"),
	[STAFF_PLEDGES] = STAFF_PLEDGES_SQL("::bigint", "::text"),
	[EXPORT_PLEDGES] = EXPORT_PLEDGES_SQL("::bigint", "::text"),
	/* Every counter's row, in the order a writer's batch takes them
	 * (writer.h), before anything is counted: a writer changes a count
	 * (pledge_count) holding its counter's row, then its tallies'.
	 * Without it, RECOUNT_FIX_COUNTERS waiting for a row that a writer
	 * changed would count with the pledges of before that writer's
	 * commit, and RECOUNT_FILL_TALLIES could meet a tally row that it
	 * inserted unseen by RECOUNT_CLEAR_TALLIES (a unique violation). */
	[RECOUNT_LOCK] = "SELECT count(*) FROM (SELECT campaign_id FROM "
	    "campaign_counters ORDER BY campaign_id FOR UPDATE) AS held",
	/* Every subquery in FROM has a name. */
	[RECOUNT_TALLY_DIFF] = TALLY_DIFF_SQL(" AS t", DAY_OF_PLEDGE_PG),
	/* to_char where SQLite has strftime. */
	[RECOUNT_FILL_TALLIES] = "INSERT INTO pledge_tallies (campaign_id, "
	    "dimension, key, value) " EXPECTED_TALLIES(DAY_OF_PLEDGE_PG),
};

const struct stmt_set store_pledges_set = { "pledges", sql, sql_pg,
	PLEDGE__MAX };

static struct stmt *
q(struct store *s, enum pledge_stmt id)
{
	return store_stmt(s, SET_PLEDGES, id);
}

bool
pledge_counted(const char *status)
{
	return strcmp(status, PLEDGE_CONFIRMED) == 0 ||
	    strcmp(status, PLEDGE_APPROVED) == 0;
}

/* Maps a status read from the database to our static string. */
static const char *
status_static(const char *s)
{
	static const char *const all[] = { PLEDGE_PENDING, PLEDGE_CONFIRMED,
		PLEDGE_APPROVED, PLEDGE_REJECTED };

	for (size_t i = 0; i < 4; i++)
		if (s != NULL && strcmp(s, all[i]) == 0)
			return all[i];
	return PLEDGE_PENDING;
}

/* Reads one row of PLEDGE_COLUMNS (strings from arena). */
static void
pledge_read(struct arena *arena, struct stmt *st, void *row)
{
	struct pledge *p = row;

	memset(p, 0, sizeof(*p));
	p->id = col_int64(st, 0);
	p->campaign_id = col_int64(st, 1);
	p->status = status_static(col_text_ref(st, 2));
	p->has_confirmed_at = !col_null(st, 3);
	p->confirmed_at = col_int64(st, 3);
	p->name = col_text(arena, st, 4);
	p->email = col_text(arena, st, 5);
	p->email_key = col_text(arena, st, 6);
	p->organisation = col_text(arena, st, 7);
	p->actor_type = col_text(arena, st, 8);
	p->country = col_text(arena, st, 9);
	p->city = col_text(arena, st, 10);
	p->commitment = col_text(arena, st, 11);
	p->category = col_text(arena, st, 12);
	p->has_quantity = !col_null(st, 13);
	p->quantity = col_int64(st, 13);
	p->unit = col_text(arena, st, 14);
	p->has_target_year = !col_null(st, 15);
	p->target_year = col_int64(st, 15);
	p->public_ = col_int(st, 16) != 0;
	p->language = col_text(arena, st, 17);
	p->created_at = col_int64(st, 18);
}

/* Calls fn for each pledge row of st (bound by the caller). */
static enum db_err
pledge_each(struct store *s, struct arena *arena, struct stmt *st,
    store_pledge_fn fn, void *arg, const char *what)
{
	struct pledge p;
	enum db_err   e = DB_OK;

	while (store_next(s, st, &e, what)) {
		pledge_read(arena, st, &p);
		if (fn(&p, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_pledge_find(struct store *s, int64_t campaign_id, const char *email_key,
    int64_t *id, const char **status)
{
	struct stmt  *st = q(s, PLEDGE_FIND);
	enum db_err   e;

	bind_int64(st, 1, campaign_id);
	bind_text(st, 2, email_key);
	if ((e = store_step_row(s, st, "pledge find")) != DB_OK)
		return e;
	*id = col_int64(st, 0);
	*status = status_static(col_text_ref(st, 1));
	store_row_done(st);
	return DB_OK;
}

/*
 * Adds delta to the counter and to each tally p contributes to; its day is
 * that of day_at (UTC), the time p counts from: its confirmation.
 */
static enum db_err
pledge_count(struct store *s, const struct pledge *p, int delta, int64_t now,
    int64_t day_at)
{
	char day[TIME_RFC3339_LEN];

	time_format(day_at, day);
	day[10] = '\0';	/* "YYYY-MM-DD" */
	const struct {
		const char *dimension;
		const char *key;
		int64_t	    value;
	} tallies[] = {
		{ "country", p->country, delta },
		{ "actor_type", p->actor_type, delta },
		{ "category", p->category, delta },
		{ "unit", p->has_quantity ? p->unit : NULL,
		    p->quantity * delta },
		{ "day", day, delta },
	};
	struct stmt  *st = q(s, COUNTER_ADD);
	enum db_err   e;

	bind_int64(st, 1, p->campaign_id);
	bind_int64(st, 2, delta);
	bind_int64(st, 3, now);
	if ((e = store_exec(s, st, "counter add")) != DB_OK)
		return e;
	for (size_t i = 0; i < sizeof(tallies) / sizeof(tallies[0]); i++) {
		if (tallies[i].key == NULL)
			continue;
		st = q(s, TALLY_ADD);
		bind_int64(st, 1, p->campaign_id);
		bind_text(st, 2, tallies[i].dimension);
		bind_text(st, 3, tallies[i].key);
		bind_int64(st, 4, tallies[i].value);
		if ((e = store_exec(s, st, "tally add")) != DB_OK)
			return e;
	}
	return DB_OK;
}

enum db_err
store_pledge_insert(struct store *s, struct pledge *p)
{
	struct stmt  *st = q(s, PLEDGE_INSERT);
	enum db_err   e;

	bind_int64(st, 1, p->campaign_id);
	bind_text(st, 2, p->status);
	bind_opt_int64(st, 3, p->has_confirmed_at, p->confirmed_at);
	bind_text(st, 4, p->name);
	bind_text(st, 5, p->email);
	bind_text(st, 6, p->email_key);
	bind_text(st, 7, p->organisation);
	bind_text(st, 8, p->actor_type);
	bind_text(st, 9, p->country);
	bind_text(st, 10, p->city);
	bind_text(st, 11, p->commitment);
	bind_text(st, 12, p->category);
	bind_opt_int64(st, 13, p->has_quantity, p->quantity);
	bind_text(st, 14, p->has_quantity ? p->unit : NULL);
	bind_opt_int64(st, 15, p->has_target_year, p->target_year);
	bind_int64(st, 16, p->public_);
	bind_text(st, 17, p->language);
	bind_int64(st, 18, p->created_at);
	/* No row: the campaign has this person's pledge (ON CONFLICT; with
	 * two nodes at once, the loser's insert waits for the winner's). */
	if ((e = store_insert_new(s, st, &p->id, "pledge insert")) != DB_OK)
		return e;
	if (pledge_counted(p->status))
		return pledge_count(s, p, 1, p->created_at, p->has_confirmed_at ?
		    p->confirmed_at : p->created_at);
	return DB_OK;
}

enum db_err
store_pledge_get(struct store *s, struct arena *arena, int64_t id,
    struct pledge *out)
{
	struct stmt *st = q(s, PLEDGE_GET);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, pledge_read, out, "pledge get");
}

enum db_err
store_pledge_set_status(struct store *s, const struct pledge *p,
    const char *status, int64_t now)
{
	struct stmt  *st = q(s, PLEDGE_SET_STATUS);
	bool	      was = pledge_counted(p->status), is = pledge_counted(status);
	enum db_err   e;

	bind_int64(st, 1, p->id);
	bind_text(st, 2, status);
	bind_opt_int64(st, 3, is, now);
	bind_int64(st, 4, now);
	if ((e = store_exec(s, st, "pledge status")) != DB_OK)
		return e;
	/* The day as PLEDGE_SET_STATUS leaves confirmed_at (DAY_OF_PLEDGE). */
	if (was != is)
		return pledge_count(s, p, is ? 1 : -1, now, p->has_confirmed_at ?
		    p->confirmed_at : is ? now : p->created_at);
	return DB_OK;
}

enum db_err
store_pledge_delete(struct store *s, const struct pledge *p, int64_t now)
{
	struct stmt  *st = q(s, PLEDGE_DELETE);
	enum db_err   e;

	bind_int64(st, 1, p->id);
	if ((e = store_exec_changed(s, st, "pledge delete")) != DB_OK)
		return e;
	if (pledge_counted(p->status))
		return pledge_count(s, p, -1, now, p->has_confirmed_at ?
		    p->confirmed_at : p->created_at);
	return DB_OK;
}

enum db_err
store_wall(struct store *s, struct arena *arena, const struct wall_query *w,
    store_pledge_fn fn, void *arg)
{
	struct stmt *st = q(s, WALL);

	bind_int64(st, 1, w->campaign_id);
	bind_int64(st, 2, w->approved_only);
	bind_text(st, 3, w->country);
	bind_text(st, 4, w->actor_type);
	bind_text(st, 5, w->category);
	bind_int64(st, 6, w->before_id);
	bind_int64(st, 7, w->limit);
	return pledge_each(s, arena, st, fn, arg, "wall");
}

enum db_err
store_admin_pledges(struct store *s, struct arena *arena,
    const struct admin_pledge_query *a, store_pledge_fn fn, void *arg)
{
	struct stmt *st = q(s, STAFF_PLEDGES);

	bind_opt_int64(st, 1, a->has_campaign, a->campaign_id);
	bind_text(st, 2, a->status);
	bind_int64(st, 3, a->before_id);
	bind_int64(st, 4, a->limit);
	return pledge_each(s, arena, st, fn, arg, "staff pledges");
}

enum db_err
store_export_pledges(struct store *s, const struct export_query *x,
    store_row_fn fn, void *arg)
{
	struct stmt *st = q(s, EXPORT_PLEDGES);

	bind_opt_int64(st, 1, x->has_campaign, x->campaign_id);
	bind_text(st, 2, x->status);
	bind_opt_int64(st, 3, x->has_from, x->from);
	bind_opt_int64(st, 4, x->has_to, x->to);
	return store_stream_rows(s, st, EXPORT_PLEDGE_COLUMNS, fn, arg,
	    "export pledges");
}

enum db_err
store_tallies(struct store *s, int64_t campaign_id, store_tally_fn fn,
    void *arg)
{
	struct stmt  *st = q(s, TALLIES_GET);
	enum db_err   e = DB_OK;

	bind_int64(st, 1, campaign_id);
	while (store_next(s, st, &e, "tallies"))
		fn(col_text_ref(st, 0),
		    col_text_ref(st, 1),
		    col_int64(st, 2), arg);
	return e;
}

enum db_err
store_timeline(struct store *s, int64_t campaign_id, store_day_fn fn,
    void *arg)
{
	struct stmt *st = q(s, TIMELINE_GET);
	enum db_err  e = DB_OK;

	bind_int64(st, 1, campaign_id);
	while (store_next(s, st, &e, "timeline"))
		fn(col_text_ref(st, 0), col_int64(st, 1), arg);
	return e;
}

enum db_err
store_recount(struct store *s, store_drift_fn fn, void *arg,
    int64_t *tally_rows)
{
	static const enum pledge_stmt fix[] = { RECOUNT_FIX_COUNTERS,
		RECOUNT_CLEAR_TALLIES, RECOUNT_FILL_TALLIES };
	struct stmt  *st = q(s, RECOUNT_DRIFT);
	enum db_err   e;

	*tally_rows = 0;
	if ((e = store_exec(s, q(s, RECOUNT_LOCK), "recount")) != DB_OK)
		return e;
	while (store_next(s, st, &e, "recount"))
		if (col_int64(st, 1) != col_int64(st, 2))
			fn(col_text_ref(st, 0),
			    col_int64(st, 1),
			    col_int64(st, 2), arg);
	if (e != DB_OK)
		return e;
	e = store_int64(s, q(s, RECOUNT_TALLY_DIFF), tally_rows, "recount");
	for (size_t i = 0; e == DB_OK && i < sizeof(fix) / sizeof(fix[0]); i++)
		e = store_exec(s, q(s, fix[i]), "recount");
	return e;
}
