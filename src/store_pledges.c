/*
 * store_pledges.c: pledges, the counter and the tallies in SQLite (see
 * store.h). The counter and the tallies change only in
 * store_pledge_set_status and store_pledge_insert, in the caller's
 * transaction, so they always agree with the pledges.
 */
#include <string.h>

#include "log.h"
#include "store_impl.h"

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

enum db_err
store_pledge_find(struct store *s, int64_t campaign_id, const char *email_key,
    int64_t *id, const char **status)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PLEDGE_FIND);
	int	      rc;

	sqlite3_bind_int64(st, 1, campaign_id);
	sqlite3_bind_text(st, 2, email_key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "pledge find");
	*id = sqlite3_column_int64(st, 0);
	*status = status_static((const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return DB_OK;
}

/* Adds delta to the counter and to each tally p contributes to. */
static enum db_err
pledge_count(struct store *s, const struct pledge *p, int delta, int64_t now)
{
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
	};
	sqlite3_stmt *st = store_stmt(s, STMT_COUNTER_ADD);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, p->campaign_id);
	sqlite3_bind_int(st, 2, delta);
	sqlite3_bind_int64(st, 3, now);
	if ((e = store_exec(s, STMT_COUNTER_ADD, "counter add")) != DB_OK)
		return e;
	for (size_t i = 0; i < sizeof(tallies) / sizeof(tallies[0]); i++) {
		if (tallies[i].key == NULL)
			continue;
		st = store_stmt(s, STMT_TALLY_ADD);
		sqlite3_bind_int64(st, 1, p->campaign_id);
		sqlite3_bind_text(st, 2, tallies[i].dimension, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, tallies[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, tallies[i].value);
		if ((e = store_exec(s, STMT_TALLY_ADD, "tally add")) != DB_OK)
			return e;
	}
	return DB_OK;
}

enum db_err
store_pledge_insert(struct store *s, struct pledge *p)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PLEDGE_INSERT);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, p->campaign_id);
	sqlite3_bind_text(st, 2, p->status, -1, SQLITE_STATIC);
	bind_opt_int64(st, 3, p->has_confirmed_at, p->confirmed_at);
	sqlite3_bind_text(st, 4, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, p->email_key, -1, SQLITE_STATIC);
	bind_opt_text(st, 7, p->organisation);
	sqlite3_bind_text(st, 8, p->actor_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, p->country, -1, SQLITE_STATIC);
	bind_opt_text(st, 10, p->city);
	sqlite3_bind_text(st, 11, p->commitment, -1, SQLITE_STATIC);
	bind_opt_text(st, 12, p->category);
	bind_opt_int64(st, 13, p->has_quantity, p->quantity);
	bind_opt_text(st, 14, p->has_quantity ? p->unit : NULL);
	bind_opt_int64(st, 15, p->has_target_year, p->target_year);
	sqlite3_bind_int(st, 16, p->public_);
	sqlite3_bind_text(st, 17, p->language, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 18, p->created_at);
	sqlite3_bind_int64(st, 19, p->created_at);
	if ((e = store_exec(s, STMT_PLEDGE_INSERT, "pledge insert")) != DB_OK)
		return e;
	p->id = sqlite3_last_insert_rowid(s->db);
	if (pledge_counted(p->status))
		return pledge_count(s, p, 1, p->created_at);
	return DB_OK;
}

void
store_pledge_read(struct arena *arena, sqlite3_stmt *st, struct pledge *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->campaign_id = sqlite3_column_int64(st, 1);
	p->status = status_static((const char *)sqlite3_column_text(st, 2));
	p->has_confirmed_at = sqlite3_column_type(st, 3) != SQLITE_NULL;
	p->confirmed_at = sqlite3_column_int64(st, 3);
	p->name = col_text(arena, st, 4);
	p->email = col_text(arena, st, 5);
	p->email_key = col_text(arena, st, 6);
	p->organisation = col_text(arena, st, 7);
	p->actor_type = col_text(arena, st, 8);
	p->country = col_text(arena, st, 9);
	p->city = col_text(arena, st, 10);
	p->commitment = col_text(arena, st, 11);
	p->category = col_text(arena, st, 12);
	p->has_quantity = sqlite3_column_type(st, 13) != SQLITE_NULL;
	p->quantity = sqlite3_column_int64(st, 13);
	p->unit = col_text(arena, st, 14);
	p->has_target_year = sqlite3_column_type(st, 15) != SQLITE_NULL;
	p->target_year = sqlite3_column_int64(st, 15);
	p->public_ = sqlite3_column_int(st, 16) != 0;
	p->language = col_text(arena, st, 17);
	p->created_at = sqlite3_column_int64(st, 18);
}

enum db_err
store_pledge_get(struct store *s, struct arena *arena, int64_t id,
    struct pledge *out)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PLEDGE_GET);
	int	      rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "pledge get");
	store_pledge_read(arena, st, out);
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_pledge_set_status(struct store *s, const struct pledge *p,
    const char *status, int64_t now)
{
	sqlite3_stmt *st = store_stmt(s, STMT_PLEDGE_SET_STATUS);
	bool	      was = pledge_counted(p->status), is = pledge_counted(status);
	enum db_err   e;

	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	if (is)
		sqlite3_bind_int64(st, 3, now);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, now);
	if ((e = store_exec(s, STMT_PLEDGE_SET_STATUS, "pledge status")) != DB_OK)
		return e;
	if (was != is)
		return pledge_count(s, p, is ? 1 : -1, now);
	return DB_OK;
}

enum db_err
store_wall(struct store *s, struct arena *arena, const struct wall_query *q,
    store_pledge_fn fn, void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_WALL);
	struct pledge p;
	int	      rc;

	sqlite3_bind_int64(st, 1, q->campaign_id);
	sqlite3_bind_int(st, 2, q->approved_only);
	bind_opt_text(st, 3, q->country);
	bind_opt_text(st, 4, q->actor_type);
	bind_opt_text(st, 5, q->category);
	sqlite3_bind_int64(st, 6, q->before_id);
	sqlite3_bind_int(st, 7, q->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_pledge_read(arena, st, &p);
		if (fn(&p, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, "wall");

		sqlite3_clear_bindings(st);
		return e;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return DB_OK;
}

enum db_err
store_tallies(struct store *s, int64_t campaign_id, store_tally_fn fn,
    void *arg)
{
	sqlite3_stmt *st = store_stmt(s, STMT_TALLIES_GET);
	int	      rc;

	sqlite3_bind_int64(st, 1, campaign_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    sqlite3_column_int64(st, 2), arg);
	if (rc != SQLITE_DONE)
		return store_fail(s, st, rc, "tallies");
	sqlite3_reset(st);
	return DB_OK;
}

/* The counted pledges' tallies, as pledge_count would have built them. */
#define EXPECTED_TALLIES \
	"SELECT campaign_id, 'country' AS dimension, country AS key, " \
	"count(*) AS value FROM pledges WHERE " COUNTED " GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'actor_type', actor_type, count(*) " \
	"FROM pledges WHERE " COUNTED " GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'category', category, count(*) " \
	"FROM pledges WHERE " COUNTED " AND category IS NOT NULL GROUP BY 1, 3 " \
	"UNION ALL SELECT campaign_id, 'unit', unit, sum(quantity) " \
	"FROM pledges WHERE " COUNTED " AND quantity IS NOT NULL " \
	"GROUP BY 1, 3"
#define COUNTED "status IN ('confirmed', 'approved')"

enum db_err
store_recount(struct store *s, store_drift_fn fn, void *arg,
    int64_t *tally_rows)
{
	static const char drift_sql[] =
	    "SELECT c.slug, k.count, (SELECT count(*) FROM pledges p "
	    "WHERE p.campaign_id = c.id AND p." COUNTED ") "
	    "FROM campaigns c JOIN campaign_counters k ON k.campaign_id = c.id";
	static const char tally_diff_sql[] =
	    "SELECT (SELECT count(*) FROM (SELECT campaign_id, dimension, key, "
	    "value FROM pledge_tallies WHERE value != 0 EXCEPT SELECT * FROM ("
	    EXPECTED_TALLIES "))) + (SELECT count(*) FROM (SELECT * FROM ("
	    EXPECTED_TALLIES ") EXCEPT SELECT campaign_id, dimension, key, value "
	    "FROM pledge_tallies))";
	static const char fix_sql[] =
	    "UPDATE campaign_counters SET count = (SELECT count(*) FROM "
	    "pledges p WHERE p.campaign_id = campaign_counters.campaign_id "
	    "AND p." COUNTED ") WHERE count != (SELECT count(*) FROM pledges p "
	    "WHERE p.campaign_id = campaign_counters.campaign_id AND p."
	    COUNTED ");"
	    "DELETE FROM pledge_tallies;"
	    "INSERT INTO pledge_tallies (campaign_id, dimension, key, value) "
	    EXPECTED_TALLIES ";";
	sqlite3_stmt *st = NULL;
	int	      rc;

	*tally_rows = 0;
	if ((rc = db_begin(s->db)) != SQLITE_OK)
		goto fail;
	rc = sqlite3_prepare_v2(s->db, drift_sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		if (sqlite3_column_int64(st, 1) != sqlite3_column_int64(st, 2))
			fn((const char *)sqlite3_column_text(st, 0),
			    sqlite3_column_int64(st, 1),
			    sqlite3_column_int64(st, 2), arg);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		goto fail;
	rc = sqlite3_prepare_v2(s->db, tally_diff_sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*tally_rows = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_exec(s->db, fix_sql, NULL, NULL, NULL)) != SQLITE_OK)
		goto fail;
	if ((rc = db_commit(s->db)) != SQLITE_OK)
		goto fail;
	return DB_OK;
fail:
	log_error("recount: %s", sqlite3_errmsg(s->db));
	db_rollback(s->db);
	return db_err_from_sqlite(rc);
}
