/*
 * test_migrations.c: SQLite migrations that rebuild a table, on a real
 * database brought to the version before them and filled with rows:
 * 015_status_checks keeps every row, id, column, index and constraint of
 * pledges and registrations, and the statements the writer runs for a
 * pledge and a registration build no temporary B-tree (an "IN (three or
 * more values)" CHECK or a RETURNING clause would).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db_sqlite.h"
#include "store.h"

#define BEFORE_015 14

/* Runs sql on db; true when it succeeded. */
static bool
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int   rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fprintf(stderr, "  %s: %s\n", sql, msg ? msg : "?");
	sqlite3_free(msg);
	return rc == SQLITE_OK;
}

/* Runs sql on db, which must refuse it (a constraint); true if it did. */
static bool
exec_refused(sqlite3 *db, const char *sql)
{
	return (sqlite3_exec(db, sql, NULL, NULL, NULL) & 0xff) ==
	    SQLITE_CONSTRAINT;
}

/* The first column of the first row of sql as text (into buf), or "". */
static const char *
scalar(sqlite3 *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *st = NULL;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st,
		    0));
	sqlite3_finalize(st);
	return buf;
}

/* How many OpenEphemeral instructions the program of sql has; -1 when it
 * does not prepare. */
static int
ephemeral_opens(sqlite3 *db, const char *sql)
{
	char	      explain[2048];
	sqlite3_stmt *st = NULL;
	int	      n = 0;

	snprintf(explain, sizeof(explain), "EXPLAIN %s", sql);
	if (sqlite3_prepare_v2(db, explain, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, sqlite3_errmsg(db));
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW)
		if (strcmp((const char *)sqlite3_column_text(st, 1),
		    "OpenEphemeral") == 0)
			n++;
	sqlite3_finalize(st);
	return n;
}

/* Every row of both tables, in id order, as one text. */
#define ROWS_SQL \
	"SELECT group_concat(r, '|') FROM (SELECT json_array(id, " \
	"campaign_id, status, confirmed_at, name, email, email_key, " \
	"organisation, actor_type, country, city, commitment, category, " \
	"quantity, unit, target_year, public, language, consent_at, " \
	"created_at, moderated_at, erased_at, demo) AS r FROM pledges " \
	"UNION ALL SELECT json_array(id, event_id, status, waitlist_seq, " \
	"name, email, email_key, organisation, country, role, language, " \
	"consent_at, created_at, cancelled_at, checked_in_at, erased_at) " \
	"FROM registrations)"
#define INDEXES_SQL \
	"SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema " \
	"WHERE type = 'index' AND tbl_name IN ('pledges', 'registrations') " \
	"ORDER BY name)"

/* The statements of the writer's pledge and registration jobs that
 * write those tables, as the store prepares them on SQLite. */
static const char *const hot[] = {
	"INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, "
	"email_key, organisation, actor_type, country, city, commitment, "
	"category, quantity, unit, target_year, public, language, "
	"consent_at, created_at) VALUES (1, 'pending_confirmation', NULL, "
	"'n', 'e', 'k', NULL, 'company', 'CL', NULL, 'cccccccccc', NULL, "
	"NULL, NULL, NULL, 1, 'es', 1, 1) ON CONFLICT (campaign_id, "
	"email_key) DO NOTHING",
	"INSERT INTO registrations (event_id, status, waitlist_seq, name, "
	"email, email_key, organisation, country, role, language, "
	"consent_at, created_at) VALUES (1, 'registered', NULL, 'n', 'e', "
	"'k2', NULL, NULL, NULL, 'es', 1, 1)",
	"UPDATE pledges SET status = 'confirmed' WHERE id = 1",
	"UPDATE registrations SET status = 'cancelled' WHERE id = 1",
};

int
main(void)
{
	char	 dir[] = "/tmp/icommit-test-migrations-XXXXXX";
	char	 path[128], err[256], before[4096], after[4096], buf[512];
	char	 idx_before[512], idx_after[512];
	sqlite3 *db = NULL;
	struct store *s;
	int	 applied = 0;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/icommit.db", dir);

	check_context("a database at version %d, with rows", BEFORE_015);
	CHECK_INT(db_sqlite_open(path, DB_SQLITE_CREATE, &db, err,
	    sizeof(err)), 0);
	if (db == NULL)
		return check_done();
	for (int i = 0; i < db_sqlite_migrations_count; i++)
		if (db_sqlite_migrations[i].version <= BEFORE_015)
			CHECK(exec_ok(db, db_sqlite_migrations[i].sql));
	snprintf(buf, sizeof(buf), "PRAGMA user_version = %d", BEFORE_015);
	CHECK(exec_ok(db, buf));
	CHECK(exec_ok(db,
	    "INSERT INTO campaigns (slug, title_es, title_en, title_pt, "
	    "title_fr, created_at, updated_at) VALUES ('c', 'C', 'C', 'C', "
	    "'C', 1, 1);"
	    "INSERT INTO events (slug, title_es, title_en, title_pt, title_fr, "
	    "starts_at, ends_at, capacity, created_at, updated_at) "
	    "VALUES ('e', 'E', 'E', 'E', 'E', 10, 20, 1, 1, 1);"
	    "INSERT INTO pledges (id, campaign_id, status, confirmed_at, name, "
	    "email, email_key, organisation, actor_type, country, city, "
	    "commitment, category, quantity, unit, target_year, public, "
	    "language, consent_at, created_at, moderated_at, erased_at, demo) "
	    "VALUES (3, 1, 'approved', 5, 'Ana', 'ana@example.org', "
	    "'ana@example.org', 'Org', 'company', 'CL', 'Santiago', "
	    "'ten buses by 2030', 'fleet', 10, 'buses', 2030, 1, 'es', 4, 4, "
	    "6, NULL, 0), (7, 1, 'pending_confirmation', NULL, 'Bo', "
	    "'bo@example.org', 'bo@example.org', NULL, 'individual', 'BR', "
	    "NULL, 'one e-bike for me', NULL, NULL, NULL, NULL, 0, 'pt', 8, 8, "
	    "NULL, NULL, 1), (9, 1, 'rejected', 9, '', '', 'erased:9', NULL, "
	    "'ngo', 'MX', NULL, '', NULL, NULL, NULL, NULL, 0, 'en', 9, 9, 9, "
	    "9, 0);"
	    "INSERT INTO registrations (id, event_id, status, waitlist_seq, "
	    "name, email, email_key, organisation, country, role, language, "
	    "consent_at, created_at, cancelled_at, checked_in_at, erased_at) "
	    "VALUES (2, 1, 'registered', NULL, 'Ana', 'ana@example.org', "
	    "'ana@example.org', 'Org', 'CL', 'speaker', 'es', 3, 3, NULL, 15, "
	    "NULL), (5, 1, 'waitlisted', 1, 'Bo', 'bo@example.org', "
	    "'bo@example.org', NULL, NULL, NULL, 'fr', 4, 4, NULL, NULL, NULL);"));
	scalar(db, ROWS_SQL, before, sizeof(before));
	scalar(db, INDEXES_SQL, idx_before, sizeof(idx_before));
	CHECK(strlen(before) > 100);
	CHECK(ephemeral_opens(db, hot[0]) > 0);	/* what 015 is for */
	sqlite3_close(db);
	db = NULL;

	check_context("migrated to %d", store_schema_latest());
	s = store_connect(path, 0, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "store_connect: %s\n", err);
		return check_done();
	}
	CHECK_INT(store_migrate(s, &applied, err, sizeof(err)), 0);
	CHECK_INT(applied, store_schema_latest() - BEFORE_015);
	store_close(s);

	CHECK_INT(db_sqlite_open(path, 0, &db, err, sizeof(err)), 0);
	if (db == NULL)
		return check_done();
	scalar(db, ROWS_SQL, after, sizeof(after));
	scalar(db, INDEXES_SQL, idx_after, sizeof(idx_after));
	check_context("every row and index kept");
	CHECK_STR(after, before);
	CHECK_STR(idx_after, idx_before);
	CHECK_STR(scalar(db, "PRAGMA integrity_check", buf, sizeof(buf)), "ok");
	CHECK_STR(scalar(db, "SELECT count(*) FROM pragma_foreign_key_check",
	    buf, sizeof(buf)), "0");
	CHECK_STR(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name "
	    "LIKE '%_new'", buf, sizeof(buf)), "0");

	check_context("the rules still hold");
	CHECK(exec_refused(db, "UPDATE pledges SET status = 'maybe' WHERE id = 3"));
	CHECK(exec_refused(db, "UPDATE registrations SET status = 'maybe' "
	    "WHERE id = 2"));
	CHECK(exec_refused(db, "UPDATE pledges SET public = 2 WHERE id = 3"));
	CHECK(exec_refused(db, "INSERT INTO pledges (campaign_id, status, name, "
	    "email, email_key, actor_type, country, commitment, consent_at, "
	    "created_at) VALUES (1, 'confirmed', 'x', 'x', 'ana@example.org', "
	    "'company', 'CL', 'cccccccccc', 1, 1)"));	/* UNIQUE */
	CHECK(exec_refused(db, "INSERT INTO registrations (event_id, status, name, "
	    "email, email_key, consent_at, created_at) VALUES (99, "
	    "'registered', 'x', 'x', 'x', 1, 1)"));	/* foreign key */
	CHECK_STR(scalar(db, "SELECT max(id) FROM pledges", buf, sizeof(buf)),
	    "9");

	for (size_t i = 0; i < sizeof(hot) / sizeof(hot[0]); i++) {
		check_context("no temporary B-tree: %.60s", hot[i]);
		CHECK_INT(ephemeral_opens(db, hot[i]), 0);
	}
	sqlite3_close(db);

	snprintf(buf, sizeof(buf), "%s/icommit.db-wal", dir);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s/icommit.db-shm", dir);
	unlink(buf);
	unlink(path);
	rmdir(dir);
	return check_done();
}
