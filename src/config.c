/*
 * config.c: the configuration file parser (see config.h). Each key has one
 * row in the table below: its name, its kind and where it goes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "validate.h"

enum config_kind {
	KIND_STRING,	/* any non-empty text */
	KIND_TEXT,	/* one line of UTF-8 text, at most max code points */
	KIND_PATH,	/* a file name */
	KIND_LISTEN,	/* unix:/path or host:port */
	KIND_URL,	/* http:// or https:// */
	KIND_SMTP,	/* smtp:// or smtps:// */
	KIND_EMAIL,	/* an address for From: */
	KIND_BOOL,	/* yes/no */
	KIND_INT,	/* decimal within [min, max] */
	KIND_OCTAL,	/* a file mode */
	KIND_PROXIES,	/* list of addresses or CIDR ranges */
};

struct config_key {
	const char	*name;
	enum config_kind kind;
	size_t		 offset;
	long		 min, max;
};

#define OFF(f) offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "database", KIND_PATH, OFF(database), 0, 0 },
	{ "listen", KIND_LISTEN, OFF(listen), 0, 0 },
	{ "socket_mode", KIND_OCTAL, OFF(socket_mode), 0, 0777 },
	{ "threads", KIND_INT, OFF(threads), 1, 256 },
	{ "base_url", KIND_URL, OFF(base_url), 0, 0 },
	{ "verify_email", KIND_BOOL, OFF(verify_email), 0, 0 },
	{ "moderation", KIND_BOOL, OFF(moderation), 0, 0 },
	{ "smtp_url", KIND_SMTP, OFF(smtp_url), 0, 0 },
	{ "mail_from", KIND_EMAIL, OFF(mail_from), 0, 0 },
	{ "rate_limit", KIND_INT, OFF(rate_limit), 0, 1000000 },
	{ "trusted_proxies", KIND_PROXIES, OFF(trusted_proxies), 0, 0 },
	{ "session_hours", KIND_INT, OFF(session_hours), 1, 24 * 365 },
	{ "retention_days", KIND_INT, OFF(retention_days), 0, 36500 },
	{ "comment_notify", KIND_BOOL, OFF(comment_notify), 0, 0 },
	{ "mail_lease", KIND_INT, OFF(mail_lease), 10, 3600 },
	{ "organiser_name", KIND_TEXT, OFF(organiser_name), 1, 200 },
	{ "organiser_url", KIND_URL, OFF(organiser_url), 0, 0 },
	{ "contact_email", KIND_EMAIL, OFF(contact_email), 0, 0 },
	{ "partners_file", KIND_PATH, OFF(partners_file), 0, 0 },
};
#define CONFIG_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->database, "icommit.db");
	cfg->socket_mode = 0660;
	cfg->threads = 4;
	strcpy(cfg->base_url, "http://localhost:8080");
	cfg->verify_email = true;
	cfg->moderation = true;
	strcpy(cfg->mail_from, "icommit@localhost");
	cfg->rate_limit = 20;
	cidr_parse("127.0.0.1", 9, &cfg->trusted_proxies[0]);
	cfg->trusted_proxies_count = 1;
	cfg->session_hours = 8;
	cfg->retention_days = 0;
	cfg->comment_notify = true;
	cfg->mail_lease = 120;
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Parses a list "a, b c/24" into cfg->trusted_proxies; NULL or a problem. */
static const char *
parse_proxies(struct config *cfg, const char *v)
{
	size_t n = 0;

	if (strcmp(v, "none") == 0) {
		cfg->trusted_proxies_count = 0;
		return NULL;
	}
	while (*v != '\0') {
		size_t len;

		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		len = strcspn(v, " \t,");
		if (len == 0)
			break;
		if (n == CONFIG_PROXIES)
			return "too many trusted_proxies (at most 32)";
		if (cidr_parse(v, len, &cfg->trusted_proxies[n]) != 0)
			return "not an IP address or CIDR range";
		n++;
		v += len;
	}
	cfg->trusted_proxies_count = n;
	return NULL;
}

/* Stores value v for key k; returns NULL or a description of the problem. */
static const char *
config_set(struct config *cfg, const struct config_key *k, const char *v)
{
	char *field = (char *)cfg + k->offset;
	char *end;
	long  n;

	switch (k->kind) {
	case KIND_TEXT: {
		size_t cps;

		if (strlen(v) >= CONFIG_STR)
			return "value too long";
		if (text_check(v, strlen(v), false, &cps) != TEXT_OK)
			return "not UTF-8 text without control characters";
		if (cps < (size_t)k->min || cps > (size_t)k->max) {
			static __thread char msg[80];

			snprintf(msg, sizeof(msg), "expected %ld to %ld "
			    "characters", k->min, k->max);
			return msg;
		}
		strcpy(field, v);
		return NULL;
	}
	case KIND_STRING:
	case KIND_PATH:
	case KIND_LISTEN:
	case KIND_URL:
	case KIND_SMTP:
	case KIND_EMAIL:
		if (strlen(v) >= CONFIG_STR)
			return "value too long";
		if (k->kind == KIND_LISTEN && *v != '\0' &&
		    !(starts_with(v, "unix:/") ||
		    (strchr(v, ':') != NULL && !starts_with(v, "unix:"))))
			return "expected unix:/path or host:port";
		if (k->kind == KIND_LISTEN && !starts_with(v, "unix:") &&
		    *v != '\0') {
			const char *port = strrchr(v, ':') + 1;

			errno = 0;
			n = strtol(port, &end, 10);
			if (*port == '\0' || *end != '\0' || n < 1 ||
			    n > 65535 || errno != 0)
				return "expected a port number 1-65535 after ':'";
		}
		if (k->kind == KIND_URL && !starts_with(v, "http://") &&
		    !starts_with(v, "https://"))
			return "expected an http:// or https:// URL";
		if (k->kind == KIND_SMTP && *v != '\0' &&
		    !starts_with(v, "smtp://") && !starts_with(v, "smtps://"))
			return "expected an smtp:// or smtps:// URL";
		if ((k->kind == KIND_URL || (k->kind == KIND_SMTP && *v)) &&
		    strspn(strstr(v, "://") + 3, "/") ==
		    strlen(strstr(v, "://") + 3))
			return "the URL has no host";
		if (k->kind == KIND_EMAIL && (strchr(v, '@') == NULL ||
		    strpbrk(v, " <>\"\r\n") != NULL))
			return "expected an e-mail address";
		if (k->kind == KIND_PATH && *v == '\0')
			return "empty value";
		strcpy(field, v);
		if (k->kind == KIND_URL) {
			size_t len = strlen(field);

			while (len > 0 && field[len - 1] == '/')
				field[--len] = '\0';
		}
		return NULL;
	case KIND_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "on") == 0)
			*(bool *)field = true;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0 ||
		    strcmp(v, "off") == 0)
			*(bool *)field = false;
		else
			return "expected yes or no";
		return NULL;
	case KIND_INT:
	case KIND_OCTAL:
		errno = 0;
		n = strtol(v, &end, k->kind == KIND_OCTAL ? 8 : 10);
		if (*v == '\0' || *end != '\0' || errno != 0 ||
		    n < k->min || n > k->max) {
			static __thread char msg[80];

			snprintf(msg, sizeof(msg), k->kind == KIND_OCTAL ?
			    "expected an octal mode from %lo to %lo" :
			    "expected a whole number from %ld to %ld",
			    k->min, k->max);
			return msg;
		}
		if (k->kind == KIND_OCTAL)
			*(unsigned *)field = (unsigned)n;
		else
			*(int *)field = (int)n;
		return NULL;
	case KIND_PROXIES:
		return parse_proxies(cfg, v);
	}
	return "unknown kind";
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
config_parse(struct config *cfg, const char *name, const char *buf,
    size_t len, char *err, size_t errlen)
{
	bool   seen[CONFIG_KEYS] = { false };
	size_t pos = 0;
	int    lineno = 0;
	char   line[CONFIG_STR + 256];

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t	    llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		char	   *key, *val, *eq, *p;
		size_t	    i;

		lineno++;
		if (llen >= sizeof(line)) {
			snprintf(err, errlen, "%s:%d: line too long", name,
			    lineno);
			return -1;
		}
		memcpy(line, buf + pos, llen);
		line[llen] = '\0';
		pos += llen + (nl ? 1 : 0);
		if (strlen(line) != llen) {
			snprintf(err, errlen, "%s:%d: NUL byte in line", name,
			    lineno);
			return -1;
		}
		/* A '#' at the start or after white space begins a comment. */
		for (p = line; *p != '\0'; p++)
			if (*p == '#' && (p == line || is_space(p[-1]))) {
				*p = '\0';
				break;
			}
		for (key = line; is_space(*key); key++)
			;
		p = key + strlen(key);
		while (p > key && is_space(p[-1]))
			*--p = '\0';
		if (*key == '\0')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value",
			    name, lineno);
			return -1;
		}
		for (val = eq + 1; is_space(*val); val++)
			;
		for (p = eq; p > key && is_space(p[-1]); p--)
			;
		*p = '\0';
		for (i = 0; i < CONFIG_KEYS; i++)
			if (strcmp(config_keys[i].name, key) == 0)
				break;
		if (i == CONFIG_KEYS) {
			snprintf(err, errlen, "%s:%d: unknown key '%.64s'", name,
			    lineno, key);
			return -1;
		}
		if (seen[i]) {
			snprintf(err, errlen, "%s:%d: '%s' is set twice", name,
			    lineno, key);
			return -1;
		}
		seen[i] = true;
		const char *problem = config_set(cfg, &config_keys[i], val);
		if (problem != NULL) {
			snprintf(err, errlen, "%s:%d: %s: %s", name, lineno, key,
			    problem);
			return -1;
		}
	}
	return 0;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	FILE  *f;
	char  *buf = NULL;
	size_t len = 0, cap = 0, n;
	int    rc;

	config_defaults(cfg);
	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			if (cap >= (1u << 20)) {
				snprintf(err, errlen, "%s: file too large", path);
				rc = -1;
				goto out;
			}
			cap = cap ? cap * 2 : 8192;
			char *nbuf = realloc(buf, cap);
			if (nbuf == NULL) {
				snprintf(err, errlen, "%s: out of memory", path);
				rc = -1;
				goto out;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path,
		    strerror(errno));
		rc = -1;
		goto out;
	}
	rc = config_parse(cfg, path, buf, len, err, errlen);
out:
	free(buf);
	fclose(f);
	return rc;
}
