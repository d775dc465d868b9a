/*
 * test_consultants.c: the personal-data hooks of consultants.h (and
 * comments.h's export of a person's comments) on a real
 * database (a temporary file, all migrations): who is known, the export of
 * every record, the erasure (no word of the person left in the FTS5
 * index's stored segments, others untouched), the purge of old requests,
 * and confirming a request (new profile, then an update of the same row);
 * and that migration 008 gives stored comments and consultants the
 * identity key of email_normalise; and staff's search words (passed plain
 * to the store, which makes its engine's query of them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "comments.h"
#include "consultants.h"
#include "db_sqlite.h"
#include "store.h"
#include "store_comments.h"
#include "store_consultants.h"
#include "validate.h"

/* One number from a query on a connection of its own to the SQLite
 * database db (what the store committed). */
static long long
scalar(const char *db, const char *sql)
{
	sqlite3	     *raw = NULL;
	sqlite3_stmt *st = NULL;
	long long     v = -1;

	if (sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_prepare_v2(raw, sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(raw));
		v = -2;
		goto out;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
out:
	sqlite3_finalize(st);
	sqlite3_close(raw);
	return v;
}

/* Removes the database file db and its WAL and shared-memory files. */
static void
remove_db(const char *db)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char			 f[96];

	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s%s", db, suffixes[i]);
		unlink(f);
	}
}

/* A database at schema 7 with comments and roster rows (addresses as
 * stored: lower-cased, with +tags), then migrated by store_open: every row
 * has the key email_normalise gives. */
static void
check_migration_008(const char *db)
{
	static const char *const rows =
	    "INSERT INTO comments (topic, email, message, created_at) VALUES "
	    "('press', 'ana+press@example.org', 'x', 1), "
	    "('press', 'b.e.a@example.org', 'x', 1), "
	    "('press', NULL, 'x', 1);"
	    "INSERT INTO consultants (email, name, expertise, bio, consent_at, "
	    "created_at, confirmed_at, updated_at) VALUES "
	    "('cleo+roster+x@sub.example.org', 'C', '[]', 'b', 1, 1, 1, 1);"
	    "INSERT INTO consultant_requests (email, name, expertise, bio, "
	    "consent_at, created_at) VALUES ('dan+@example.org', 'D', '[]', "
	    "'b', 1, 1);";
	static const char *const expect[][2] = {
		{ "ana+press@example.org", "ana@example.org" },
		{ "b.e.a@example.org", "b.e.a@example.org" },
		{ "cleo+roster+x@sub.example.org", "cleo@sub.example.org" },
		{ "dan+@example.org", "dan@example.org" },
	};
	struct arena  arena = { 0 };
	struct store *s;
	sqlite3	     *raw;
	char	      err[256], sql[512];

	check_context("migration 008: stored addresses get the one key");
	CHECK_INT(sqlite3_open(db, &raw), SQLITE_OK);
	for (int i = 0; i < db_sqlite_migrations_count &&
	    db_sqlite_migrations[i].version <= 7; i++)
		CHECK_INT(sqlite3_exec(raw, db_sqlite_migrations[i].sql, NULL,
		    NULL, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_exec(raw, "PRAGMA user_version = 7", NULL, NULL,
	    NULL), SQLITE_OK);
	CHECK_INT(sqlite3_exec(raw, rows, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	s = store_open(db, false, true, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		CHECK_STR(email_normalise(&arena, expect[i][0]), expect[i][1]);
		snprintf(sql, sizeof(sql), "SELECT (SELECT count(*) FROM comments "
		    "WHERE email = '%s' AND email_key = '%s') + (SELECT count(*) "
		    "FROM consultants WHERE email = '%s' AND email_key = '%s') + "
		    "(SELECT count(*) FROM consultant_requests WHERE email = '%s' "
		    "AND email_key = '%s')", expect[i][0], expect[i][1],
		    expect[i][0], expect[i][1], expect[i][0], expect[i][1]);
		CHECK_INT(scalar(db, sql), 1);
	}
	CHECK_INT(scalar(db, "SELECT count(*) FROM comments WHERE email IS NULL "
	    "AND email_key IS NULL"), 1);
	store_close(s);
	arena_free(&arena);
}

/* Appends a found consultant's name to the buffer arg (", " between). */
static int
name_add(const struct consultant *c, void *arg)
{
	char  *names = arg;
	size_t o = strlen(names);

	snprintf(names + o, 256 - o, "%s%s", o > 0 ? ", " : "", c->name);
	return 0;
}

/*
 * Staff's search words, passed plain to the store, which makes the
 * engine's query: prefixes match, accents and case are folded, words are
 * ANDed (at most 16 count), and operators, quotes and stars in the input
 * are only words. On a database of its own (db).
 */
static void
check_search(const char *db)
{
	static const struct {
		const char *words;
		const char *found;	/* names, newest first */
	} cases[] = {
		{ NULL, "Paulo Santos, Mariana Gestión" },
		{ " \t ", "Paulo Santos, Mariana Gestión" },
		{ "gestion", "Mariana Gestión" },
		{ "GESTAO", "Paulo Santos" },
		{ "gest", "Paulo Santos, Mariana Gestión" },
		{ "energ", "Paulo Santos, Mariana Gestión" },
		{ "gestión demanda", "Mariana Gestión" },
		{ "gestion frotas", "" },
		{ "onibus", "Paulo Santos" },
		{ "limpas", "Paulo Santos" },
		{ "mariana OR paulo", "" },
		{ "\"limpas\" AND", "" },
		{ "paulo NOT", "" },
		{ "\"mariana\"", "Mariana Gestión" },
		{ "mari*", "Mariana Gestión" },
		{ "\"", "" },
		{ "*", "" },
		{ "NEAR(mariana paulo)", "" },
		{ "-mariana", "Mariana Gestión" },	/* no NOT */
		{ "name:paulo", "" },			/* no column */
		{ "^santos", "Paulo Santos" },		/* no anchor */
		{ "mariana mariana mariana mariana mariana mariana mariana "
		    "mariana mariana mariana mariana mariana mariana mariana "
		    "mariana mariana nothing", "Mariana Gestión" },
	};
	struct consultant c[] = {
		{ .email = "mariana@example.org", .name = "Mariana Gestión",
		  .organisation = "Red Eléctrica", .bio = "Experta en gestión "
		  "de la demanda energética y de redes." },
		{ .email = "paulo@example.org", .name = "Paulo Santos",
		  .organisation = "Energias Limpas", .bio = "Gestão de frotas "
		  "elétricas, ônibus e carregadores." },
	};
	struct arena  arena = { 0 };
	struct store *s;
	char	      err[256], names[256];

	check_context("search: a database of two profiles");
	s = store_open(db, true, true, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL)
		return;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		c[i].email_key = c[i].email;
		c[i].expertise = "[\"grid\"]";
		c[i].languages = "[\"es\"]";
		c[i].language = "es";
		c[i].consent_at = c[i].created_at = 1000;
		CHECK_INT(store_consultant_request_put(s, &c[i]), DB_OK);
		CHECK_INT(store_consultant_confirm(s, c[i].id, 2000), DB_OK);
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct consultant_query q = { .words = cases[i].words,
			.before_id = INT64_MAX, .limit = 10 };

		check_context("search: \"%s\"", cases[i].words ?
		    cases[i].words : "(none)");
		names[0] = '\0';
		CHECK_INT(store_consultants(s, &arena, &q, name_add, names),
		    DB_OK);
		CHECK_STR(names, cases[i].found);
	}
	store_close(s);
	arena_free(&arena);
}

/* Stores and confirms a profile for email; returns the request id. */
static int64_t
register_confirmed(struct store *s, const char *email, const char *name,
    const char *bio, bool confirm)
{
	struct consultant c = { .email = email, .name = name, .bio = bio,
		.email_key = email,
		.expertise = "[\"grid\"]", .languages = "[\"es\"]",
		.language = "es", .country = "CL", .consent_at = 1000,
		.created_at = 1000 };

	CHECK_INT(store_consultant_request_put(s, &c), DB_OK);
	if (confirm)
		CHECK_INT(store_consultant_confirm(s, c.id, 2000), DB_OK);
	return c.id;
}

int
main(void)
{
	char	      path[] = "/tmp/icommit-test-consultants-XXXXXX", err[256];
	char	      db[80];
	struct store *s;
	struct arena  arena = { 0 };
	json_t	     *out;
	bool	      known;
	int64_t	      n;
	int	      fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);
	unlink(path);
	snprintf(db, sizeof(db), "%s-008", path);
	check_migration_008(db);
	remove_db(db);
	snprintf(db, sizeof(db), "%s-search", path);
	check_search(db);
	remove_db(db);
	snprintf(db, sizeof(db), "%s", path);
	s = store_open(db, true, true, err, sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		return 1;
	}

	check_context("a comment and a confirmed profile of one address");
	struct comment cm = { .topic = "press", .name = "Ana",
		.email = "ana+press@example.org", .email_key = "ana@example.org",
		.message = "Una pregunta de prensa.",
		.language = "es", .has_consent_at = true, .consent_at = 1000,
		.created_at = 1000 };
	CHECK_INT(store_comment_insert(s, &cm), DB_OK);
	register_confirmed(s, "ana@example.org", "Ana Zyxquux",
	    "Experta en redes zyxquux y gestión de la demanda.", true);
	register_confirmed(s, "bea@example.org", "Bea Otra",
	    "Experta en gestion de flotas eléctricas.", true);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants"), 2);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants_fts WHERE "
	    "consultants_fts MATCH '\"gestión\"'"), 2);

	check_context("a repeat is pending until confirmed, then updates the row");
	int64_t req = register_confirmed(s, "ana@example.org", "Ana Nueva",
	    "Ahora también almacenamiento en baterías zyxquux.", false);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants WHERE name = "
	    "'Ana Zyxquux'"), 1);
	CHECK_INT(store_consultant_confirm(s, req, 3000), DB_OK);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants"), 2);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants WHERE name = "
	    "'Ana Nueva' AND created_at = 1000 AND confirmed_at = 3000"), 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants_fts WHERE "
	    "consultants_fts MATCH 'almacenamiento'"), 1);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants_fts WHERE "
	    "consultants_fts MATCH 'demanda'"), 0);

	check_context("known");
	CHECK_INT(store_comments_known(s, "ana@example.org", &known), DB_OK);
	CHECK(known);
	CHECK_INT(store_consultants_known(s, "ana@example.org", &known), DB_OK);
	CHECK(known);
	CHECK_INT(store_comments_known(s, "bea@example.org", &known), DB_OK);
	CHECK(!known);
	CHECK_INT(store_consultants_known(s, "nobody@example.org", &known),
	    DB_OK);
	CHECK(!known);

	check_context("export");
	out = json_object();
	CHECK_INT(comments_privacy_export(s, &arena, "ana@example.org", out),
	    DB_OK);
	CHECK_INT(consultants_privacy_export(s, &arena, "ana@example.org", out),
	    DB_OK);
	json_t *comments = json_object_get(out, "comments");
	json_t *roster = json_object_get(out, "consultants");
	CHECK_INT((long long)json_array_size(comments), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(comments, 0),
	    "message")), "Una pregunta de prensa.");
	CHECK_INT((long long)json_array_size(roster), 2);
	json_t *profile = json_array_get(roster, 0);
	CHECK_STR(json_string_value(json_object_get(profile, "name")),
	    "Ana Nueva");
	CHECK_STR(json_string_value(json_object_get(profile, "status")),
	    "confirmed");
	CHECK_STR(json_string_value(json_array_get(json_object_get(profile,
	    "expertise"), 0)), "grid");
	CHECK(json_is_string(json_object_get(profile, "confirmed_at")));
	CHECK(json_is_string(json_object_get(profile, "created_at")));
	json_decref(out);

	check_context("erase: rows gone, no word left in the index's segments");
	CHECK(scalar(db, "SELECT count(*) FROM consultants_fts_data WHERE "
	    "instr(block, CAST('zyxquux' AS BLOB)) > 0") > 0);
	n = 0;
	CHECK_INT(store_comments_erase(s, "ana@example.org", &n), DB_OK);
	CHECK_INT(store_consultants_erase(s, "ana@example.org", &n), DB_OK);
	CHECK_INT(n, 3);	/* a comment, a profile, a request */
	CHECK_INT(store_consultants_known(s, "ana@example.org", &known), DB_OK);
	CHECK(!known);
	CHECK_INT(store_comments_known(s, "ana@example.org", &known), DB_OK);
	CHECK(!known);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants_fts_data WHERE "
	    "instr(block, CAST('zyxquux' AS BLOB)) > 0"), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants_fts_content WHERE "
	    "c0 LIKE '%Ana%'"), 0);
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants_fts WHERE "
	    "consultants_fts MATCH 'gestion'"), 1);	/* Bea stays */
	n = 0;
	CHECK_INT(store_consultants_erase(s, "ana@example.org", &n), DB_OK);
	CHECK_INT(n, 0);

	check_context("purge");
	register_confirmed(s, "cleo@example.org", "Cleo", "Unconfirmed bio "
	    "long enough to be stored in the request table.", false);
	CHECK_INT(consultants_purge_unconfirmed(s, 999, &n), DB_OK);
	CHECK_INT(n, 0);
	CHECK_INT(consultants_purge_unconfirmed(s, 1001, &n), DB_OK);
	CHECK_INT(n, 2);	/* Cleo's, and the copy of Bea's confirmed one */
	CHECK_INT(scalar(db, "SELECT count(*) FROM consultants"), 1);

	arena_free(&arena);
	store_close(s);
	remove_db(db);
	return check_done();
}
