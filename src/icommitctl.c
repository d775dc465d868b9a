/*
 * icommitctl.c: the command-line tool for operators and staff. It works on
 * the same database as icommitd, through the same storage layer.
 * Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "pledges.h"
#include "store.h"

#define EXIT_USAGE 2

static struct config cfg;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: icommitctl [-c FILE] COMMAND [ARGS]\n"
	    "commands:\n"
	    "  init            create or migrate the database and the default campaign\n"
	    "  migrate         apply pending schema migrations\n"
	    "  backup FILE     copy the database online to FILE (must not exist)\n"
	    "  pledge approve|reject ID   moderate a pledge\n"
	    "  recount         recompute counters and tallies, report drift\n"
	    "  mail-queue      list mail waiting for delivery\n"
	    "  version         print the program and schema versions\n");
	exit(EXIT_USAGE);
}

/* Prints "icommitctl: msg" and returns 1. */
static int
fail(const char *msg)
{
	fprintf(stderr, "icommitctl: %s\n", msg);
	return 1;
}

/* The campaign that `init` creates, in the four languages of the public. */
static void
default_campaign(struct campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->slug = "icommit";
	c->title[LANG_ES] = "Me comprometo con la movilidad eléctrica";
	c->title[LANG_EN] = "I commit to electric mobility";
	c->title[LANG_PT] = "Eu me comprometo com a mobilidade elétrica";
	c->title[LANG_FR] = "Je m’engage pour la mobilité électrique";
	c->description[LANG_ES] =
	    "Empresas, financiadores, gobiernos, sociedad civil y personas de "
	    "América Latina y el Caribe se comprometen públicamente con la "
	    "movilidad eléctrica para elevar la ambición de las contribuciones "
	    "determinadas a nivel nacional (NDC) de sus países. Suma tu "
	    "compromiso: cada flota, cargador, política y autobús eléctrico "
	    "cuenta.";
	c->description[LANG_EN] =
	    "Companies, financiers, governments, civil society and individuals "
	    "across Latin America and the Caribbean make public commitments to "
	    "electric mobility that raise the ambition of their countries' "
	    "nationally determined contributions (NDCs). Add yours: every "
	    "fleet, charger, policy and electric bus counts.";
	c->description[LANG_PT] =
	    "Empresas, financiadores, governos, sociedade civil e pessoas da "
	    "América Latina e do Caribe assumem compromissos públicos com a "
	    "mobilidade elétrica para elevar a ambição das contribuições "
	    "nacionalmente determinadas (NDC) dos seus países. Some o seu "
	    "compromisso: cada frota, carregador, política e ônibus elétrico "
	    "conta.";
	c->description[LANG_FR] =
	    "Entreprises, financeurs, gouvernements, société civile et citoyens "
	    "d’Amérique latine et des Caraïbes prennent des engagements publics "
	    "en faveur de la mobilité électrique pour rehausser l’ambition des "
	    "contributions déterminées au niveau national (CDN) de leurs pays. "
	    "Ajoutez le vôtre : chaque flotte, borne, politique et bus "
	    "électrique compte.";
	c->has_goal = true;
	c->goal = 1000;
}

static int
cmd_init(int argc, char **argv)
{
	char		err[1024];
	struct arena	arena = { 0 };
	struct campaign c;
	struct store   *s;
	enum db_err	e;
	int		rc = 1;

	(void)argv;
	if (argc != 1)
		usage();
	s = store_open(cfg.database, true, true, err, sizeof(err));
	if (s == NULL)
		return fail(err);
	e = store_campaign_get(s, &arena, "icommit", &c);
	if (e == DB_NOTFOUND) {
		default_campaign(&c);
		e = store_campaign_add(s, &c);
		if (e == DB_OK)
			printf("created campaign icommit\n");
	}
	if (e != DB_OK) {
		fprintf(stderr, "icommitctl: %s: %s\n", cfg.database,
		    db_strerror(e));
		goto out;
	}
	printf("database %s ready (schema %d)\n", cfg.database,
	    db_schema_version(store_db(s)));
	rc = 0;
out:
	arena_free(&arena);
	store_close(s);
	return rc;
}

static int
cmd_migrate(int argc, char **argv)
{
	char	 err[1024];
	sqlite3 *db;
	int	 applied;

	(void)argv;
	if (argc != 1)
		usage();
	if (db_open(cfg.database, DB_OPEN_CREATE, &db, err, sizeof(err)) != 0)
		return fail(err);
	if (db_migrate(db, &applied, err, sizeof(err)) != 0) {
		sqlite3_close(db);
		return fail(err);
	}
	printf("applied %d migration%s; schema %d\n", applied,
	    applied == 1 ? "" : "s", db_schema_version(db));
	sqlite3_close(db);
	return 0;
}

static int
cmd_backup(int argc, char **argv)
{
	char	 err[1024];
	sqlite3 *db, *copy;
	int	 ok;

	if (argc != 2)
		usage();
	if (db_open(cfg.database, 0, &db, err, sizeof(err)) != 0)
		return fail(err);
	if (db_backup(db, argv[1], err, sizeof(err)) != 0) {
		sqlite3_close(db);
		return fail(err);
	}
	sqlite3_close(db);
	if (db_open(argv[1], DB_OPEN_READONLY, &copy, err, sizeof(err)) != 0)
		return fail(err);
	ok = db_integrity_ok(copy);
	sqlite3_close(copy);
	if (!ok) {
		snprintf(err, sizeof(err), "%s: the copy fails integrity_check",
		    argv[1]);
		return fail(err);
	}
	printf("backed up %s to %s\n", cfg.database, argv[1]);
	return 0;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		usage();
	printf("icommitctl %s (schema %d)\n", ICOMMIT_VERSION,
	    db_schema_latest());
	return 0;
}

/* Opens the store for a command; NULL after printing the problem. */
static struct store *
open_store(void)
{
	char	      err[1024];
	struct store *s = store_open(cfg.database, false, false, err,
	    sizeof(err));

	if (s == NULL)
		fail(err);
	return s;
}

static int
cmd_pledge(int argc, char **argv)
{
	struct arena	  arena = { 0 };
	struct moderation m = { .arena = &arena };
	struct store	 *s;
	char		 *end;
	enum db_err	  e;
	int		  rc = 1;

	if (argc != 3 || (strcmp(argv[1], "approve") != 0 &&
	    strcmp(argv[1], "reject") != 0))
		usage();
	m.approve = strcmp(argv[1], "approve") == 0;
	m.id = strtoll(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || m.id <= 0)
		usage();
	if ((s = open_store()) == NULL)
		return 1;
	if (db_begin(store_db(s)) != SQLITE_OK) {
		fail(sqlite3_errmsg(store_db(s)));
		goto out;
	}
	e = pledge_moderate_tx(s, &m);
	if (e == DB_OK && !m.unconfirmed &&
	    db_commit(store_db(s)) != SQLITE_OK)
		e = DB_ERROR;
	if (e != DB_OK || m.unconfirmed) {
		db_rollback(store_db(s));
		if (m.unconfirmed)
			fprintf(stderr, "icommitctl: pledge %s has not been "
			    "confirmed by its author\n", argv[2]);
		else
			fprintf(stderr, "icommitctl: pledge %s: %s\n", argv[2],
			    e == DB_NOTFOUND ? "no such pledge" : db_strerror(e));
		goto out;
	}
	printf("pledge %lld: %s\n", (long long)m.id, m.status);
	rc = 0;
out:
	store_close(s);
	arena_free(&arena);
	return rc;
}

static void
print_drift(const char *slug, int64_t stored, int64_t actual, void *arg)
{
	int *n = arg;

	printf("campaign %s: counter was %lld, pledges say %lld (fixed)\n",
	    slug, (long long)stored, (long long)actual);
	(*n)++;
}

static int
cmd_recount(int argc, char **argv)
{
	struct store *s;
	int64_t	      tallies;
	int	      drift = 0;
	enum db_err   e;

	(void)argv;
	if (argc != 1)
		usage();
	if ((s = open_store()) == NULL)
		return 1;
	e = store_recount(s, print_drift, &drift, &tallies);
	store_close(s);
	if (e != DB_OK)
		return fail(db_strerror(e));
	if (tallies > 0)
		printf("%lld tally rows differed (fixed)\n", (long long)tallies);
	if (drift == 0 && tallies == 0)
		printf("no drift: counters and tallies match the pledges\n");
	return 0;
}

static int
print_mail(const struct outbox_mail *m, void *arg)
{
	char created[TIME_RFC3339_LEN], next[TIME_RFC3339_LEN];
	int *n = arg;

	time_format(m->created_at, created);
	time_format(m->next_attempt_at, next);
	printf("%lld\t%s\t%s\t%d\t%s\t%s\n", (long long)m->id, m->kind,
	    created, m->attempts, next, m->last_error ? m->last_error : "");
	(*n)++;
	return 0;
}

static int
cmd_mail_queue(int argc, char **argv)
{
	struct arena  arena = { 0 };
	struct store *s;
	enum db_err   e;
	int	      n = 0;

	(void)argv;
	if (argc != 1)
		usage();
	if ((s = open_store()) == NULL)
		return 1;
	printf("id\tkind\tqueued\tattempts\tnext attempt\tlast error\n");
	e = store_outbox_pending(s, &arena, print_mail, &n);
	store_close(s);
	arena_free(&arena);
	if (e != DB_OK)
		return fail(db_strerror(e));
	printf("%d mail%s waiting\n", n, n == 1 ? "" : "s");
	return 0;
}

static const struct {
	const char *name;
	int	  (*fn)(int, char **);
} commands[] = {
	{ "init", cmd_init },
	{ "migrate", cmd_migrate },
	{ "backup", cmd_backup },
	{ "version", cmd_version },
	{ "pledge", cmd_pledge },
	{ "recount", cmd_recount },
	{ "mail-queue", cmd_mail_queue },
};

int
main(int argc, char *argv[])
{
	const char *conf = "/etc/icommit/icommit.conf";
	char	    err[1024];
	int	    opt;

	log_init("icommitctl");
	while ((opt = getopt(argc, argv, "+c:h")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		if (strcmp(argv[0], "version") != 0 &&
		    config_load(&cfg, conf, err, sizeof(err)) != 0)
			return fail(err);
		if (sodium_init() < 0)
			return fail("libsodium cannot start");
		json_object_seed(0);
		return commands[i].fn(argc, argv);
	}
	fprintf(stderr, "icommitctl: unknown command '%s'\n", argv[0]);
	usage();
}
