/*
 * db_pg.c: PostgreSQL connections for the PostgreSQL driver (see
 * db_pg.h): connecting and reconnecting, what a failure means (SQLSTATE
 * to enum db_err, a log line without the values a message may quote),
 * the tuning of a connection, the migrations of sql/pg/ under their
 * advisory lock, VACUUM and the health check. Apart from the driver's
 * statements (store_pg.c) so that each file keeps one concern: this one
 * knows the database and the connection, that one statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_pg.h"
#include "log.h"
#include "util.h"

/* The migrator's advisory lock (sql/pg/README.md): "icom", use 1. */
#define PG_LOCK_KEY	"1768124269"
#define PG_LOCK_MIGRATE	"1"

/* The tables an erasure or the retention purge changes (docs/privacy.md). */
#define PG_PERSONAL_TABLES \
	"pledges, registrations, subscribers, consents, outbox, tokens, " \
	"privacy_requests, comments, consultants, " \
	"consultant_requests"

/* Notices (e.g. "relation already exists, skipping") are not for the log. */
static void
pg_notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The first line of libpq's last message on c, in buf. */
static const char *
pg_message(PGconn *pg, char *buf, size_t len)
{
	const char *m = pg != NULL ? PQerrorMessage(pg) : "out of memory";
	size_t	    n = strcspn(m, "\n");

	snprintf(buf, len, "%.*s", (int)n, m);
	return buf;
}

int
db_pg_connect(struct pg_conn *c, const char *database, char *err,
    size_t errlen)
{
	/* Before dbname, so that the setting's own values win; after it,
	 * what must hold whatever the setting says (libpq's rule: the last
	 * value given). */
	const char *const keys[] = { "fallback_application_name",
		"connect_timeout", "dbname", "client_encoding", NULL };
	const char *const values[] = { "icommit", "10", database, "UTF8",
		NULL };
	char		  msg[256];

	memset(c, 0, sizeof(*c));
	c->pg = PQconnectdbParams(keys, values, 1);
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		/* libpq's message names the host and user, never the
		 * password. */
		snprintf(err, errlen, "cannot connect to the PostgreSQL "
		    "database: %s", pg_message(c->pg, msg, sizeof(msg)));
		PQfinish(c->pg);
		c->pg = NULL;
		return -1;
	}
	PQsetNoticeProcessor(c->pg, pg_notice_ignore, NULL);
	c->gen = 1;
	return 0;
}

void
db_pg_close(struct pg_conn *c)
{
	PQfinish(c->pg);
	c->pg = NULL;
}

int
db_pg_reconnect(struct pg_conn *c)
{
	char msg[256];

	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		log_error("reconnecting to the database: %s",
		    pg_message(c->pg, msg, sizeof(msg)));
		return -1;
	}
	c->gen++;
	c->broken = false;
	log_info("reconnected to the database");
	if (c->writer)
		db_pg_tune(c, true);
	return 0;
}

bool
db_pg_ok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return res != NULL && (st == PGRES_COMMAND_OK ||
	    st == PGRES_TUPLES_OK || st == PGRES_SINGLE_TUPLE);
}

/* The SQLSTATE of a failed result, "" when there is none. */
static const char *
pg_state(const PGresult *res)
{
	const char *s = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	return s != NULL ? s : "";
}

bool
db_pg_lost(struct pg_conn *c, const PGresult *res)
{
	const char *s = pg_state(res);

	/* No result, or a failure without SQLSTATE, is libpq's own: the
	 * server closed the connection (a restart, a crash) before libpq
	 * marked it bad, or it could not be used at all. */
	return c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK ||
	    res == NULL || *s == '\0' ||
	    strncmp(s, "08", 2) == 0 || strcmp(s, "57P01") == 0 ||
	    strcmp(s, "57P02") == 0 || strcmp(s, "57P03") == 0;
}

enum db_err
db_pg_fail(struct pg_conn *c, const PGresult *res, const char *what)
{
	const char *s = pg_state(res), *m;
	char	    msg[256];

	if (db_pg_lost(c, res)) {
		c->broken = true;
		log_error("%s: the connection to the database is lost: %s",
		    what, res != NULL && *s ? s : pg_message(c->pg, msg,
		    sizeof(msg)));
		return DB_BUSY;
	}
	/* Data exceptions and constraint violations may quote a value (a
	 * person's): only the state and the constraint's name. */
	if (strncmp(s, "22", 2) == 0 || strncmp(s, "23", 2) == 0) {
		m = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
		snprintf(msg, sizeof(msg), "%s%s", m ? "constraint " : "a "
		    "data exception", m ? m : "");
		m = msg;
	} else if (res != NULL && (m = PQresultErrorField(res,
	    PG_DIAG_MESSAGE_PRIMARY)) != NULL)
		;
	else
		m = pg_message(c->pg, msg, sizeof(msg));
	/* Conflicts with another transaction: the writer runs its
	 * transaction again (a unique key: another node inserted the same
	 * row first, which the next run finds). */
	if (strcmp(s, "40001") == 0 || strcmp(s, "40P01") == 0 ||
	    strcmp(s, "23505") == 0) {
		log_info("%s: %s (%s): the transaction will run again", what,
		    m, s);
		return DB_RETRY;
	}
	log_error("%s: %s (%s)", what, m, *s ? s : "no SQLSTATE");
	if (strcmp(s, "53100") == 0)		/* disk full */
		return DB_FULL;
	if (strcmp(s, "25006") == 0) {		/* a standby's connection */
		c->broken = true;
		return DB_READONLY;
	}
	if (strcmp(s, "53300") == 0 ||		/* too many connections */
	    strcmp(s, "55P03") == 0 ||		/* lock timeout */
	    strcmp(s, "57014") == 0)		/* statement timeout */
		return DB_BUSY;
	return DB_ERROR;
}

enum db_err
db_pg_command(struct pg_conn *c, const char *sql, const char *what)
{
	PGresult   *res = PQexec(c->pg, sql);
	enum db_err e = db_pg_ok(res) ? DB_OK : db_pg_fail(c, res, what);

	PQclear(res);
	return e;
}

void
db_pg_tune(struct pg_conn *c, bool writer)
{
	if (!(c->writer = writer))
		return;
	/* A 2xx means committed: the writer's commits wait for the WAL's
	 * flush (and a synchronous standby's), unless the server already
	 * asks for more (remote_apply). */
	(void)db_pg_command(c, "SELECT set_config('synchronous_commit', "
	    "'on', false) WHERE current_setting('synchronous_commit') IN "
	    "('off', 'local', 'remote_write')", "tuning the writer");
	/* A row another node holds for long (it hangs) costs a 503 after
	 * this, not every write of this node. */
	(void)db_pg_command(c, "SET lock_timeout = '10s'",
	    "tuning the writer");
}

int
db_pg_schema_latest(void)
{
	int n = db_pg_migrations_count;

	return n > 0 ? db_pg_migrations[n - 1].version : 0;
}

/* Runs a one-row, one-column query; its value, or def when it has no row
 * or a NULL, or -1 on a failure (logged as what). */
static long long
pg_scalar(struct pg_conn *c, const char *sql, long long def, const char *what)
{
	PGresult  *res = PQexec(c->pg, sql);
	long long  v = def;

	if (!db_pg_ok(res)) {
		(void)db_pg_fail(c, res, what);
		v = -1;
	} else if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 0))
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return v;
}

int
db_pg_schema_version(struct pg_conn *c)
{
	long long exists = pg_scalar(c, "SELECT (to_regclass('schema_migrations') "
	    "IS NOT NULL)::int", 0, "schema version");

	if (exists <= 0)
		return (int)exists;
	return (int)pg_scalar(c, "SELECT coalesce(max(version), 0) FROM "
	    "schema_migrations", 0, "schema version");
}

/* Applies migration m in its own transaction; 0, or -1 with err set. */
static int
pg_migrate_one(struct pg_conn *c, const struct migration *m, char *err,
    size_t errlen)
{
	char	    version[16], at[24];
	const char *params[3] = { version, m->name, at };
	PGresult   *res = NULL;
	char	    msg[256];

	snprintf(version, sizeof(version), "%d", m->version);
	snprintf(at, sizeof(at), "%lld", (long long)now_unix());
	if (db_pg_command(c, "BEGIN", "migration") != DB_OK)
		goto fail;
	res = PQexec(c->pg, m->sql);
	if (!db_pg_ok(res))
		goto fail;
	PQclear(res);
	res = PQexecParams(c->pg, "INSERT INTO schema_migrations (version, "
	    "name, applied_at) VALUES ($1, $2, $3)", 3, NULL, params, NULL,
	    NULL, 0);
	if (!db_pg_ok(res))
		goto fail;
	PQclear(res);
	res = PQexec(c->pg, "COMMIT");
	if (!db_pg_ok(res) || strcmp(PQcmdStatus(res), "COMMIT") != 0)
		goto fail;
	PQclear(res);
	return 0;
fail:
	snprintf(err, errlen, "migration %s: %s", m->name, res != NULL &&
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) != NULL ?
	    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) :
	    pg_message(c->pg, msg, sizeof(msg)));
	PQclear(res);
	(void)db_pg_command(c, "ROLLBACK", "migration");
	return -1;
}

int
db_pg_migrate(struct pg_conn *c, int *applied, char *err, size_t errlen)
{
	int current, rc = -1;

	*applied = 0;
	/* Waits for another node's migrator; held until the end, so that
	 * each migration is applied once and nobody sees half of them. */
	if (db_pg_command(c, "SELECT pg_advisory_lock(" PG_LOCK_KEY ", "
	    PG_LOCK_MIGRATE ")", "migration lock") != DB_OK) {
		snprintf(err, errlen, "migrating the database: cannot take "
		    "the migrator's lock");
		return -1;
	}
	if (db_pg_command(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at bigint NOT NULL)", "schema_migrations") != DB_OK) {
		snprintf(err, errlen, "migrating the database: cannot create "
		    "schema_migrations");
		goto out;
	}
	if ((current = db_pg_schema_version(c)) < 0) {
		snprintf(err, errlen, "migrating the database: cannot read "
		    "the schema version");
		goto out;
	}
	if (current > db_pg_schema_latest()) {
		snprintf(err, errlen, "database schema %d is newer than this "
		    "program's (%d): upgrade icommit", current,
		    db_pg_schema_latest());
		goto out;
	}
	for (int i = 0; i < db_pg_migrations_count; i++) {
		if (db_pg_migrations[i].version <= current)
			continue;
		if (pg_migrate_one(c, &db_pg_migrations[i], err, errlen) != 0)
			goto out;
		(*applied)++;
	}
	rc = 0;
out:
	(void)db_pg_command(c, "SELECT pg_advisory_unlock(" PG_LOCK_KEY ", "
	    PG_LOCK_MIGRATE ")", "migration unlock");
	return rc;
}

int
db_pg_vacuum(struct pg_conn *c, bool full, char *err, size_t errlen)
{
	PGresult *res = PQexec(c->pg, full ?
	    "VACUUM (FULL, ANALYZE) " PG_PERSONAL_TABLES :
	    "VACUUM (ANALYZE) " PG_PERSONAL_TABLES);
	char	  msg[256];
	int	  rc = 0;

	if (!db_pg_ok(res)) {
		snprintf(err, errlen, "VACUUM: %s", res != NULL &&
		    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) != NULL ?
		    PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) :
		    pg_message(c->pg, msg, sizeof(msg)));
		rc = -1;
	}
	PQclear(res);
	return rc;
}

bool
db_pg_integrity_ok(struct pg_conn *c)
{
	return pg_scalar(c, "SELECT 1", 0, "integrity") == 1 &&
	    db_pg_schema_version(c) == db_pg_schema_latest();
}
