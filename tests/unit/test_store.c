/*
 * test_store.c: the storage layer's connection, whatever the engine: the
 * choice of the engine from the database setting (a path is SQLite; a
 * PostgreSQL URI or conninfo is PostgreSQL, or refused by a build without
 * it; either way the message never holds the setting, which may hold a
 * password), and what a connection does as a whole (schema version and
 * migrations, transactions, checkpoints, backup and its integrity check,
 * VACUUM), on a real SQLite database in a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store.h"
#include "store_campaigns.h"
#include "store_events.h"
#include "store_tokens.h"

/* Settings that name a PostgreSQL database. */
#ifndef ICOMMIT_POSTGRES
static const char *const pg[] = {
	"postgresql://icommit:secret@db.example.org/icommit",
	"postgres://icommit:secret@db.example.org:5432/icommit",
	"postgresql://",
	"host=db.example.org dbname=icommit password=secret",
	"dbname=icommit",
	"dbname = icommit password=secret",
	"password=secret host=/run/postgresql",
};
#define PG_REFUSED "this build has no PostgreSQL support"
#else
/* This build has the backend: the same kinds of setting, each with a
 * socket directory that does not exist (no network), are taken for
 * PostgreSQL (libpq cannot connect) and never quoted. */
#define NOWHERE "/nonexistent-icommit-test"
static const char *const pg[] = {
	"postgresql://icommit:secret@/icommit?host=" NOWHERE,
	"postgres://icommit:secret@:5432/icommit?host=" NOWHERE,
	"postgresql://?host=" NOWHERE,
	"host=" NOWHERE " dbname=icommit password=secret",
	"dbname=icommit host=" NOWHERE,
	"dbname = icommit password=secret host=" NOWHERE,
	"password=secret host=" NOWHERE,
};
#define PG_REFUSED "cannot connect to the PostgreSQL database"
#endif

/* Removes dir/name and its WAL and shared-memory files. */
static void
remove_db(const char *dir, const char *name)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char			 f[256];

	for (int i = 0; i < 3; i++) {
		snprintf(f, sizeof(f), "%s/%s%s", dir, name, suffixes[i]);
		unlink(f);
	}
}

int
main(void)
{
	char	      dir[] = "/tmp/icommit-test-store-XXXXXX";
	char	      db[128], copy[128], err[256];
	struct store *s, *c;
	struct arena  arena = { 0 };
	struct campaign camp;
	int	      applied = -1;
	int64_t	      left = -1;

	if (mkdtemp(dir) == NULL)
		return 1;
	for (size_t i = 0; i < sizeof(pg) / sizeof(pg[0]); i++) {
		check_context("refused: %s", pg[i]);
		err[0] = '\0';
		s = store_open(pg[i], true, true, err, sizeof(err));
		CHECK(s == NULL);
		store_close(s);
		CHECK(strstr(err, PG_REFUSED) != NULL);
		CHECK(strstr(err, "secret") == NULL);
		err[0] = '\0';
		s = store_connect(pg[i], STORE_CREATE, err, sizeof(err));
		CHECK(s == NULL);
		store_close(s);
		CHECK(strstr(err, PG_REFUSED) != NULL);
		CHECK(strstr(err, "secret") == NULL);
	}

	check_context("a path is SQLite: connect, then migrate");
	snprintf(db, sizeof(db), "%s/icommit.db", dir);
	s = store_connect(db, STORE_CREATE, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "store_connect: %s\n", err);
		return check_done();
	}
	CHECK_INT(store_schema_version(s), 0);
	CHECK_INT(store_migrate(s, &applied, err, sizeof(err)), 0);
	CHECK(applied > 0);
	CHECK_INT(store_schema_version(s), store_schema_latest());
	CHECK_INT(store_migrate(s, &applied, err, sizeof(err)), 0);
	CHECK_INT(applied, 0);
	store_close(s);

	check_context("open: statements, transactions");
	s = store_open(db, false, false, err, sizeof(err));
	CHECK(s != NULL);
	if (s == NULL) {
		fprintf(stderr, "store_open: %s\n", err);
		return check_done();
	}
	CHECK(!store_readonly(s));
	CHECK_INT(store_health(s), DB_OK);
	CHECK(!store_in_txn(s));
	CHECK_INT(store_begin(s), DB_OK);
	CHECK(store_in_txn(s));
	memset(&camp, 0, sizeof(camp));
	camp.slug = "rolled-back";
	for (int l = 0; l < LANG__MAX; l++)
		camp.title[l] = "T";
	CHECK_INT(store_campaign_add(s, &camp), DB_OK);
	CHECK(camp.id > 0);
	store_rollback(s);
	CHECK(!store_in_txn(s));
	CHECK_INT(store_campaign_get(s, &arena, "rolled-back", &camp),
	    DB_NOTFOUND);
	store_rollback(s);	/* none open: nothing */
	CHECK_INT(store_begin(s), DB_OK);
	camp.slug = "kept";
	CHECK_INT(store_campaign_add(s, &camp), DB_OK);
	CHECK_INT(store_commit(s), DB_OK);
	CHECK(!store_in_txn(s));
	CHECK_INT(store_campaign_get(s, &arena, "kept", &camp), DB_OK);
	CHECK_STR(camp.title[LANG_EN], "T");

	check_context("the writes the campaign cache must hear of");
	CHECK(store_campaigns_written(s));	/* the adds above */
	CHECK(!store_campaigns_written(s));	/* asked: cleared */
	{
		static const unsigned char key[32] = { 1 };

		CHECK_INT(store_begin(s), DB_OK);
		CHECK_INT(store_token_add(s, key, "pledge", 1, 1, 2), DB_OK);
		CHECK(store_campaign_get(s, &arena, "kept", &camp) == DB_OK);
		CHECK_INT(store_commit(s), DB_OK);
		CHECK(!store_campaigns_written(s));	/* neither wrote one */
		CHECK_INT(store_begin(s), DB_OK);
		camp.paused = true;
		CHECK_INT(store_campaign_update(s, &camp), DB_OK);
		CHECK_INT(store_commit(s), DB_OK);
		CHECK(store_campaigns_written(s));
	}

	check_context("the writes the event cache must hear of");
	CHECK(!store_events_written(s));	/* campaigns only so far */
	{
		struct event ev = { .slug = "meetup", .starts_at = 2000000000,
			.ends_at = 2000003600, .timezone = "UTC" };

		for (int l = 0; l < LANG__MAX; l++)
			ev.title[l] = ev.description[l] = "M";
		CHECK_INT(store_begin(s), DB_OK);
		CHECK_INT(store_event_add(s, &ev), DB_OK);
		CHECK_INT(store_commit(s), DB_OK);
		CHECK(store_events_written(s));
		CHECK(!store_events_written(s));	/* asked: cleared */
		CHECK(!store_campaigns_written(s));	/* not a campaign */
		/* A seat taken: every registration's, not heard. */
		CHECK_INT(store_begin(s), DB_OK);
		CHECK_INT(store_event_registered_add(s, ev.id, 1), DB_OK);
		CHECK_INT(store_event_get(s, &arena, "meetup", &ev), DB_OK);
		CHECK_INT(store_commit(s), DB_OK);
		CHECK(!store_events_written(s));
		CHECK_INT(ev.registered, 1);
		/* An edit (capacity, closing time, texts): heard. */
		CHECK_INT(store_begin(s), DB_OK);
		ev.has_capacity = true;
		ev.capacity = 1;
		CHECK_INT(store_event_update(s, &ev), DB_OK);
		CHECK_INT(store_commit(s), DB_OK);
		CHECK(store_events_written(s));
	}

	check_context("checkpoint, tuning, memory");
	store_tune_worker(s);
	store_tune_writer(s);
	store_release_memory(s);
	{
		int64_t frames = 0;

		/* "kept" is in the WAL: copied and flushed. */
		left = -1;
		CHECK_INT(store_checkpoint_flush(s, &frames, &left), DB_OK);
		CHECK(frames > 0);
		CHECK_INT(left, 0);
	}
	CHECK_INT(store_checkpoint(s, NULL, &left), DB_OK);
	CHECK_INT(left, 0);
	CHECK_INT(store_checkpoint(s, NULL, NULL), DB_OK);
	store_checkpoint_truncate(s);
	CHECK_STR(store_engine(s), "sqlite");
	CHECK(store_max_batch(s) > 1000);
	CHECK(!store_row_locks(s));
	CHECK_INT(store_vacuum(s, false, err, sizeof(err)), 0);
	CHECK_INT(store_vacuum(s, true, err, sizeof(err)), 0);
	CHECK_INT(store_campaign_get(s, &arena, "kept", &camp), DB_OK);

	check_context("backup: a copy that passes the integrity check");
	snprintf(copy, sizeof(copy), "%s/copy.db", dir);
	CHECK_INT(store_backup(s, copy, err, sizeof(err)), 0);
	CHECK_INT(store_backup(s, copy, err, sizeof(err)), -1);
	CHECK(strstr(err, "already exists") != NULL);
	store_close(s);
	c = store_connect(copy, STORE_READONLY, err, sizeof(err));
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK(store_integrity_ok(c));
		CHECK_INT(store_schema_version(c), store_schema_latest());
		store_close(c);
	}
	c = store_open(copy, false, false, err, sizeof(err));
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK_INT(store_campaign_get(c, &arena, "kept", &camp), DB_OK);
		store_close(c);
	}

	check_context("a database at another schema is refused");
	snprintf(db, sizeof(db), "%s/empty.db", dir);
	s = store_open(db, true, false, err, sizeof(err));
	CHECK(s == NULL);
	store_close(s);
	CHECK(strstr(err, "run icommitctl init") != NULL);

	arena_free(&arena);
	remove_db(dir, "icommit.db");
	remove_db(dir, "copy.db");
	remove_db(dir, "empty.db");
	rmdir(dir);
	return check_done();
}
