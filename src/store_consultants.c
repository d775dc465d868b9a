/*
 * store_consultants.c: the consultant roster (see store_consultants.h):
 * requests waiting for their e-mail confirmation, the confirmed profiles
 * with their full-text index (SQLite's FTS5, kept in step by triggers,
 * see sql/sqlite/006; on PostgreSQL a GIN index on an unaccented
 * tsvector, sql/pg/006; the engine turns the search words into its query,
 * store_search_query), the CSV export, and one person's records (found
 * by email_key) for the privacy feature.
 */
#include <stdlib.h>
#include <string.h>

#include "store_consultants.h"
#include "store_impl.h"

/* A request reads like a consultant: its confirmed_at is the request's,
 * its updated_at its created_at. */
#define CONSULTANT_COLUMNS \
	"id, email, name, country, organisation, expertise, languages, " \
	"profile_url, bio, language, consent_at, created_at, confirmed_at, " \
	"updated_at "
#define CREQ_COLUMNS \
	"id, email, name, country, organisation, expertise, languages, " \
	"profile_url, bio, language, consent_at, created_at, confirmed_at, " \
	"created_at "
/* ?1 expertise, ?2 country, ?3 the engine's query of the search words
 * (NULL: any) */
#define CONSULTANT_FILTER \
	"(?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.expertise) " \
	"WHERE value = ?1)) AND (?2 IS NULL OR c.country = ?2) " \
	"AND (?3 IS NULL OR c.id IN (SELECT rowid FROM consultants_fts " \
	"WHERE consultants_fts MATCH ?3)) "

/* PostgreSQL's filter: the JSON array looked into as jsonb, the words
 * matched against the GIN-indexed expression of sql/pg/006 exactly as it
 * is indexed (consultants_tsquery makes ?3 a query of prefixes). */
#define CONSULTANT_FILTER_PG \
	"(?1::text IS NULL OR EXISTS (SELECT 1 FROM " \
	"jsonb_array_elements_text(c.expertise::jsonb) AS x(value) " \
	"WHERE x.value = ?1)) AND (?2::text IS NULL OR c.country = ?2) " \
	"AND (?3::text IS NULL OR consultants_tsvector(c.name, " \
	"c.organisation, c.bio) @@ consultants_tsquery(?3)) "
#define CREQ_PUT_SQL \
	"INTO consultant_requests (email, email_key, name, country, " \
	"organisation, expertise, languages, profile_url, bio, language, " \
	"consent_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
/* t: the cast that names ?2's type (PostgreSQL). */
#define CONSULTANT_UPSERT_SQL(t) \
	"INSERT INTO consultants (email, email_key, " \
	"name, country, organisation, expertise, languages, profile_url, " \
	"bio, language, consent_at, created_at, confirmed_at, updated_at) " \
	"SELECT email, email_key, name, country, organisation, expertise, " \
	"languages, profile_url, bio, language, consent_at, created_at, " \
	"?2" t ", ?2" t " FROM consultant_requests WHERE id = ?1 " \
	"ON CONFLICT (email) DO UPDATE SET name = excluded.name, " \
	"email_key = excluded.email_key, " \
	"country = excluded.country, organisation = excluded.organisation, " \
	"expertise = excluded.expertise, languages = excluded.languages, " \
	"profile_url = excluded.profile_url, bio = excluded.bio, " \
	"language = excluded.language, consent_at = excluded.consent_at, " \
	"confirmed_at = excluded.confirmed_at, " \
	"updated_at = excluded.updated_at"
#define CONSULTANT_LIST_SQL(filter) \
	"SELECT " CONSULTANT_COLUMNS "FROM consultants c WHERE " filter \
	"AND id < ?4 ORDER BY id DESC LIMIT ?5"

enum consultant_stmt {
	CREQ_PUT,
	CREQ_GET,
	CREQ_CONFIRMED,
	CREQ_OF_KEY,
	CREQ_ERASE,
	CREQ_PURGE,
	CONSULTANT_UPSERT,
	CONSULTANT_LIST,
	CONSULTANT_EXPORT,
	CONSULTANT_OF_KEY,
	CONSULTANT_KNOWN,
	CONSULTANT_ERASE,
	CONSULTANT_FTS_OPTIMIZE,
	CONSULTANT__MAX
};

static const char *const sql[CONSULTANT__MAX] = {
	/* A repeat replaces the address's request with a new row (new id),
	 * so only the latest link can confirm. */
	[CREQ_PUT] = "INSERT OR REPLACE " CREQ_PUT_SQL,
	[CREQ_GET] = "SELECT " CREQ_COLUMNS "FROM consultant_requests "
	    "WHERE id = ?",
	[CREQ_CONFIRMED] = "UPDATE consultant_requests "
	    "SET confirmed_at = ?2 WHERE id = ?1",
	[CREQ_OF_KEY] = "SELECT " CREQ_COLUMNS "FROM consultant_requests "
	    "WHERE email_key = ? ORDER BY id",
	[CREQ_ERASE] = "DELETE FROM consultant_requests WHERE email_key = ?",
	[CREQ_PURGE] = "DELETE FROM consultant_requests "
	    "WHERE created_at < ?",
	[CONSULTANT_UPSERT] = CONSULTANT_UPSERT_SQL(""),
	[CONSULTANT_LIST] = CONSULTANT_LIST_SQL(CONSULTANT_FILTER),
	[CONSULTANT_EXPORT] = "SELECT id, created_at, confirmed_at, name, "
	    "email, country, organisation, "
	    "(SELECT group_concat(value, ' ') FROM json_each(c.expertise)), "
	    "(SELECT group_concat(value, ' ') FROM json_each(c.languages)), "
	    "profile_url, bio FROM consultants c WHERE " CONSULTANT_FILTER
	    "ORDER BY id",
	[CONSULTANT_OF_KEY] = "SELECT " CONSULTANT_COLUMNS
	    "FROM consultants WHERE email_key = ? ORDER BY id",
	[CONSULTANT_KNOWN] = "SELECT EXISTS (SELECT 1 FROM consultants "
	    "WHERE email_key = ?1) OR EXISTS (SELECT 1 FROM consultant_requests "
	    "WHERE email_key = ?1)",
	[CONSULTANT_ERASE] = "DELETE FROM consultants WHERE email_key = ?",
	[CONSULTANT_FTS_OPTIMIZE] = "INSERT INTO consultants_fts "
	    "(consultants_fts) VALUES ('optimize')",
};

/*
 * PostgreSQL: INSERT OR REPLACE as an upsert that gives the row a new id
 * (and forgets its confirmation), as replacing it would; the filter of
 * CONSULTANT_FILTER_PG; the arrays' codes joined in their order; and no
 * FTS5 to merge: the index drops a deleted row's entries when the table
 * is vacuumed (autovacuum, or icommitctl vacuum).
 */
static const char *const sql_pg[CONSULTANT__MAX] = {
	[CREQ_PUT] = "INSERT " CREQ_PUT_SQL " ON CONFLICT (email) DO UPDATE "
	    "SET id = DEFAULT, email_key = excluded.email_key, "
	    "name = excluded.name, country = excluded.country, "
	    "organisation = excluded.organisation, "
	    "expertise = excluded.expertise, languages = excluded.languages, "
	    "profile_url = excluded.profile_url, bio = excluded.bio, "
	    "language = excluded.language, consent_at = excluded.consent_at, "
	    "created_at = excluded.created_at, confirmed_at = NULL "
	    "RETURNING id",
	[CONSULTANT_UPSERT] = CONSULTANT_UPSERT_SQL("::bigint"),
	[CONSULTANT_LIST] = CONSULTANT_LIST_SQL(CONSULTANT_FILTER_PG),
	[CONSULTANT_EXPORT] = "SELECT id, created_at, confirmed_at, name, "
	    "email, country, organisation, (SELECT string_agg(x.value, ' ' "
	    "ORDER BY x.n) FROM jsonb_array_elements_text(c.expertise::jsonb) "
	    "WITH ORDINALITY AS x(value, n)), (SELECT string_agg(x.value, ' ' "
	    "ORDER BY x.n) FROM jsonb_array_elements_text(c.languages::jsonb) "
	    "WITH ORDINALITY AS x(value, n)), profile_url, bio "
	    "FROM consultants c WHERE " CONSULTANT_FILTER_PG "ORDER BY id",
	[CONSULTANT_FTS_OPTIMIZE] = "SELECT 1",
};

const struct stmt_set store_consultants_set = { "consultants", sql, sql_pg,
	CONSULTANT__MAX };

static struct stmt *
q(struct store *s, enum consultant_stmt id)
{
	return store_stmt(s, SET_CONSULTANTS, id);
}

/* Reads CONSULTANT_COLUMNS or CREQ_COLUMNS (the same shape). */
static void
consultant_read(struct arena *arena, struct stmt *st, void *row)
{
	struct consultant *c = row;

	memset(c, 0, sizeof(*c));
	c->id = col_int64(st, 0);
	c->email = col_text(arena, st, 1);
	c->name = col_text(arena, st, 2);
	c->country = col_text(arena, st, 3);
	c->organisation = col_text(arena, st, 4);
	c->expertise = col_text(arena, st, 5);
	c->languages = col_text(arena, st, 6);
	c->profile_url = col_text(arena, st, 7);
	c->bio = col_text(arena, st, 8);
	c->language = col_text(arena, st, 9);
	c->consent_at = col_int64(st, 10);
	c->created_at = col_int64(st, 11);
	c->has_confirmed_at = !col_null(st, 12);
	c->confirmed_at = col_int64(st, 12);
	c->updated_at = col_int64(st, 13);
}

enum db_err
store_consultant_request_put(struct store *s, struct consultant *c)
{
	struct stmt *st = q(s, CREQ_PUT);

	bind_text(st, 1, c->email);
	bind_text(st, 2, c->email_key);
	bind_text(st, 3, c->name);
	bind_text(st, 4, c->country);
	bind_text(st, 5, c->organisation);
	bind_text(st, 6, c->expertise);
	bind_text(st, 7, c->languages);
	bind_text(st, 8, c->profile_url);
	bind_text(st, 9, c->bio);
	bind_text(st, 10, c->language);
	bind_int64(st, 11, c->consent_at);
	bind_int64(st, 12, c->created_at);
	return store_insert(s, st, &c->id, "consultant request");
}

enum db_err
store_consultant_request_get(struct store *s, struct arena *arena, int64_t id,
    struct consultant *out)
{
	struct stmt *st = q(s, CREQ_GET);

	bind_int64(st, 1, id);
	return store_one(s, st, arena, consultant_read, out, "consultant request get");
}

enum db_err
store_consultant_confirm(struct store *s, int64_t request_id, int64_t now)
{
	static const enum consultant_stmt steps[] = { CONSULTANT_UPSERT,
		CREQ_CONFIRMED };
	enum db_err e = DB_OK;

	for (size_t i = 0; e == DB_OK && i < 2; i++) {
		struct stmt *st = q(s, steps[i]);

		bind_int64(st, 1, request_id);
		bind_int64(st, 2, now);
		e = store_exec(s, st, "consultant confirm");
	}
	return e;
}

/* Binds CONSULTANT_FILTER's ?1..?3; returns the search query bound as ?3,
 * which the caller frees after the statement is done. */
static char *
consultant_filter_bind(struct store *s, struct stmt *st,
    const struct consultant_query *cq)
{
	char *match = store_search_query(s, cq->words);

	bind_text(st, 1, cq->expertise);
	bind_text(st, 2, cq->country);
	bind_text(st, 3, match);
	return match;
}

enum db_err
store_consultants(struct store *s, struct arena *arena,
    const struct consultant_query *cq, store_consultant_fn fn, void *arg)
{
	struct stmt	 *st = q(s, CONSULTANT_LIST);
	struct consultant c;
	enum db_err	  e = DB_OK;
	char		 *match = consultant_filter_bind(s, st, cq);

	bind_int64(st, 4, cq->before_id);
	bind_int64(st, 5, cq->limit);
	while (store_next(s, st, &e, "consultants")) {
		consultant_read(arena, st, &c);
		if (fn(&c, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	free(match);
	return e;
}

enum db_err
store_export_consultants(struct store *s, const struct consultant_query *cq,
    store_row_fn fn, void *arg)
{
	struct stmt *st = q(s, CONSULTANT_EXPORT);
	char	    *match = consultant_filter_bind(s, st, cq);
	enum db_err  e;

	e = store_stream_rows(s, st, EXPORT_CONSULTANT_COLUMNS, fn, arg,
	    "export consultants");
	free(match);
	return e;
}

enum db_err
store_consultants_of_key(struct store *s, struct arena *arena,
    const char *email_key, store_consultant_record_fn fn, void *arg)
{
	static const enum consultant_stmt ids[2] = { CONSULTANT_OF_KEY,
		CREQ_OF_KEY };
	struct consultant c;
	enum db_err	  e = DB_OK;

	for (int i = 0; e == DB_OK && i < 2; i++) {
		struct stmt *st = q(s, ids[i]);

		bind_text(st, 1, email_key);
		while (store_next(s, st, &e, "consultant of address")) {
			consultant_read(arena, st, &c);
			fn(&c, i == 1, arg);
		}
	}
	return e;
}

enum db_err
store_consultants_known(struct store *s, const char *email_key, bool *known)
{
	struct stmt *st = q(s, CONSULTANT_KNOWN);

	bind_text(st, 1, email_key);
	return store_bool(s, st, known, "consultants known");
}

enum db_err
store_consultants_erase(struct store *s, const char *email_key,
    int64_t *rows)
{
	static const enum consultant_stmt ids[2] = { CONSULTANT_ERASE,
		CREQ_ERASE };
	enum db_err e;
	bool	    roster = false;

	for (int i = 0; i < 2; i++) {
		struct stmt *st = q(s, ids[i]);

		bind_text(st, 1, email_key);
		if ((e = store_exec(s, st, "consultants erase")) != DB_OK)
			return e;
		*rows += store_changes(s);
		if (ids[i] == CONSULTANT_ERASE && store_changes(s) > 0)
			roster = true;
	}
	/* The trigger removed the row from the index, but FTS5 keeps the
	 * old entries until its segments are merged: merge them all now. */
	if (roster)
		return store_exec(s, q(s, CONSULTANT_FTS_OPTIMIZE),
		    "fts optimize");
	return DB_OK;
}

enum db_err
store_consultant_requests_purge(struct store *s, int64_t t, int64_t *rows)
{
	struct stmt  *st = q(s, CREQ_PURGE);
	enum db_err   e;

	bind_int64(st, 1, t);
	e = store_exec(s, st, "consultant requests purge");
	*rows = e == DB_OK ? store_changes(s) : 0;
	return e;
}
