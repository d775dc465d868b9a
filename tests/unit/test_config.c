/*
 * test_config.c: config.c — the defaults of API.md's table, every key and
 * the line syntax (comments, blank and CRLF lines, spaces around '='), and
 * the "FILE:LINE: problem" errors for bad files.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

#define NAME "test.conf"

/* Renders the value of key in cfg as text, so tables can compare strings. */
static const char *
config_show(const struct config *cfg, const char *key, char *buf,
    size_t len)
{
	if (strcmp(key, "database") == 0)
		snprintf(buf, len, "%s", cfg->database);
	else if (strcmp(key, "listen") == 0)
		snprintf(buf, len, "%s", cfg->listen);
	else if (strcmp(key, "socket_mode") == 0)
		snprintf(buf, len, "%04o", cfg->socket_mode);
	else if (strcmp(key, "threads") == 0)
		snprintf(buf, len, "%d", cfg->threads);
	else if (strcmp(key, "base_url") == 0)
		snprintf(buf, len, "%s", cfg->base_url);
	else if (strcmp(key, "verify_email") == 0)
		snprintf(buf, len, "%s", cfg->verify_email ? "yes" : "no");
	else if (strcmp(key, "moderation") == 0)
		snprintf(buf, len, "%s", cfg->moderation ? "yes" : "no");
	else if (strcmp(key, "smtp_url") == 0)
		snprintf(buf, len, "%s", cfg->smtp_url);
	else if (strcmp(key, "mail_from") == 0)
		snprintf(buf, len, "%s", cfg->mail_from);
	else if (strcmp(key, "rate_limit") == 0)
		snprintf(buf, len, "%d", cfg->rate_limit);
	else if (strcmp(key, "session_hours") == 0)
		snprintf(buf, len, "%d", cfg->session_hours);
	else if (strcmp(key, "retention_days") == 0)
		snprintf(buf, len, "%d", cfg->retention_days);
	else if (strcmp(key, "comment_notify") == 0)
		snprintf(buf, len, "%s", cfg->comment_notify ? "yes" : "no");
	else if (strcmp(key, "organiser_name") == 0)
		snprintf(buf, len, "%s", cfg->organiser_name);
	else if (strcmp(key, "organiser_url") == 0)
		snprintf(buf, len, "%s", cfg->organiser_url);
	else if (strcmp(key, "contact_email") == 0)
		snprintf(buf, len, "%s", cfg->contact_email);
	else if (strcmp(key, "partners_file") == 0)
		snprintf(buf, len, "%s", cfg->partners_file);
	else if (strcmp(key, "trusted_proxies") == 0) {
		/* "a/p,b/p", or "" when none. */
		size_t used = 0;

		buf[0] = '\0';
		for (size_t i = 0; i < cfg->trusted_proxies_count; i++) {
			const struct cidr *c = &cfg->trusted_proxies[i];
			char		   addr[INET6_ADDRSTRLEN];

			inet_ntop(c->addr.family, c->addr.bytes, addr,
			    sizeof(addr));
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s/%u", i ? "," : "", addr, c->prefix);
			if (used >= len)
				break;
		}
	} else
		snprintf(buf, len, "(no such key %s)", key);
	return buf;
}

/* Parses text (strlen) over the defaults; returns config_parse's result. */
static int
parse(struct config *cfg, const char *text, char *err, size_t errlen)
{
	config_defaults(cfg);
	err[0] = '\0';
	return config_parse(cfg, NAME, text, strlen(text), err, errlen);
}

static void
test_defaults(void)
{
	/* API.md's configuration table (socket_mode is ours: 0660). */
	static const struct {
		const char *key, *value;
	} rows[] = {
		{ "database", "icommit.db" },
		{ "listen", "" },
		{ "socket_mode", "0660" },
		{ "threads", "4" },
		{ "base_url", "http://localhost:8080" },
		{ "verify_email", "yes" },
		{ "moderation", "yes" },
		{ "smtp_url", "" },
		{ "mail_from", "icommit@localhost" },
		{ "rate_limit", "20" },
		{ "trusted_proxies", "127.0.0.1/32" },
		{ "session_hours", "8" },
		{ "retention_days", "0" },
		{ "comment_notify", "yes" },
		/* What the site publishes: nothing until the operator says. */
		{ "organiser_name", "" },
		{ "organiser_url", "" },
		{ "contact_email", "" },
		{ "partners_file", "" },
	};
	struct config cfg;
	char	      buf[2048], err[256];

	config_defaults(&cfg);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		check_context("default of %s", rows[i].key);
		CHECK_STR(config_show(&cfg, rows[i].key, buf, sizeof(buf)),
		    rows[i].value);
	}
	/* An empty file, and one of only comments, keep every default. */
	check_context("empty and comment-only files");
	CHECK_INT(parse(&cfg, "", err, sizeof(err)), 0);
	CHECK_INT(cfg.threads, 4);
	CHECK_INT(parse(&cfg, "# nothing\n\n   # still nothing\n", err,
	    sizeof(err)), 0);
	CHECK_STR(cfg.database, "icommit.db");
	check_context("%s", "");
}

/* Good files: after parsing text, key reads as value. */
static const struct {
	const char *text, *key, *value;
} good[] = {
	/* One row per key. */
	{ "comment_notify = no\n", "comment_notify", "no" },
	{ "database = /var/lib/icommit/icommit.db\n", "database",
	    "/var/lib/icommit/icommit.db" },
	{ "listen = unix:/run/icommit/icommit.sock\n", "listen",
	    "unix:/run/icommit/icommit.sock" },
	{ "listen = 127.0.0.1:9000\n", "listen", "127.0.0.1:9000" },
	{ "listen = [::1]:9000\n", "listen", "[::1]:9000" },
	{ "listen = localhost:65535\n", "listen", "localhost:65535" },
	{ "listen =\n", "listen", "" },
	{ "socket_mode = 0666\n", "socket_mode", "0666" },
	{ "socket_mode = 660\n", "socket_mode", "0660" },
	{ "socket_mode = 0\n", "socket_mode", "0000" },
	{ "socket_mode = 0777\n", "socket_mode", "0777" },
	{ "threads = 1\n", "threads", "1" },
	{ "threads = 256\n", "threads", "256" },
	{ "base_url = https://icommit.example.org\n", "base_url",
	    "https://icommit.example.org" },
	{ "base_url = https://icommit.example.org/\n", "base_url",
	    "https://icommit.example.org" },
	{ "base_url = http://127.0.0.1:8080/campaign//\n", "base_url",
	    "http://127.0.0.1:8080/campaign" },
	{ "verify_email = no\n", "verify_email", "no" },
	{ "verify_email = yes\n", "verify_email", "yes" },
	{ "verify_email = false\n", "verify_email", "no" },
	{ "verify_email = off\n", "verify_email", "no" },
	{ "moderation = no\n", "moderation", "no" },
	{ "moderation = true\n", "moderation", "yes" },
	{ "moderation = on\n", "moderation", "yes" },
	{ "smtp_url = smtp://127.0.0.1:2525\n", "smtp_url",
	    "smtp://127.0.0.1:2525" },
	{ "smtp_url = smtps://mail.example.org:465\n", "smtp_url",
	    "smtps://mail.example.org:465" },
	{ "smtp_url =\n", "smtp_url", "" },
	{ "mail_from = compromisos@example.org\n", "mail_from",
	    "compromisos@example.org" },
	{ "rate_limit = 0\n", "rate_limit", "0" },
	{ "rate_limit = 1000000\n", "rate_limit", "1000000" },
	{ "session_hours = 1\n", "session_hours", "1" },
	{ "session_hours = 8760\n", "session_hours", "8760" },
	{ "retention_days = 36500\n", "retention_days", "36500" },
	{ "retention_days = 365\n", "retention_days", "365" },
	{ "trusted_proxies = 10.0.0.1\n", "trusted_proxies", "10.0.0.1/32" },
	{ "trusted_proxies = 10.0.0.0/8, 192.168.1.0/24\n", "trusted_proxies",
	    "10.0.0.0/8,192.168.1.0/24" },
	{ "trusted_proxies = ::1\n", "trusted_proxies", "::1/128" },
	{ "trusted_proxies = 2001:db8::/32 127.0.0.1,::1\n", "trusted_proxies",
	    "2001:db8::/32,127.0.0.1/32,::1/128" },
	{ "trusted_proxies = 0.0.0.0/0\n", "trusted_proxies", "0.0.0.0/0" },
	{ "trusted_proxies = none\n", "trusted_proxies", "" },
	{ "organiser_name = Red Latinoamericana de Movilidad Eléctrica\n",
	    "organiser_name", "Red Latinoamericana de Movilidad Eléctrica" },
	{ "organiser_name = Programa Regional — ONU\t(LAC)\n", "organiser_name",
	    "Programa Regional — ONU\t(LAC)" },
	{ "organiser_name = X\n", "organiser_name", "X" },
	{ "organiser_url = https://movilidad.example.org/\n", "organiser_url",
	    "https://movilidad.example.org" },
	{ "organiser_url = http://example.org/acerca?lang=es\n",
	    "organiser_url", "http://example.org/acerca?lang=es" },
	{ "contact_email = contacto@movilidad.example.org\n", "contact_email",
	    "contacto@movilidad.example.org" },
	{ "partners_file = /etc/icommit/partners.json\n", "partners_file",
	    "/etc/icommit/partners.json" },
	{ "partners_file = partners.json # next to the database\n",
	    "partners_file", "partners.json" },

	/* Line syntax. */
	{ "threads=8\n", "threads", "8" },
	{ "threads  =\t8\n", "threads", "8" },
	{ "\t  threads = 8  \t\n", "threads", "8" },
	{ "threads = 8", "threads", "8" },		/* no final newline */
	{ "threads = 8\r\n", "threads", "8" },	/* CRLF */
	{ "# icommit.conf\r\n\r\nthreads = 8\r\nmoderation = no\r\n", "threads",
	    "8" },
	{ "# icommit.conf\r\n\r\nthreads = 8\r\nmoderation = no\r\n",
	    "moderation", "no" },
	{ "# a comment\nthreads = 8\n", "threads", "8" },
	{ "   # an indented comment\nthreads = 8\n", "threads", "8" },
	{ "\t# a tab-indented comment\nthreads = 8\n", "threads", "8" },
	{ "threads = 8 # eight\n", "threads", "8" },
	{ "threads = 8\t# eight\n", "threads", "8" },
	{ "threads = 8 #\n", "threads", "8" },
	{ "\n\n  \n\t\nthreads = 8\n\n", "threads", "8" },
	/* '#' inside a value (not after white space) is not a comment. */
	{ "database = icommit#1.db\n", "database", "icommit#1.db" },
	{ "mail_from = noreply@example.org # who sends\n", "mail_from",
	    "noreply@example.org" },
	/* An '=' in the value belongs to the value. */
	{ "database = /srv/a=b.db\n", "database", "/srv/a=b.db" },
	/* Keys not in the file keep their defaults. */
	{ "threads = 8\n", "rate_limit", "20" },
	{ "threads = 8\n", "trusted_proxies", "127.0.0.1/32" },
};

static void
test_good(void)
{
	struct config cfg;
	char	      buf[2048], err[256];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		check_context("good row %zu (%s)", i, good[i].key);
		if (!CHECK_INT(parse(&cfg, good[i].text, err, sizeof(err)),
		    0)) {
			fprintf(stderr, "    error: %s\n", err);
			continue;
		}
		CHECK_STR(config_show(&cfg, good[i].key, buf, sizeof(buf)),
		    good[i].value);
	}
	check_context("%s", "");
}

/*
 * Bad files: config_parse fails with an error that starts with
 * "test.conf:LINE:" and contains problem.
 */
static const struct {
	const char *text;
	int	    line;
	const char *problem;
} bad[] = {
	{ "bogus = 1\n", 1, "unknown key 'bogus'" },
	{ "threads = 4\n\n# ok so far\nThreads = 4\n", 4, "unknown key" },
	{ "data base = x\n", 1, "unknown key" },
	{ "= x\n", 1, "unknown key" },
	{ "threads 4\n", 1, "expected key = value" },
	{ "threads = 4\r\nmoderation\r\n", 2, "expected key = value" },
	{ "verify_email = maybe\n", 1, "expected yes or no" },
	{ "verify_email = Yes please\n", 1, "expected yes or no" },
	{ "moderation =\n", 1, "expected yes or no" },
	{ "moderation = 1\n", 1, "expected yes or no" },
	{ "threads = 0\n", 1, "from 1 to 256" },
	{ "threads = 257\n", 1, "from 1 to 256" },
	{ "threads = -1\n", 1, "from 1 to 256" },
	{ "threads = 4x\n", 1, "from 1 to 256" },
	{ "threads = 0x10\n", 1, "from 1 to 256" },
	{ "threads =\n", 1, "from 1 to 256" },
	{ "threads = 99999999999999999999\n", 1, "from 1 to 256" },
	{ "rate_limit = 1000001\n", 1, "from 0 to 1000000" },
	{ "rate_limit = -5\n", 1, "from 0 to 1000000" },
	{ "session_hours = 0\n", 1, "from 1 to 8760" },
	{ "session_hours = 8761\n", 1, "from 1 to 8760" },
	{ "retention_days = -1\n", 1, "from 0 to 36500" },
	{ "retention_days = 36501\n", 1, "from 0 to 36500" },
	{ "socket_mode = 0800\n", 1, "octal" },
	{ "socket_mode = 0668\n", 1, "octal" },
	{ "socket_mode = 1777\n", 1, "octal" },
	{ "socket_mode = rw-rw----\n", 1, "octal" },
	{ "socket_mode = 0x1b6\n", 1, "octal" },
	{ "socket_mode =\n", 1, "octal" },
	{ "listen = 9000\n", 1, "listen" },
	{ "listen = unix:\n", 1, "listen" },
	{ "listen = unix:run/icommit.sock\n", 1, "listen" },
	{ "listen = localhost\n", 1, "listen" },
	{ "listen = 127.0.0.1:\n", 1, "listen" },
	{ "listen = 127.0.0.1:0\n", 1, "listen" },
	{ "listen = 127.0.0.1:65536\n", 1, "listen" },
	{ "listen = 127.0.0.1:90x\n", 1, "listen" },
	{ "base_url = ftp://example.org\n", 1, "base_url" },
	{ "base_url = example.org\n", 1, "base_url" },
	{ "base_url = //example.org\n", 1, "base_url" },
	{ "base_url =\n", 1, "base_url" },
	{ "base_url = http://\n", 1, "base_url" },	/* no host */
	{ "base_url = https:///\n", 1, "base_url" },	/* no host */
	{ "smtp_url = http://127.0.0.1:2525\n", 1, "smtp_url" },
	{ "smtp_url = 127.0.0.1:25\n", 1, "smtp_url" },
	{ "smtp_url = smtp://\n", 1, "smtp_url" },	/* no host */
	{ "mail_from = icommit\n", 1, "mail_from" },
	{ "mail_from = Icommit <icommit@example.org>\n", 1, "mail_from" },
	{ "database =\n", 1, "database" },
	{ "threads = 4\nthreads = 8\n", 2, "'threads' is set twice" },
	{ "moderation = no\n# again\nmoderation = no\n", 3, "set twice" },
	{ "trusted_proxies = 10.0.0.0/33\n", 1, "trusted_proxies" },
	{ "trusted_proxies = ::1/129\n", 1, "trusted_proxies" },
	{ "trusted_proxies = 10.0.0.300\n", 1, "trusted_proxies" },
	{ "trusted_proxies = proxy.example.org\n", 1, "trusted_proxies" },
	{ "trusted_proxies = none, 10.0.0.1\n", 1, "trusted_proxies" },
	{ "trusted_proxies = 10.0.0.1/\n", 1, "trusted_proxies" },
	{ "trusted_proxies = 10.0.0.1/abc\n", 1, "trusted_proxies" },
	{ "trusted_proxies = 10.0.0.1/-8\n", 1, "trusted_proxies" },
	{ "organiser_name =\n", 1, "organiser_name: expected 1 to 200" },
	{ "organiser_name = \xc3(\n", 1, "organiser_name: not UTF-8" },
	{ "organiser_name = a\x7f\n", 1, "organiser_name: not UTF-8" },
	{ "organiser_name = a\x01b\n", 1, "control characters" },
	{ "organiser_url = www.example.org\n", 1, "organiser_url" },
	{ "organiser_url = javascript:alert(1)\n", 1, "organiser_url" },
	{ "organiser_url = https://\n", 1, "organiser_url" },
	{ "organiser_url =\n", 1, "organiser_url" },
	{ "contact_email = contacto\n", 1, "contact_email" },
	{ "contact_email = Name <a@example.org>\n", 1, "contact_email" },
	{ "contact_email =\n", 1, "contact_email" },
	{ "partners_file =\n", 1, "partners_file: empty value" },
	{ "partners_file = a.json\npartners_file = b.json\n", 2, "set twice" },
};

/* Checks that err is "test.conf:LINE: ..." and contains problem. */
static void
check_error(const char *err, int line, const char *problem)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), NAME ":%d: ", line);
	if (!CHECK(strncmp(err, prefix, strlen(prefix)) == 0) ||
	    !CHECK(strstr(err, problem) != NULL))
		fprintf(stderr, "    error: \"%s\", want \"%s...%s...\"\n", err,
		    prefix, problem);
}

static void
test_bad(void)
{
	struct config cfg;
	char	      err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_context("bad row %zu (%s)", i, bad[i].problem);
		if (!CHECK_INT(parse(&cfg, bad[i].text, err, sizeof(err)), -1))
			continue;
		check_error(err, bad[i].line, bad[i].problem);
	}
	check_context("%s", "");
}

/* Inputs that strlen() cannot describe: NUL bytes, long lines, 33 proxies. */
static void
test_bad_built(void)
{
	struct config cfg;
	char	      err[256], *buf;
	size_t	      n;

	check_context("NUL byte in a line");
	{
		static const char text[] = "threads = 4\nthreads\0 = 8\n";

		config_defaults(&cfg);
		CHECK_INT(config_parse(&cfg, NAME, text, sizeof(text) - 1, err,
		    sizeof(err)), -1);
		check_error(err, 2, "NUL");
	}
	check_context("NUL byte after a value");
	{
		static const char text[] = "database = a.db\0/etc/passwd\n";

		config_defaults(&cfg);
		CHECK_INT(config_parse(&cfg, NAME, text, sizeof(text) - 1, err,
		    sizeof(err)), -1);
		check_error(err, 1, "NUL");
		CHECK_STR(cfg.database, "icommit.db");
	}

	/* A line far longer than any value. */
	check_context("very long line");
	n = 100000;
	buf = malloc(n + 32);
	if (buf == NULL)
		abort();
	strcpy(buf, "threads = 4\ndatabase = ");
	memset(buf + strlen(buf), 'a', n);
	buf[23 + n] = '\0';
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), -1);
	check_error(err, 2, "too long");

	/* A value one byte too long for its field, on a line that fits. */
	check_context("value of CONFIG_STR bytes");
	strcpy(buf, "database = ");
	memset(buf + 11, 'b', CONFIG_STR);
	buf[11 + CONFIG_STR] = '\0';
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), -1);
	check_error(err, 1, "too long");
	/* One byte shorter fits. */
	buf[11 + CONFIG_STR - 1] = '\0';
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), 0);
	CHECK_INT(strlen(cfg.database), CONFIG_STR - 1);

	/* At most CONFIG_PROXIES trusted proxies. */
	check_context("33 trusted proxies");
	strcpy(buf, "trusted_proxies =");
	for (int i = 0; i < CONFIG_PROXIES + 1; i++)
		snprintf(buf + strlen(buf), 32, " 10.0.0.%d", i + 1);
	strcat(buf, "\n");
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), -1);
	check_error(err, 1, "trusted_proxies");
	check_context("32 trusted proxies");
	strcpy(buf, "trusted_proxies =");
	for (int i = 0; i < CONFIG_PROXIES; i++)
		snprintf(buf + strlen(buf), 32, " 10.0.0.%d", i + 1);
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), 0);
	CHECK_INT(cfg.trusted_proxies_count, CONFIG_PROXIES);

	/* organiser_name counts characters, not bytes: 200 "é" (400 bytes)
	 * fit, 201 do not. */
	check_context("organiser_name of 200 and 201 characters");
	strcpy(buf, "organiser_name = ");
	for (int i = 0; i < 200; i++)
		strcat(buf, "\xc3\xa9");
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), 0);
	CHECK_INT(strlen(cfg.organiser_name), 400);
	strcat(buf, "e\n");
	CHECK_INT(parse(&cfg, buf, err, sizeof(err)), -1);
	check_error(err, 1, "expected 1 to 200 characters");
	free(buf);
	check_context("%s", "");
}

/* A whole realistic file, and the line numbers of errors after it. */
static void
test_whole_file(void)
{
	static const char text[] =
	    "# /etc/icommit/icommit.conf\n"
	    "database        = /var/lib/icommit/icommit.db\n"
	    "listen          = unix:/run/icommit/icommit.sock\n"
	    "socket_mode     = 0660\n"
	    "threads         = 2\n"
	    "\n"
	    "base_url        = https://icommit.example.org/\n"
	    "verify_email    = yes\n"
	    "moderation      = no   # trusted launch partners only\n"
	    "smtp_url        = smtp://127.0.0.1:25\n"
	    "mail_from       = compromisos@icommit.example.org\n"
	    "rate_limit      = 30\n"
	    "trusted_proxies = 127.0.0.1, ::1\n"
	    "session_hours   = 12\n"
	    "retention_days  = 730\n";
	struct config cfg;
	char	      err[256], buf[512];

	check_context("whole file");
	CHECK_INT(parse(&cfg, text, err, sizeof(err)), 0);
	CHECK_STR(cfg.database, "/var/lib/icommit/icommit.db");
	CHECK_STR(cfg.listen, "unix:/run/icommit/icommit.sock");
	CHECK_INT(cfg.socket_mode, 0660);
	CHECK_INT(cfg.threads, 2);
	CHECK_STR(cfg.base_url, "https://icommit.example.org");
	CHECK(cfg.verify_email);
	CHECK(!cfg.moderation);
	CHECK_STR(cfg.smtp_url, "smtp://127.0.0.1:25");
	CHECK_STR(cfg.mail_from, "compromisos@icommit.example.org");
	CHECK_INT(cfg.rate_limit, 30);
	CHECK_STR(config_show(&cfg, "trusted_proxies", buf, sizeof(buf)),
	    "127.0.0.1/32,::1/128");
	CHECK_INT(cfg.session_hours, 12);
	CHECK_INT(cfg.retention_days, 730);

	/* config_parse works over the values already in cfg. */
	check_context("parse over earlier values");
	CHECK_INT(config_parse(&cfg, NAME, "threads = 3\n", 12, err,
	    sizeof(err)), 0);
	CHECK_INT(cfg.threads, 3);
	CHECK_INT(cfg.rate_limit, 30);
	check_context("%s", "");
}

static void
test_load(void)
{
	struct config cfg;
	char	      err[512], prefix[128];
	const char   *path;

	check_context("config_load on a missing file");
	memset(err, 0, sizeof(err));
	CHECK_INT(config_load(&cfg, "/nonexistent/icommit.conf", err,
	    sizeof(err)), -1);
	CHECK(strncmp(err, "/nonexistent/icommit.conf", 25) == 0);
	CHECK(strchr(err, '\n') == NULL);

	check_context("config_load on a good file");
	path = check_temp_file("threads = 3\nmoderation = no\n");
	CHECK_INT(config_load(&cfg, path, err, sizeof(err)), 0);
	CHECK_INT(cfg.threads, 3);
	CHECK(!cfg.moderation);
	CHECK_STR(cfg.database, "icommit.db"); /* defaults first */
	unlink(path);

	check_context("config_load names the file and line");
	path = check_temp_file("threads = 3\n\nverify_email = sometimes\n");
	CHECK_INT(config_load(&cfg, path, err, sizeof(err)), -1);
	snprintf(prefix, sizeof(prefix), "%s:3: ", path);
	CHECK(strncmp(err, prefix, strlen(prefix)) == 0);
	CHECK(strstr(err, "verify_email") != NULL);
	unlink(path);
	check_context("%s", "");
}

int
main(void)
{
	test_defaults();
	test_good();
	test_bad();
	test_bad_built();
	test_whole_file();
	test_load();
	return check_done();
}
