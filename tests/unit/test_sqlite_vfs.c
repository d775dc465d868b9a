/*
 * test_sqlite_vfs.c: the VFS every SQLite connection opens with
 * (src/db_sqlite_vfs.c), on real databases in a temporary directory: a
 * transaction's WAL frames reach the file in a few writes, not two each;
 * a commit is in the file before anyone can see it (another connection
 * of the process, and another process through SQLite's own VFS, read
 * every committed row at once); frames spilled in the middle of a large
 * transaction are read back by it and rolled back without a trace; and a
 * process killed with a transaction open leaves a sound database with
 * exactly what it committed.
 */
#include <sys/wait.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "db_sqlite.h"

static char dir[] = "/tmp/icommit-vfs.XXXXXX";
static char path[4200];

static sqlite3 *
open_db(void)
{
	char	 err[256] = "";
	sqlite3 *db = NULL;

	if (db_sqlite_open(path, DB_SQLITE_CREATE, &db, err, sizeof(err)) != 0)
		fprintf(stderr, "open: %s\n", err);
	return db;
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, err);
		check_failed++;
	}
	sqlite3_free(err);
}

static long long
scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long     v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Inserts n rows of 300 random bytes into t, in the open transaction. */
static void
insert(sqlite3 *db, int n)
{
	sqlite3_stmt *st;

	sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (randomblob(300))",
	    -1, &st, NULL);
	for (int i = 0; i < n; i++) {
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
}

/* The row count seen by a new process through SQLite's default VFS. */
static long long
count_elsewhere(void)
{
	int   fds[2];
	pid_t pid;

	if (pipe(fds) != 0 || (pid = fork()) < 0)
		return -3;
	if (pid == 0) {
		sqlite3	 *db = NULL;
		long long n = -4;

		close(fds[0]);
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
		    SQLITE_OK)
			n = scalar(db, "SELECT count(*) FROM t");
		sqlite3_close(db);
		if (write(fds[1], &n, sizeof(n)) != sizeof(n))
			_exit(1);
		_exit(0);
	}
	long long n = -5;

	close(fds[1]);
	if (read(fds[0], &n, sizeof(n)) != sizeof(n))
		n = -6;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return n;
}

int
main(void)
{
	sqlite3	     *a, *b;
	unsigned long before;

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/t.db", dir);

	check_context("registered and used");
	CHECK_STR(db_sqlite_vfs(), DB_SQLITE_VFS);
	a = open_db();
	b = open_db();
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return check_done();
	exec(a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
	exec(a, "PRAGMA synchronous = NORMAL");

	check_context("a transaction of ~100 frames, in a few writes");
	before = db_sqlite_vfs_wal_writes();
	exec(a, "BEGIN IMMEDIATE");
	insert(a, 300);
	exec(a, "COMMIT");
	CHECK(db_sqlite_vfs_wal_writes() - before >= 1);
	/* 300 rows of 300 bytes: ~100 pages of 1 KiB, 200 writes through
	 * SQLite's own VFS; gathered, 64 KiB at a time. */
	CHECK(db_sqlite_vfs_wal_writes() - before <= 4);

	check_context("each commit seen at once by another connection and process");
	for (int i = 1; i <= 20; i++) {
		exec(a, "BEGIN IMMEDIATE");
		insert(a, 7);
		exec(a, "COMMIT");
		CHECK_INT(scalar(b, "SELECT count(*) FROM t"), 300 + 7 * i);
		if (i % 5 == 0)
			CHECK_INT(count_elsewhere(), 300 + 7 * i);
	}

	check_context("spilled frames: read back, then rolled back");
	exec(a, "PRAGMA cache_size = 16");
	exec(a, "BEGIN IMMEDIATE");
	insert(a, 3000);
	CHECK_INT(scalar(a, "SELECT count(*) FROM t"), 3440);
	CHECK_INT(scalar(a, "SELECT sum(length(v)) FROM t"), 3440 * 300);
	CHECK_INT(scalar(b, "SELECT count(*) FROM t"), 440);
	exec(a, "ROLLBACK");
	CHECK_INT(scalar(a, "SELECT count(*) FROM t"), 440);
	CHECK_INT(count_elsewhere(), 440);

	check_context("a large transaction with spills, committed");
	exec(a, "BEGIN IMMEDIATE");
	insert(a, 3000);
	exec(a, "UPDATE t SET v = randomblob(200) WHERE id % 3 = 0");
	exec(a, "COMMIT");
	CHECK_INT(scalar(b, "SELECT count(*) FROM t"), 3440);
	CHECK_INT(count_elsewhere(), 3440);
	CHECK_INT(scalar(b, "SELECT count(*) FROM t WHERE length(v) = 200"),
	    3440 / 3);
	sqlite3_close(a);
	sqlite3_close(b);

	check_context("killed with a transaction open");
	pid_t pid = fork();

	if (pid == 0) {
		sqlite3 *c = open_db();

		exec(c, "PRAGMA synchronous = NORMAL");
		exec(c, "BEGIN IMMEDIATE");
		insert(c, 500);
		exec(c, "COMMIT");
		exec(c, "BEGIN IMMEDIATE");
		insert(c, 2000);	/* spills, never commits */
		kill(getpid(), SIGKILL);
		_exit(2);
	}
	int status = 0;

	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	a = open_db();
	CHECK(a != NULL);
	if (a != NULL) {
		char ok[64] = "";

		db_sqlite_pragma(a, "PRAGMA integrity_check", ok, sizeof(ok));
		CHECK_STR(ok, "ok");
		CHECK_INT(scalar(a, "SELECT count(*) FROM t"), 3940);
		sqlite3_close(a);
	}

	char cmd[4300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_done();
}
