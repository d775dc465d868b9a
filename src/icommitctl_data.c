/*
 * icommitctl_data.c: the commands on the campaign's data: moderating a
 * pledge, the CSV exports (the same table and bytes as the staff
 * downloads), erasing a person and the retention purge, recounting the
 * counters and seat counts, and the mail queue (with each mail's recipient
 * and subject).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exports.h"
#include "icommitctl.h"
#include "log.h"
#include "outbox.h"
#include "pledges.h"
#include "privacy.h"
#include "store_events.h"
#include "store_outbox.h"
#include "store_staff.h"

/* A decision, refused (and rolled back) when the author never confirmed. */
static enum db_err
moderate_tx(struct store *s, void *arg)
{
	struct moderation *m = arg;
	enum db_err	   e = moderation_tx(s, m);

	return e == DB_OK && m->unconfirmed ? DB_ERROR : e;
}

int
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
		ctl_usage();
	m.approve = strcmp(argv[1], "approve") == 0;
	m.id = strtoll(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || m.id <= 0)
		ctl_usage();
	if ((s = ctl_store_open()) == NULL)
		return 1;
	e = ctl_tx(s, moderate_tx, &m, NULL);
	if (e != DB_OK || m.unconfirmed) {
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

/* One count a recount corrected: a campaign's counter or an event's seats. */
struct drift {
	bool	    seats;	/* an event's, else a campaign's */
	const char *slug;
	int64_t	    stored, actual;
};

/* What a recount found, printed once its transaction has committed. */
struct recount {
	struct arena *arena;
	struct drift *drift;
	size_t	      n, cap;
	bool	      seats;	/* which counts fn is given now */
	int64_t	      tallies;
};

static void
recount_drift(const char *slug, int64_t stored, int64_t actual, void *arg)
{
	struct recount *r = arg;
	struct drift   *d = arena_push(r->arena, &r->drift, &r->n, &r->cap,
	    sizeof(*d));

	*d = (struct drift){ r->seats, arena_strdup(r->arena, slug), stored,
		actual };
}

/* The counters and tallies, then the events' seats, in one transaction. */
static enum db_err
recount_tx(struct store *s, void *arg)
{
	struct recount *r = arg;
	enum db_err	e;

	r->n = 0;	/* a run again (ctl_tx) */
	r->seats = false;
	if ((e = store_recount(s, recount_drift, r, &r->tallies)) != DB_OK)
		return e;
	r->seats = true;
	return store_event_recount(s, recount_drift, r);
}

int
cmd_recount(int argc, char **argv)
{
	struct arena	arena = { 0 };
	struct recount	r = { .arena = &arena };
	struct store   *s;
	enum db_err	e;

	(void)argv;
	if (argc != 1)
		ctl_usage();
	if ((s = ctl_store_open()) == NULL)
		return 1;
	e = ctl_tx(s, recount_tx, &r, NULL);
	store_close(s);
	if (e != DB_OK) {
		arena_free(&arena);
		return ctl_fail(db_strerror(e));
	}
	for (size_t i = 0; i < r.n; i++)
		printf(r.drift[i].seats ?
		    "event %s: seat count was %lld, registrations say %lld "
		    "(fixed)\n" :
		    "campaign %s: counter was %lld, pledges say %lld (fixed)\n",
		    r.drift[i].slug, (long long)r.drift[i].stored,
		    (long long)r.drift[i].actual);
	if (r.tallies > 0)
		printf("%lld tally rows differed (fixed)\n",
		    (long long)r.tallies);
	if (r.n == 0 && r.tallies == 0)
		printf("no drift: counters, tallies and seat counts match the "
		    "pledges and registrations\n");
	arena_free(&arena);
	return 0;
}

/* Prints s with tabs and line ends as spaces, so that a row stays a row. */
static void
print_cell(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		putchar(*s == '\t' || *s == '\r' || *s == '\n' ? ' ' : *s);
}

struct mail_rows {
	struct arena *arena;
	int	      n;
};

/* One row: the recipient is shown to the operator here, on purpose, and
 * nowhere in any log. */
static int
print_mail(const struct outbox_mail *m, void *arg)
{
	struct mail_rows *rows = arg;
	char		  created[TIME_RFC3339_LEN], next[TIME_RFC3339_LEN];

	time_format(m->created_at, created);
	time_format(m->next_attempt_at, next);
	printf("%lld\t%s\t%s\t%d\t%s\t", (long long)m->id, m->kind, created,
	    m->attempts, next);
	print_cell(m->recipient);
	putchar('\t');
	print_cell(outbox_subject(rows->arena, m->kind, m->vars, m->message,
	    m->len));
	putchar('\t');
	print_cell(m->last_error);
	putchar('\n');
	rows->n++;
	return 0;
}

int
cmd_mail_queue(int argc, char **argv)
{
	struct arena	 arena = { 0 };
	struct mail_rows rows = { .arena = &arena };
	struct store	*s;
	enum db_err	 e;

	(void)argv;
	if (argc != 1)
		ctl_usage();
	if ((s = ctl_store_open()) == NULL)
		return 1;
	printf("id\tkind\tqueued\tattempts\tnext attempt\trecipient\t"
	    "subject\tlast error\n");
	e = store_outbox_pending(s, &arena, print_mail, &rows);
	store_close(s);
	arena_free(&arena);
	if (e != DB_OK)
		return ctl_fail(db_strerror(e));
	printf("%d mail%s waiting\n", rows.n, rows.n == 1 ? "" : "s");
	return 0;
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

/* An export's option names: "--NAME VALUE" for each of its parameters,
 * --sep, --no-bom and -o. */
static bool
export_takes(const struct export *x, const char *name)
{
	for (size_t i = 0; x->params[i] != NULL; i++)
		if (strcmp(x->params[i], name) == 0)
			return true;
	return strcmp(name, "sep") == 0;
}

int
cmd_export(int argc, char **argv)
{
	const struct export *x;
	struct kv	     pairs[FORM_MAX_PAIRS];
	struct kvlist	     q = { pairs, 0 };
	struct arena	     arena = { 0 };
	struct file_sink     fs = { stdout, 0, false, 0 };
	struct export_params p = { .arena = &arena, .q = &q };
	struct csv	    *c;
	struct store	    *s;
	const char	    *out = NULL;
	char		     sep;
	bool		     bom;
	uint64_t	     rows;
	enum db_err	     e;
	int		     rc = 1;

	if (argc < 2 || (x = exports_find(argv[1])) == NULL)
		ctl_usage();
	/* The options become the pairs of the HTTP export's query string,
	 * read by the same reader: --campaign S is ?campaign=S. */
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (q.count == FORM_MAX_PAIRS)
			ctl_usage();
		if (strcmp(a, "--no-bom") == 0) {
			pairs[q.count++] = (struct kv){ "bom", "0", 3, 1 };
			continue;
		}
		if (v == NULL)
			ctl_usage();
		i++;
		if (strcmp(a, "-o") == 0)
			out = v;
		else if (strncmp(a, "--", 2) == 0 && export_takes(x, a + 2))
			pairs[q.count++] = (struct kv){ a + 2, v, strlen(a + 2),
			    strlen(v) };
		else
			ctl_usage();
	}
	if (export_format(&q, &sep, &bom) != 0)
		ctl_usage();
	if ((s = ctl_store_open()) == NULL)
		return 1;
	p.store = s;
	if (export_params_read(x, &p) != 0) {
		if (p.e == DB_OK) {
			fprintf(stderr, "icommitctl: export %s: bad --%s\n",
			    x->name, p.bad);
			store_close(s);
			arena_free(&arena);
			ctl_usage();
		}
		fprintf(stderr, "icommitctl: %s %s: %s\n", p.bad,
		    form_get(&q, p.bad)->value, p.e == DB_NOTFOUND ?
		    "not found" : db_strerror(p.e));
		goto out;
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
	e = export_write(s, x, p.query, c, &rows);
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
		    (unsigned long long)rows, x->name, out);
	rc = 0;
out:
	store_close(s);
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

	memset(&x->rep, 0, sizeof(x->rep));	/* a run again (ctl_tx) */
	e = x->email != NULL ?
	    privacy_erase_person(s, x->arena, x->email, now_unix(), &x->rep) :
	    privacy_purge(s, &ctl_cfg, now_unix(), &x->rep);
	if (e == DB_OK)
		e = store_audit_add(s, "(icommitctl)", x->email != NULL ?
		    "erase" : "purge", NULL, NULL);
	return e;
}

/* erase EMAIL and purge: one transaction, then the WAL is emptied so no
 * old copy of a page keeps what was removed. */
int
cmd_erase(int argc, char **argv)
{
	struct arena	 arena = { 0 };
	struct erase_ctl x = { .arena = &arena };
	struct store	*s;
	int		 rc = 1;

	if (strcmp(argv[0], "erase") == 0) {
		if (argc != 2)
			ctl_usage();
		if (!email_valid(argv[1], strlen(argv[1])))
			return ctl_fail("not an e-mail address");
		x.email = argv[1];
		for (char *p = argv[1]; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	} else if (argc != 1)
		ctl_usage();
	if ((s = ctl_store_open()) == NULL)
		return 1;
	if (ctl_tx(s, erase_ctl_tx, &x, x.email != NULL ? "erase" :
	    "purge") == DB_OK) {
		store_checkpoint_truncate(s);
		privacy_report_print(stdout, x.email != NULL ? "erased: " :
		    "purged: ", &x.rep);
		rc = 0;
	}
	store_close(s);
	arena_free(&arena);
	return rc;
}

