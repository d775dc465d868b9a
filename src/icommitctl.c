/*
 * icommitctl.c: the command-line tool for operators and staff: its
 * options, the table of commands and what they share (the configuration,
 * opening the store, a transaction), and the commands on the database
 * itself (init, migrate, backup, vacuum, version). The other commands are
 * in icommitctl_data.c (pledges, exports, erasure, counts, mail),
 * icommitctl_staff.c (users, events, newsletters) and icommitctl_demo.c
 * (the demo content). It works on the same
 * database as icommitd, through the same storage layer.
 * Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "icommitctl.h"
#include "log.h"
#include "store_campaigns.h"

struct config ctl_cfg;

void
ctl_usage(void)
{
	fprintf(stderr,
	    "usage: icommitctl [-c FILE] COMMAND [ARGS]\n"
	    "commands:\n"
	    "  init            create or migrate the database and the default campaign\n"
	    "  migrate         apply pending schema migrations\n"
	    "  backup FILE     copy the database online to FILE (must not exist)\n"
	    "  vacuum [--full] give the space of deleted rows back (after erasures)\n"
	    "  pledge approve|reject ID   moderate a pledge\n"
	    "  user add|passwd NAME      set a staff password (read from standard input)\n"
	    "  user list | user disable NAME | user enable NAME\n"
	    "  event add SLUG  create an event from EVENT JSON on standard input\n"
	    "  export pledges [--campaign S] [--status S] [--from T] [--to T]\n"
	    "                 [--sep comma|semicolon] [--no-bom] [-o FILE]\n"
	    "  export registrations --event SLUG [--sep comma|semicolon] [--no-bom] [-o FILE]\n"
	    "  export subscribers [--sep comma|semicolon] [--no-bom] [-o FILE]\n"
	    "  newsletter send FILE   send the newsletter issue in FILE (JSON) to\n"
	    "                 every confirmed subscriber (icommitd delivers it)\n"
	    "  erase EMAIL     remove that person's data everywhere (counts stay)\n"
	    "  purge           delete stale sign-ups and apply retention_days\n"
	    "  export comments [--topic T] [--status new|handled] [...]\n"
	    "  export consultants [--expertise E] [--country CC] [--q WORDS] [...]\n"
	    "  recount         recompute counters, tallies and seat counts, report drift\n"
	    "  mail-queue      list mail waiting for delivery: recipient, subject\n"
	    "  demo load|remove   add the demo content (sample pledges, events)\n"
	    "                 or take exactly it out again\n"
	    "  version         print the program and schema versions\n");
	exit(EXIT_USAGE);
}

int
ctl_fail(const char *msg)
{
	fprintf(stderr, "icommitctl: %s\n", msg);
	return 1;
}

struct store *
ctl_store_open(void)
{
	char	      err[1024];
	struct store *s = store_open(ctl_cfg.database, false, false, err,
	    sizeof(err));

	if (s == NULL)
		ctl_fail(err);
	return s;
}

enum db_err
ctl_tx(struct store *s, write_fn fn, void *arg, const char *what)
{
	enum db_err e = DB_ERROR;

	/* A conflict with a daemon's transaction (PostgreSQL): again, as the
	 * writer does, after a pause. */
	for (int attempt = 0; attempt < 5; attempt++) {
		if (attempt > 0)
			usleep(20000 * (useconds_t)attempt);
		if ((e = store_begin(s)) != DB_OK)
			e = e == DB_RETRY ? e : DB_ERROR;
		else if ((e = fn(s, arg)) == DB_OK &&
		    (e = store_commit(s)) != DB_OK)
			e = e == DB_RETRY ? e : DB_ERROR;
		if (e != DB_RETRY)
			break;
		store_rollback(s);
	}
	if (e != DB_OK) {
		store_rollback(s);
		if (what != NULL)
			fprintf(stderr, "icommitctl: %s: %s\n", what,
			    db_strerror(e));
	}
	return e;
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

int
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
		ctl_usage();
	s = store_open(ctl_cfg.database, true, true, err, sizeof(err));
	if (s == NULL)
		return ctl_fail(err);
	e = store_campaign_get(s, &arena, "icommit", &c);
	if (e == DB_NOTFOUND) {
		default_campaign(&c);
		e = store_campaign_add(s, &c);
		if (e == DB_OK)
			printf("created campaign icommit\n");
	}
	if (e != DB_OK) {
		fprintf(stderr, "icommitctl: %s: %s\n",
		    store_label(ctl_cfg.database), db_strerror(e));
		goto out;
	}
	if (strcmp(store_engine(s), "sqlite") == 0)
		printf("database %s ready (schema %d)\n", ctl_cfg.database,
		    store_schema_version(s));
	else
		printf("PostgreSQL database ready (schema %d)\n",
		    store_schema_version(s));
	rc = 0;
out:
	arena_free(&arena);
	store_close(s);
	return rc;
}

int
cmd_migrate(int argc, char **argv)
{
	char	      err[1024];
	struct store *s;
	int	      applied;

	(void)argv;
	if (argc != 1)
		ctl_usage();
	if ((s = store_connect(ctl_cfg.database, STORE_CREATE, err,
	    sizeof(err))) == NULL)
		return ctl_fail(err);
	if (store_migrate(s, &applied, err, sizeof(err)) != 0) {
		store_close(s);
		return ctl_fail(err);
	}
	printf("applied %d migration%s; schema %d\n", applied,
	    applied == 1 ? "" : "s", store_schema_version(s));
	store_close(s);
	return 0;
}

int
cmd_backup(int argc, char **argv)
{
	char	      err[1024];
	struct store *s, *copy;
	int	      ok;

	if (argc != 2)
		ctl_usage();
	if ((s = store_connect(ctl_cfg.database, 0, err, sizeof(err))) == NULL)
		return ctl_fail(err);
	if (store_backup(s, argv[1], err, sizeof(err)) != 0) {
		store_close(s);
		return ctl_fail(err);
	}
	store_close(s);
	if ((copy = store_connect(argv[1], STORE_READONLY, err,
	    sizeof(err))) == NULL)
		return ctl_fail(err);
	ok = store_integrity_ok(copy);
	store_close(copy);
	if (!ok) {
		snprintf(err, sizeof(err), "%s: the copy fails integrity_check",
		    argv[1]);
		return ctl_fail(err);
	}
	printf("backed up %s to %s\n", store_label(ctl_cfg.database),
	    argv[1]);
	return 0;
}

/* vacuum [--full]: after erasures, so that what they removed leaves the
 * database's files (docs/privacy.md). */
int
cmd_vacuum(int argc, char **argv)
{
	char	      err[1024];
	struct store *s;
	bool	      full = false;
	int	      rc;

	if (argc == 2 && strcmp(argv[1], "--full") == 0)
		full = true;
	else if (argc != 1)
		ctl_usage();
	if ((s = store_connect(ctl_cfg.database, 0, err, sizeof(err))) == NULL)
		return ctl_fail(err);
	rc = store_vacuum(s, full, err, sizeof(err));
	if (rc == 0)
		printf("vacuumed %s%s\n", store_label(ctl_cfg.database),
		    full ? " (full)" : "");
	store_close(s);
	return rc == 0 ? 0 : ctl_fail(err);
}

int
cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		ctl_usage();
	printf("icommitctl %s (schema %d)\n", ICOMMIT_VERSION,
	    store_schema_latest());
	return 0;
}

static const struct {
	const char *name;
	int	  (*fn)(int, char **);
} commands[] = {
	{ "init", cmd_init },
	{ "migrate", cmd_migrate },
	{ "backup", cmd_backup },
	{ "vacuum", cmd_vacuum },
	{ "version", cmd_version },
	{ "pledge", cmd_pledge },
	{ "recount", cmd_recount },
	{ "mail-queue", cmd_mail_queue },
	{ "user", cmd_user },
	{ "export", cmd_export },
	{ "event", cmd_event },
	{ "newsletter", cmd_newsletter },
	{ "erase", cmd_erase },
	{ "purge", cmd_erase },
	{ "demo", cmd_demo },
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
			ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		ctl_usage();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[0], commands[i].name) != 0)
			continue;
		if (strcmp(argv[0], "version") != 0 &&
		    config_load(&ctl_cfg, conf, err, sizeof(err)) != 0)
			return ctl_fail(err);
		if (sodium_init() < 0)
			return ctl_fail("libsodium cannot start");
		json_object_seed(0);
		return commands[i].fn(argc, argv);
	}
	fprintf(stderr, "icommitctl: unknown command '%s'\n", argv[0]);
	ctl_usage();
}
