/*
 * icommitctl_staff.c: the commands staff need outside the console: staff
 * accounts (add, password, list, disable, enable), creating an event (with
 * its agenda and speakers) from JSON, and sending a newsletter issue from a
 * JSON file.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "icommitctl.h"
#include "newsletter.h"
#include "store_staff.h"
#include "token.h"

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

int
cmd_user(int argc, char **argv)
{
	struct arena  arena = { 0 };
	struct store *s;
	struct user   u;
	char	      pw[1100], hash[PASSWORD_HASH_MAX];
	enum db_err   e;
	int	      rc = 1;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		if ((s = ctl_store_open()) == NULL)
			return 1;
		e = store_user_list(s, &arena, print_user, NULL);
		store_close(s);
		arena_free(&arena);
		return e == DB_OK ? 0 : ctl_fail(db_strerror(e));
	}
	if (argc != 3)
		ctl_usage();
	const char *name = argv[2];
	size_t	    nlen = strlen(name);
	if (nlen < 1 || nlen > 64 || strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
	    != nlen)
		return ctl_fail("user names are 1-64 letters, digits and . _ @ -");
	if ((s = ctl_store_open()) == NULL)
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
			ctl_fail("cannot hash the password (out of memory?)");
			goto out;
		}
		sodium_memzero(pw, sizeof(pw));
		e = add ? store_user_add(s, name, hash) :
		    store_user_set_password(s, name, hash);
		if (e != DB_OK) {
			ctl_fail(db_strerror(e));
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
		ctl_usage();
	}
	rc = 0;
out:
	store_close(s);
	arena_free(&arena);
	return rc;
}

struct event_add {
	struct event		   *ev;
	struct event_details_input *details;
};

/* The event and its agenda and speakers, in one transaction. */
static enum db_err
event_add_tx(struct store *s, void *arg)
{
	struct event_add *j = arg;
	enum db_err	  e = store_event_add(s, j->ev);

	if (e == DB_OK)
		e = event_details_save(s, j->ev->id, j->details);
	return e;
}

int
cmd_event(int argc, char **argv)
{
	struct arena		   arena = { 0 };
	struct fields		   f = { .arena = &arena };
	struct event		   ev = { 0 }, old;
	struct event_details_input details;
	struct event_add	   job = { &ev, &details };
	struct store		  *s = NULL;
	json_error_t		   jerr;
	enum db_err		   e;
	int			   rc = 1;

	if (argc != 3 || strcmp(argv[1], "add") != 0)
		ctl_usage();
	ev.slug = argv[2];
	if (!slug_valid(ev.slug))
		return ctl_fail("the slug must be 1-64 of a-z, 0-9 and -");
	f.in = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(f.in)) {
		fprintf(stderr, "icommitctl: standard input: not a JSON object "
		    "(line %d: %s)\n", jerr.line, jerr.text);
		goto out;
	}
	event_fields(&f, &ev, true);
	event_details_fields(&f, &ev, &details);
	if (!fields_ok(&f)) {
		char *why = json_dumps(f.errors, JSON_COMPACT);

		fprintf(stderr, "icommitctl: invalid event: %s\n", why);
		free(why);
		goto out;
	}
	if ((s = ctl_store_open()) == NULL)
		goto out;
	e = store_event_get(s, &arena, ev.slug, &old);
	if (e == DB_OK) {
		fprintf(stderr, "icommitctl: event %s exists\n", ev.slug);
		goto out;
	}
	if (e == DB_NOTFOUND) {
		if (ctl_tx(s, event_add_tx, &job, "event add") != DB_OK)
			goto out;
	} else if (e != DB_OK) {
		ctl_fail(db_strerror(e));
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

int
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
		ctl_usage();
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
	if ((s = ctl_store_open()) == NULL ||
	    ctl_tx(s, newsletter_send_tx, &n, "newsletter") != DB_OK)
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

