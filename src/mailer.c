/*
 * mailer.c: delivering the outbox over SMTP with libcurl (see mailer.h).
 * Each round takes the mail that is due, sends it on one reused curl
 * handle, and records success (the message text is then deleted) or the
 * time of the next attempt: all of a round's results in one job of the
 * group-commit writer (a crash before that commit sends those mails again:
 * delivery is at least once, as before). After a failed attempt the thread
 * waits a second before it looks again, whatever commits wake it. It only
 * sends: the jobs that queue mail on a timetable are the scheduler's.
 *
 * Several nodes on one PostgreSQL database: each round claims its mail
 * for mail_lease seconds (store_outbox_due), so that no two nodes send
 * one mail. The round sends a mail only while its lease has
 * MAILER_LEASE_MARGIN seconds left, and no transfer outlasts the lease
 * (curl's timeouts), so a mail goes twice only when its node died after
 * sending it and before recording it; what a round did not get to is
 * released for any node. A dead node's claims wait for their lease.
 */
#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "log.h"
#include "mailer.h"
#include "outbox.h"
#include "store.h"
#include "store_outbox.h"
#include "writer.h"

#define MAILER_BATCH	 32
#define MAILER_IDLE_SECS 5
/* A transfer's limits (seconds): connecting, and the whole of it. */
#define MAILER_CONNECT_SECS 10
#define MAILER_SEND_SECS    60
/* The least lease (seconds) a mail must have left to be sent. */
#define MAILER_LEASE_MARGIN 5

struct mailer {
	const struct config *cfg;
	struct store	    *store;
	struct writer	    *writer;
	pthread_t	     thread;
	pthread_mutex_t	     lock;
	pthread_cond_t	     cond;
	bool		     stopping;
	bool		     woken;
	CURL		    *curl;
	struct arena	     arena;
	unsigned	     generation;	/* of store */
	char		     node[300];		/* host:pid, for claims */
};

struct upload {
	const char *data;
	size_t	    len, pos;
};

struct due {
	struct outbox_mail mail[MAILER_BATCH];
	int		   n;
};

int64_t
mailer_backoff(int attempts)
{
	int64_t s = 2;

	for (int i = 1; i < attempts && s < 600; i++)
		s *= 2;
	return s > 600 ? 600 : s;
}

static size_t
upload_read(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t	       n = size * nmemb;

	if (n > u->len - u->pos)
		n = u->len - u->pos;
	memcpy(buf, u->data + u->pos, n);
	u->pos += n;
	return n;
}

/* Sends one message within secs seconds; returns 0 or -1 with a reason
 * in err. */
static int
smtp_send(struct mailer *m, const struct outbox_mail *mail, long secs,
    char *err, size_t errlen)
{
	struct curl_slist *rcpt = NULL;
	struct upload	   u = { mail->message, mail->len, 0 };
	char		   to[300];
	CURLcode	   rc;

	snprintf(to, sizeof(to), "<%s>", mail->recipient);
	rcpt = curl_slist_append(NULL, to);
	if (rcpt == NULL)
		log_fatal("out of memory");
	curl_easy_setopt(m->curl, CURLOPT_URL, m->cfg->smtp_url);
	curl_easy_setopt(m->curl, CURLOPT_MAIL_FROM, m->cfg->mail_from);
	curl_easy_setopt(m->curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(m->curl, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(m->curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(m->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(m->curl, CURLOPT_INFILESIZE_LARGE,
	    (curl_off_t)mail->len);
	curl_easy_setopt(m->curl, CURLOPT_CONNECTTIMEOUT,
	    secs < MAILER_CONNECT_SECS ? secs : (long)MAILER_CONNECT_SECS);
	curl_easy_setopt(m->curl, CURLOPT_TIMEOUT, secs);
	curl_easy_setopt(m->curl, CURLOPT_NOSIGNAL, 1L);
	if (strncmp(m->cfg->smtp_url, "smtp://", 7) == 0)
		curl_easy_setopt(m->curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	rc = curl_easy_perform(m->curl);
	curl_slist_free_all(rcpt);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

static int
collect_due(const struct outbox_mail *mail, void *arg)
{
	struct due *d = arg;

	d->mail[d->n++] = *mail;
	return d->n == MAILER_BATCH;
}

/* What a round did with each mail, recorded by mailer_record_tx. */
struct outcome {
	int64_t	    id;
	bool	    sent;
	bool	    released;	/* not tried: its claim dropped */
	int64_t	    at;		/* sent at, or the next attempt */
	const char *error;	/* in the mailer's arena */
};

struct outcomes {
	struct outcome o[MAILER_BATCH];
	int	       n;
};

/* The writer job of a round: marks each mail sent or due again later. */
static enum db_err
mailer_record_tx(struct store *s, void *arg)
{
	struct outcomes *oc = arg;
	enum db_err	 e;

	for (int i = 0; i < oc->n; i++) {
		const struct outcome *o = &oc->o[i];

		e = o->sent ? store_outbox_sent(s, o->id, o->at) :
		    o->released ? store_outbox_release(s, o->id) :
		    store_outbox_retry(s, o->id, o->at, o->error);
		if (e != DB_OK)
			return e;
	}
	return DB_OK;
}

/*
 * One round: sends what is due. Returns how many were due; *failed is set
 * when a delivery failed (the relay is likely down).
 */
static int
mailer_round(struct mailer *m, bool *failed)
{
	struct due	d = { .n = 0 };
	struct outcomes oc = { .n = 0 };
	int64_t	    now = now_unix();
	/* The lease ends no sooner than this (monotonic µs): it started on
	 * the database's clock after this moment. */
	int64_t	    lease_end = mono_us() + (int64_t)m->cfg->mail_lease *
		1000000;
	bool	    erased = false, shared;
	enum db_err e;
	int	    i;

	arena_reset(&m->arena);
	store_refresh(&m->store, &m->generation, m->cfg->database);
	shared = store_shared(m->store);
	e = store_outbox_due(m->store, &m->arena, now, MAILER_BATCH, m->node,
	    m->cfg->mail_lease, collect_due, &d);
	if (e != DB_OK)
		return 0;
	for (i = 0; i < d.n; i++) {
		struct outbox_mail	 *mail = &d.mail[i];
		char			  err[256];
		long			  secs = MAILER_SEND_SECS;
		struct outcome		 *o;

		if (shared) {
			secs = (long)((lease_end - mono_us()) / 1000000) - 1;
			if (secs < MAILER_LEASE_MARGIN)
				break;	/* the rest is released below */
			if (secs > MAILER_SEND_SECS)
				secs = MAILER_SEND_SECS;
		}
		o = &oc.o[oc.n++];
		o->id = mail->id;
		/* A template mail queued as its variables: rendered now. */
		if (mail->len == 0) {
			char *msg;

			if (mail->vars == NULL || outbox_compose(&m->arena,
			    m->cfg, mail->kind, mail->recipient, mail->vars,
			    mail->ics, &msg, &mail->len) != 0) {
				log_error("mail %lld (%s) cannot be rendered",
				    (long long)mail->id, mail->kind);
				o->at = now_unix() +
				    mailer_backoff(mail->attempts + 1);
				o->error = "cannot be rendered";
				continue;
			}
			mail->message = msg;
		}
		if (smtp_send(m, mail, secs, err, sizeof(err)) == 0) {
			o->sent = true;
			o->at = now_unix();
			if (strcmp(mail->kind, "privacy_erased") == 0)
				erased = true;
		} else {
			int64_t wait = mailer_backoff(mail->attempts + 1);

			log_error("mail %lld not delivered (attempt %d), "
			    "retry in %llds: %s", (long long)mail->id,
			    mail->attempts + 1, (long long)wait, err);
			o->at = now_unix() + wait;
			o->error = arena_strdup(&m->arena, err);
			/* The server is likely down: stop this round. */
			*failed = true;
			i++;
			break;
		}
	}
	/* What the round did not get to goes back to every node at once. */
	for (; shared && i < d.n; i++) {
		struct outcome *o = &oc.o[oc.n++];

		o->id = d.mail[i].id;
		o->released = true;
	}
	if (oc.n > 0 && (e = writer_run(m->writer, mailer_record_tx,
	    &oc)) != DB_OK)
		log_error("%d mails not marked (they will be sent again): %s",
		    oc.n, db_strerror(e));
	/* The last mail to an erased person: once recorded, its row keeps
	 * no address; empty the WAL, which still has the old copy. */
	else if (erased)
		store_checkpoint_truncate(m->store);
	return d.n;
}

static void *
mailer_main(void *arg)
{
	struct mailer *m = arg;

	for (;;) {
		struct timespec until;
		int		n;
		bool		failed = false;

		pthread_mutex_lock(&m->lock);
		if (m->stopping) {
			pthread_mutex_unlock(&m->lock);
			break;
		}
		m->woken = false;
		pthread_mutex_unlock(&m->lock);

		n = mailer_round(m, &failed);

		pthread_mutex_lock(&m->lock);
		if (n < MAILER_BATCH || failed || m->stopping) {
			clock_gettime(CLOCK_REALTIME, &until);
			/* Retries fall due on whole seconds: look every second
			 * while mail waits, else sleep until woken. After a
			 * failure, commits (new mail) do not wake it: the relay
			 * gets its second. */
			until.tv_sec += n > 0 ? 1 : MAILER_IDLE_SECS;
			if (failed)
				m->woken = false;
			while ((failed || !m->woken) && !m->stopping)
				if (pthread_cond_timedwait(&m->cond, &m->lock,
				    &until) != 0)
					break;
		}
		pthread_mutex_unlock(&m->lock);
	}
	return NULL;
}

struct mailer *
mailer_start(const struct config *cfg, struct writer *writer, char *err,
    size_t errlen)
{
	struct mailer *m = calloc(1, sizeof(*m));

	if (m == NULL)
		log_fatal("out of memory");
	m->cfg = cfg;
	m->writer = writer;
	if (gethostname(m->node, sizeof(m->node) - 24) != 0)
		snprintf(m->node, sizeof(m->node), "localhost");
	m->node[sizeof(m->node) - 24] = '\0';
	snprintf(m->node + strlen(m->node), 24, ":%ld", (long)getpid());
	m->store = store_open(cfg->database, false, false, err, errlen);
	if (m->store == NULL) {
		free(m);
		return NULL;
	}
	m->generation = store_generation();
	m->curl = curl_easy_init();
	if (m->curl == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		store_close(m->store);
		free(m);
		return NULL;
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	if (pthread_create(&m->thread, NULL, mailer_main, m) != 0) {
		snprintf(err, errlen, "cannot start the mailer thread");
		curl_easy_cleanup(m->curl);
		store_close(m->store);
		free(m);
		return NULL;
	}
	return m;
}

void
mailer_wake(void *arg)
{
	struct mailer *m = arg;

	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	m->woken = true;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

void
mailer_stop(struct mailer *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	m->stopping = true;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	curl_easy_cleanup(m->curl);
	store_close(m->store);
	arena_free(&m->arena);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cond);
	free(m);
}
