/*
 * store_nodes.c: the scheduler's leadership and the shared staff login
 * throttle (see store_nodes.h). Each statement is PostgreSQL's; SQLite's
 * text of it only has to prepare (every statement is prepared at start),
 * and the leader's is the one SQLite runs: one daemon, always the leader.
 */
#include "store_impl.h"
#include "store_nodes.h"

enum nodes_stmt {
	NODES_LEADER,
	NODES_LOGIN_FAILURES,
	NODES_LOGIN_FAILED,
	NODES_LOGIN_PURGE,
	NODES__MAX
};

/* SQLite: one daemon. Only NODES_LEADER runs there. */
static const char *const sql[NODES__MAX] = {
	[NODES_LEADER] = "SELECT 1",
	[NODES_LOGIN_FAILURES] = "SELECT 0",
	[NODES_LOGIN_FAILED] = "SELECT 0",
	[NODES_LOGIN_PURGE] = "SELECT 0",
};

/*
 * PostgreSQL (sql/pg/README.md's keys: "icom", use 2). pg_locks first, so
 * that a session already holding the lock does not take it once more
 * (session locks count their takings) and a new session asks afresh.
 */
static const char *const sql_pg[NODES__MAX] = {
	[NODES_LEADER] = "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks "
	    "WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
	    "AND classid = 1768124269 AND objid = 2 AND objsubid = 2 "
	    "AND granted) THEN true "
	    "ELSE pg_try_advisory_lock(1768124269, 2) END",
	[NODES_LOGIN_FAILURES] = "SELECT coalesce(max(failures), 0) "
	    "FROM login_attempts WHERE key_hash = ?1 AND window_start = ?2",
	[NODES_LOGIN_FAILED] = "INSERT INTO login_attempts (key_hash, "
	    "window_start, failures) VALUES (?1, ?2, 1) "
	    "ON CONFLICT (key_hash, window_start) "
	    "DO UPDATE SET failures = login_attempts.failures + 1",
	[NODES_LOGIN_PURGE] = "DELETE FROM login_attempts "
	    "WHERE window_start < ?1",
};

const struct stmt_set store_nodes_set = { "nodes", sql, sql_pg,
	NODES__MAX };

static struct stmt *
q(struct store *s, enum nodes_stmt id)
{
	return store_stmt(s, SET_NODES, id);
}

enum db_err
store_leader_hold(struct store *s, bool *leader)
{
	*leader = false;
	return store_bool(s, q(s, NODES_LEADER), leader, "leader");
}

enum db_err
store_login_failures(struct store *s, const unsigned char key_hash[32],
    int64_t window_start, int64_t *failures)
{
	struct stmt *st = q(s, NODES_LOGIN_FAILURES);

	bind_blob(st, 1, key_hash, 32);
	bind_int64(st, 2, window_start);
	return store_int64(s, st, failures, "login failures");
}

enum db_err
store_login_failed(struct store *s, const unsigned char key_hash[32],
    int64_t window_start)
{
	struct stmt *st = q(s, NODES_LOGIN_FAILED);

	bind_blob(st, 1, key_hash, 32);
	bind_int64(st, 2, window_start);
	return store_exec(s, st, "login failed");
}

enum db_err
store_login_purge(struct store *s, int64_t window_start)
{
	struct stmt *st = q(s, NODES_LOGIN_PURGE);

	bind_int64(st, 1, window_start);
	return store_exec(s, st, "login purge");
}
