/*
 * icommitctl.c: the command-line tool for operators and staff. It works on
 * the same database as icommitd, through the same storage layer.
 * Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.
 */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "request.h"
#include "events.h"
#include "export.h"
#include "newsletter.h"
#include "pledges.h"
#include "privacy.h"
#include "token.h"
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
	    "  export consultants [--expertise E] [--country CC] [...]\n"
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

#define PASSWORD_MIN 12

/* Reads a password: one line of standard input, without its newline. */
static int
read_password(char *buf, size_t len)
{
	size_t n;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, "password (at least %d characters): ",
		    PASSWORD_MIN);
	if (fgets(buf, (int)len, stdin) == NULL)
		return -1;
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 0;
}

static int
print_user(const struct user *u, void *arg)
{
	char t[TIME_RFC3339_LEN];

	(void)arg;
	time_format(u->created_at, t);
	printf("%s\t%s\t%s\n", u->username, u->disabled ? "disabled" :
	    "active", t);
	return 0;
}

static int
cmd_user(int argc, char **argv)
{
	struct arena  arena = { 0 };
	struct store *s;
	struct user   u;
	char	      pw[1100], hash[PASSWORD_HASH_MAX];
	enum db_err   e;
	int	      rc = 1;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		if ((s = open_store()) == NULL)
			return 1;
		e = store_user_list(s, &arena, print_user, NULL);
		store_close(s);
		arena_free(&arena);
		return e == DB_OK ? 0 : fail(db_strerror(e));
	}
	if (argc != 3)
		usage();
	const char *name = argv[2];
	size_t	    nlen = strlen(name);
	if (nlen < 1 || nlen > 64 || strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
	    != nlen)
		return fail("user names are 1-64 letters, digits and . _ @ -");
	if ((s = open_store()) == NULL)
		return 1;
	if (strcmp(argv[1], "add") == 0 || strcmp(argv[1], "passwd") == 0) {
		bool add = strcmp(argv[1], "add") == 0;

		e = store_user_get(s, &arena, name, &u);
		if (add && e == DB_OK) {
			fprintf(stderr, "icommitctl: user %s exists (use user "
			    "passwd)\n", name);
			goto out;
		}
		if (!add && e == DB_NOTFOUND) {
			fprintf(stderr, "icommitctl: no user %s\n", name);
			goto out;
		}
		if (read_password(pw, sizeof(pw)) != 0 ||
		    strlen(pw) < PASSWORD_MIN) {
			fprintf(stderr, "icommitctl: the password must have at "
			    "least %d characters\n", PASSWORD_MIN);
			goto out;
		}
		if (password_hash(pw, hash) != 0) {
			fail("cannot hash the password (out of memory?)");
			goto out;
		}
		sodium_memzero(pw, sizeof(pw));
		e = add ? store_user_add(s, name, hash) :
		    store_user_set_password(s, name, hash);
		if (e != DB_OK) {
			fail(db_strerror(e));
			goto out;
		}
		printf("%s %s\n", add ? "added" : "changed the password of",
		    name);
	} else if (strcmp(argv[1], "disable") == 0 ||
	    strcmp(argv[1], "enable") == 0) {
		bool disable = strcmp(argv[1], "disable") == 0;

		e = store_user_set_disabled(s, name, disable);
		if (e != DB_OK) {
			fprintf(stderr, "icommitctl: %s\n", e == DB_NOTFOUND ?
			    "no such user" : db_strerror(e));
			goto out;
		}
		printf("%s %s\n", disable ? "disabled" : "enabled", name);
	} else {
		store_close(s);
		usage();
	}
	rc = 0;
out:
	store_close(s);
	arena_free(&arena);
	return rc;
}

struct file_sink {
	FILE	*f;
	uint64_t bytes;
	bool	 progress;
	int64_t	 last_us;
};

static int
file_sink(void *arg, const void *buf, size_t len)
{
	struct file_sink *fs = arg;

	if (fwrite(buf, 1, len, fs->f) != len)
		return -1;
	fs->bytes += len;
	if (fs->progress && mono_us() - fs->last_us > 250000) {
		fs->last_us = mono_us();
		fprintf(stderr, "\r%llu KiB written", (unsigned long long)
		    (fs->bytes / 1024));
	}
	return 0;
}

static int
cmd_export(int argc, char **argv)
{
	struct export_query q = { 0 };
	struct arena	    arena = { 0 };
	struct file_sink    fs = { stdout, 0, false, 0 };
	struct csv	   *c;
	struct campaign	    camp;
	struct store	   *s;
	const char	   *out = NULL, *campaign = NULL;
	char		    sep = ',';
	bool		    bom = true;
	uint64_t	    rows;
	enum db_err	    e;
	int		    rc = 1;

	const char *event = NULL;
	bool	    regs, subs;
	/* comments and consultants */
	struct comment_query	cq = { 0 };
	struct consultant_query kq = { 0 };
	bool			comments, consultants;

	if (argc < 2 || (strcmp(argv[1], "pledges") != 0 &&
	    strcmp(argv[1], "registrations") != 0 &&
	    strcmp(argv[1], "subscribers") != 0 &&
	    strcmp(argv[1], "comments") != 0 &&
	    strcmp(argv[1], "consultants") != 0))
		usage();
	regs = strcmp(argv[1], "registrations") == 0;
	subs = strcmp(argv[1], "subscribers") == 0;
	comments = strcmp(argv[1], "comments") == 0;
	consultants = strcmp(argv[1], "consultants") == 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--no-bom") == 0) {
			bom = false;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--campaign") == 0)
			campaign = v;
		else if (strcmp(a, "--event") == 0)
			event = v;
		else if (strcmp(a, "--status") == 0)
			q.status = cq.status = v;
		else if (strcmp(a, "--topic") == 0)
			cq.topic = v;
		else if (strcmp(a, "--expertise") == 0)
			kq.expertise = v;
		else if (strcmp(a, "--country") == 0) {
			for (char *p = argv[i]; *p != '\0'; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
			kq.country = v;
		}
		else if (strcmp(a, "--sep") == 0) {
			if (strcmp(v, "semicolon") == 0)
				sep = ';';
			else if (strcmp(v, "comma") != 0)
				usage();
		} else if (strcmp(a, "--from") == 0) {
			if (time_parse(v, &q.from) != 0)
				usage();
			q.has_from = true;
		} else if (strcmp(a, "--to") == 0) {
			if (time_parse(v, &q.to) != 0)
				usage();
			q.has_to = true;
		} else if (strcmp(a, "-o") == 0)
			out = v;
		else
			usage();
	}
	if (regs && event == NULL)
		usage();
	if ((s = open_store()) == NULL)
		return 1;
	struct event ev;
	if (regs) {
		e = store_event_get(s, &arena, event, &ev);
		if (e != DB_OK) {
			fprintf(stderr, "icommitctl: event %s: %s\n", event,
			    e == DB_NOTFOUND ? "no such event" : db_strerror(e));
			goto out;
		}
	}
	if (campaign != NULL) {
		e = store_campaign_get(s, &arena, campaign, &camp);
		if (e != DB_OK) {
			fprintf(stderr, "icommitctl: campaign %s: %s\n", campaign,
			    e == DB_NOTFOUND ? "no such campaign" :
			    db_strerror(e));
			goto out;
		}
		q.has_campaign = true;
		q.campaign_id = camp.id;
	}
	if (out != NULL && (fs.f = fopen(out, "wx")) == NULL) {
		fprintf(stderr, "icommitctl: %s: %s\n", out, strerror(errno));
		goto out;
	}
	fs.progress = isatty(STDERR_FILENO);
	c = malloc(sizeof(*c));
	if (c == NULL)
		log_fatal("out of memory");
	csv_begin(c, sep, bom, file_sink, &fs);
	if (comments)
		e = export_comments(s, &cq, c, &rows);
	else if (consultants)
		e = export_consultants(s, &kq, c, &rows);
	else if (subs)
		e = export_subscribers(s, c, &rows);
	else
		e = regs ? export_registrations(s, ev.id, c, &rows) :
		    export_pledges(s, &q, c, &rows);
	if (fs.progress)
		fprintf(stderr, "\r");
	if (e != DB_OK || c->failed || (out != NULL && fclose(fs.f) != 0) ||
	    (out == NULL && fflush(stdout) != 0)) {
		fprintf(stderr, "icommitctl: export failed: %s\n",
		    e != DB_OK ? db_strerror(e) : strerror(errno));
		free(c);
		goto out;
	}
	free(c);
	if (out != NULL)
		fprintf(stderr, "%llu %s written to %s\n",
		    (unsigned long long)rows, argv[1], out);
	rc = 0;
out:
	store_close(s);
	arena_free(&arena);
	return rc;
}

static int
cmd_event(int argc, char **argv)
{
	struct arena  arena = { 0 };
	struct fields f = { .arena = &arena };
	struct event  ev = { 0 }, old;
	struct store *s = NULL;
	json_error_t  jerr;
	enum db_err   e;
	int	      rc = 1;

	if (argc != 3 || strcmp(argv[1], "add") != 0)
		usage();
	ev.slug = argv[2];
	if (strlen(ev.slug) < 1 || strlen(ev.slug) > 64 || strspn(ev.slug,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(ev.slug))
		return fail("the slug must be 1-64 of a-z, 0-9 and -");
	f.in = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(f.in)) {
		fprintf(stderr, "icommitctl: standard input: not a JSON object "
		    "(line %d: %s)\n", jerr.line, jerr.text);
		goto out;
	}
	event_fields(&f, &ev, true);
	if (!fields_ok(&f)) {
		char *why = json_dumps(f.errors, JSON_COMPACT);

		fprintf(stderr, "icommitctl: invalid event: %s\n", why);
		free(why);
		goto out;
	}
	if ((s = open_store()) == NULL)
		goto out;
	e = store_event_get(s, &arena, ev.slug, &old);
	if (e == DB_OK) {
		fprintf(stderr, "icommitctl: event %s exists\n", ev.slug);
		goto out;
	}
	if (e == DB_NOTFOUND)
		e = store_event_add(s, &ev);
	if (e != DB_OK) {
		fail(db_strerror(e));
		goto out;
	}
	printf("created event %s\n", ev.slug);
	rc = 0;
out:
	store_close(s);
	fields_free(&f);
	arena_free(&arena);
	return rc;
}

/* Runs fn(s, arg) in one transaction of s; prints a failure. */
static enum db_err
ctl_tx(struct store *s, enum db_err (*fn)(struct store *, void *), void *arg)
{
	enum db_err e;

	if (db_begin(store_db(s)) != SQLITE_OK) {
		fail(sqlite3_errmsg(store_db(s)));
		return DB_ERROR;
	}
	e = fn(s, arg);
	if (e == DB_OK && db_commit(store_db(s)) != SQLITE_OK)
		e = DB_ERROR;
	if (e != DB_OK) {
		db_rollback(store_db(s));
		fail(db_strerror(e));
	}
	return e;
}

static enum db_err
newsletter_send_tx(struct store *s, void *arg)
{
	struct newsletter *n = arg;
	enum db_err	   e = store_newsletter_add(s, n);

	if (e == DB_OK)
		e = store_newsletter_start(s, n->id, now_unix());
	if (e == DB_OK)
		e = store_audit_add(s, "(icommitctl)", "newsletter_send", NULL,
		    NULL);
	return e;
}

static int
cmd_newsletter(int argc, char **argv)
{
	struct arena	  arena = { 0 };
	struct fields	  f = { .arena = &arena };
	struct newsletter n = { .created_at = now_unix(),
		.created_by = "(icommitctl)" };
	struct store	 *s = NULL;
	json_error_t	  jerr;
	int		  rc = 1;

	if (argc != 3 || strcmp(argv[1], "send") != 0)
		usage();
	f.in = json_load_file(argv[2], JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(f.in)) {
		fprintf(stderr, "icommitctl: %s: not a JSON object (line %d: "
		    "%s)\n", argv[2], jerr.line, jerr.text);
		goto out;
	}
	newsletter_fields(&f, &n);
	if (!fields_ok(&f)) {
		char *why = json_dumps(f.errors, JSON_COMPACT);

		fprintf(stderr, "icommitctl: invalid newsletter: %s\n", why);
		free(why);
		goto out;
	}
	if ((s = open_store()) == NULL ||
	    ctl_tx(s, newsletter_send_tx, &n) != DB_OK)
		goto out;
	store_newsletter_get(s, &arena, n.id, &n);
	printf("newsletter %lld: sending to %lld subscribers (icommitd's mail "
	    "sender delivers it)\n", (long long)n.id, (long long)n.recipients);
	rc = 0;
out:
	store_close(s);
	fields_free(&f);
	arena_free(&arena);
	return rc;
}

struct erase_ctl {
	struct arena	   *arena;
	const char	   *email;	/* NULL: the purge */
	struct erase_report rep;
};

static enum db_err
erase_ctl_tx(struct store *s, void *arg)
{
	struct erase_ctl *x = arg;
	enum db_err	  e;

	e = x->email != NULL ?
	    privacy_erase_person(s, x->arena, x->email, now_unix(), &x->rep) :
	    privacy_purge(s, &cfg, now_unix(), &x->rep);
	if (e == DB_OK)
		e = store_audit_add(s, "(icommitctl)", x->email != NULL ?
		    "erase" : "purge", NULL, NULL);
	return e;
}

/* erase EMAIL and purge: one transaction, then the WAL is emptied so no
 * old copy of a page keeps what was removed. */
static int
cmd_erase(int argc, char **argv)
{
	struct arena	 arena = { 0 };
	struct erase_ctl x = { .arena = &arena };
	struct store	*s;
	int		 rc = 1;

	if (strcmp(argv[0], "erase") == 0) {
		if (argc != 2)
			usage();
		if (!email_valid(argv[1], strlen(argv[1])))
			return fail("not an e-mail address");
		x.email = argv[1];
		for (char *p = argv[1]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	} else if (argc != 1)
		usage();
	if ((s = open_store()) == NULL)
		return 1;
	if (ctl_tx(s, erase_ctl_tx, &x) == DB_OK) {
		store_checkpoint_truncate(s);
		privacy_report_print(stdout, x.email != NULL ? "erased: " :
		    "purged: ", &x.rep);
		rc = 0;
	}
	store_close(s);
	arena_free(&arena);
	return rc;
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
	{ "user", cmd_user },
	{ "export", cmd_export },
	{ "event", cmd_event },
	{ "newsletter", cmd_newsletter },
	{ "erase", cmd_erase },
	{ "purge", cmd_erase },
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
