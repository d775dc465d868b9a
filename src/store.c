/*
 * store.c: the SQLite implementation of store.h. Every statement is in the
 * table below, prepared once per connection and reset after use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"

enum stmt {
	STMT_HEALTH,
	STMT_CAMPAIGN_GET,
	STMT_CAMPAIGN_LIST,
	STMT_CAMPAIGN_ADD,
	STMT__MAX
};

#define CAMPAIGN_COLUMNS \
	"c.id, c.slug, c.title_es, c.title_en, c.title_pt, c.title_fr, " \
	"c.description_es, c.description_en, c.description_pt, " \
	"c.description_fr, c.goal, c.opens_at, c.closes_at, c.paused, " \
	"k.count, k.updated_at FROM campaigns c " \
	"JOIN campaign_counters k ON k.campaign_id = c.id "

static const char *const stmt_sql[STMT__MAX] = {
	[STMT_HEALTH] = "SELECT count(*) FROM schema_migrations",
	[STMT_CAMPAIGN_GET] = "SELECT " CAMPAIGN_COLUMNS "WHERE c.slug = ?",
	[STMT_CAMPAIGN_LIST] = "SELECT " CAMPAIGN_COLUMNS "ORDER BY c.slug",
	[STMT_CAMPAIGN_ADD] = "INSERT INTO campaigns (slug, title_es, "
	    "title_en, title_pt, title_fr, description_es, description_en, "
	    "description_pt, description_fr, goal, opens_at, closes_at, "
	    "paused, created_at, updated_at) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
};

struct store {
	sqlite3	     *db;
	sqlite3_stmt *stmt[STMT__MAX];
};

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

struct store *
store_open(const char *path, bool create, bool migrate, char *err,
    size_t errlen)
{
	struct store *s = calloc(1, sizeof(*s));
	int	      applied, version;

	if (s == NULL)
		log_fatal("out of memory");
	if (db_open(path, create ? DB_OPEN_CREATE : 0, &s->db, err, errlen) != 0)
		goto fail;
	if (migrate && db_migrate(s->db, &applied, err, errlen) != 0)
		goto fail;
	version = db_schema_version(s->db);
	if (version != db_schema_latest()) {
		snprintf(err, errlen, "%s: database schema is at version %d, "
		    "this program needs %d: run icommitctl init (or migrate)",
		    path, version, db_schema_latest());
		goto fail;
	}
	for (int i = 0; i < STMT__MAX; i++) {
		int rc = sqlite3_prepare_v3(s->db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &s->stmt[i], NULL);

		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: preparing statement %d: %s",
			    path, i, sqlite3_errmsg(s->db));
			goto fail;
		}
	}
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s);
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

/* Logs an unexpected SQLite failure and maps it; resets the statement. */
static enum db_err
store_fail(struct store *s, sqlite3_stmt *st, int rc, const char *what)
{
	enum db_err e = db_err_from_sqlite(rc);

	log_error("%s: %s (%d)", what, sqlite3_errmsg(s->db), rc);
	sqlite3_reset(st);
	return e;
}

enum db_err
store_health(struct store *s)
{
	sqlite3_stmt *st = s->stmt[STMT_HEALTH];
	int	      rc = sqlite3_step(st);

	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "health");
	sqlite3_reset(st);
	return DB_OK;
}

static const char *
col_text(struct arena *arena, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	if (t == NULL)
		return NULL;
	return arena_strndup(arena, (const char *)t,
	    (size_t)sqlite3_column_bytes(st, col));
}

/* Reads one row of CAMPAIGN_COLUMNS. */
static void
campaign_read(struct arena *arena, sqlite3_stmt *st, struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->slug = col_text(arena, st, 1);
	for (int l = 0; l < LANG__MAX; l++) {
		c->title[l] = col_text(arena, st, 2 + l);
		c->description[l] = col_text(arena, st, 6 + l);
	}
	c->has_goal = sqlite3_column_type(st, 10) != SQLITE_NULL;
	c->goal = sqlite3_column_int64(st, 10);
	c->has_opens_at = sqlite3_column_type(st, 11) != SQLITE_NULL;
	c->opens_at = sqlite3_column_int64(st, 11);
	c->has_closes_at = sqlite3_column_type(st, 12) != SQLITE_NULL;
	c->closes_at = sqlite3_column_int64(st, 12);
	c->paused = sqlite3_column_int(st, 13) != 0;
	c->count = sqlite3_column_int64(st, 14);
	c->count_updated_at = sqlite3_column_int64(st, 15);
}

enum db_err
store_campaign_get(struct store *s, struct arena *arena, const char *slug,
    struct campaign *out)
{
	sqlite3_stmt *st = s->stmt[STMT_CAMPAIGN_GET];
	int	      rc;

	sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return DB_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, st, rc, "campaign get");
	campaign_read(arena, st, out);
	sqlite3_reset(st);
	return DB_OK;
}

enum db_err
store_campaign_list(struct store *s, struct arena *arena,
    store_campaign_fn fn, void *arg)
{
	sqlite3_stmt   *st = s->stmt[STMT_CAMPAIGN_LIST];
	struct campaign c;
	int		rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		campaign_read(arena, st, &c);
		if (fn(&c, arg) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, st, rc, "campaign list");
	sqlite3_reset(st);
	return DB_OK;
}

static void
bind_opt_int64(sqlite3_stmt *st, int i, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

enum db_err
store_campaign_add(struct store *s, struct campaign *c)
{
	sqlite3_stmt *st = s->stmt[STMT_CAMPAIGN_ADD];
	int64_t	      now = now_unix();
	int	      rc;

	sqlite3_bind_text(st, 1, c->slug, -1, SQLITE_STATIC);
	for (int l = 0; l < LANG__MAX; l++) {
		sqlite3_bind_text(st, 2 + l, c->title[l], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6 + l, c->description[l] ?
		    c->description[l] : "", -1, SQLITE_STATIC);
	}
	bind_opt_int64(st, 10, c->has_goal, c->goal);
	bind_opt_int64(st, 11, c->has_opens_at, c->opens_at);
	bind_opt_int64(st, 12, c->has_closes_at, c->closes_at);
	sqlite3_bind_int(st, 13, c->paused);
	sqlite3_bind_int64(st, 14, now);
	sqlite3_bind_int64(st, 15, now);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		enum db_err e = store_fail(s, st, rc, "campaign add");

		sqlite3_clear_bindings(st);
		return e;
	}
	c->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return DB_OK;
}
