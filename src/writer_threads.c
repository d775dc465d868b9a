/*
 * writer_threads.c: the writer's three helper threads (see writer_impl.h).
 * The sync thread makes committed batches durable (one fdatasync for all
 * that came since the last) and only then finishes their jobs
 * (writer_deliver); the reply thread calls the done() callbacks of
 * finished writer_submit jobs, in commit order, while the writer commits
 * the next batch; the checkpoint thread copies the WAL back on its own
 * connection (PASSIVE, never blocking the writer) and trims free memory
 * when the writer falls idle.
 */
#define _GNU_SOURCE	/* pthread_setname_np, gettid */
#include <sys/resource.h>

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "store.h"
#include "writer_impl.h"

/*
 * After a burst: gives the writer connection's page cache back to the
 * allocator (the checkpoint thread then gives free memory back to the
 * system), so that the daemon's idle RSS does not stay at its peak.
 */
void
writer_release_memory(struct writer *w)
{
	store_release_memory(w->store);
	/* At once, not only after the idle checkpoint: that one can take
	 * seconds after a long burst (a large WAL to copy back). */
	malloc_trim(0);
}

/*
 * Names the calling thread and, for the writer, sync and reply threads,
 * raises its priority to WRITER_NICE (Linux: nice is per thread); says
 * once when it may not.
 */
void
writer_thread_init(struct writer *w, const char *name)
{
	int err;

	pthread_setname_np(pthread_self(), name);
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), WRITER_NICE) == 0)
		return;
	err = errno;
	pthread_mutex_lock(&w->lock);
	if (!w->nice_refused) {
		w->nice_refused = true;
		log_info("the writer's threads run at the default priority "
		    "(setpriority %d: %s; see LimitNICE in the deploy unit)",
		    WRITER_NICE, strerror(err));
	}
	pthread_mutex_unlock(&w->lock);
}

/* The reply thread: calls done() of every finished writer_submit job, in
 * commit order, until writer_stop has drained the writer. */
void *
writer_reply_main(void *arg)
{
	struct writer *w = arg;

	writer_thread_init(w, "replies");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct writer_job *list;

		while (w->rhead == NULL && !w->reply_stop)
			pthread_cond_wait(&w->replies, &w->lock);
		if (w->rhead == NULL)
			break;
		list = w->rhead;
		w->rhead = w->rtail = NULL;
		pthread_mutex_unlock(&w->lock);
		/* A batch's access-log lines in one write, not one each. */
		log_hold_begin();
		for (struct writer_job *j = list, *next; j != NULL; j = next) {
			next = j->next;	/* done() may free j */
			j->next = NULL;
			j->done(j);
		}
		log_hold_end();
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Finishes the jobs of list, which are durable (or failed): wakes their
 * writer_run callers, hands the writer_submit ones to the reply thread,
 * and calls the notify function. Called and returns locked (unlocks
 * around notify).
 */
void
writer_deliver(struct writer *w, struct writer_job *list)
{
	for (struct writer_job *j = list, *next; j != NULL; j = next) {
		next = j->next;
		j->next = NULL;
		if (j->done == NULL) {
			j->finished = true;
			continue;
		}
		if (w->rtail != NULL)
			w->rtail->next = j;
		else
			w->rhead = j;
		w->rtail = j;
	}
	pthread_cond_broadcast(&w->done);
	pthread_cond_signal(&w->replies);
	if (w->notify != NULL) {
		writer_notify_fn fn = w->notify;
		void		*fn_arg = w->notify_arg;

		/* writer_set_notify waits for this call to end. */
		w->notifying = true;
		pthread_mutex_unlock(&w->lock);
		fn(fn_arg);
		pthread_mutex_lock(&w->lock);
		w->notifying = false;
		pthread_cond_broadcast(&w->done);
	}
}

/*
 * The sync thread: makes the committed batches durable, all those that
 * have come since its last sync with one fdatasync, then finishes their
 * jobs; meanwhile the writer runs the next transaction. A sync that
 * fails is fatal: what was committed may be lost, and nothing of it has
 * been acknowledged (a restart recovers the WAL as it is on disk).
 */
void *
writer_sync_main(void *arg)
{
	struct writer *w = arg;

	writer_thread_init(w, "sync");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct writer_job *list;

		while (w->shead == NULL && !w->sync_stop)
			pthread_cond_wait(&w->sync_wanted, &w->lock);
		if (w->shead == NULL)
			break;
		list = w->shead;
		w->shead = w->stail = NULL;
		pthread_mutex_unlock(&w->lock);
		int64_t t0 = mono_us();
		if (store_syncer_sync(w->syncer) != 0)
			log_fatal("writer: making the WAL durable: %s",
			    strerror(errno));
		unsigned long long us = (unsigned long long)(mono_us() - t0);

		w->sync_us += us;
		w->syncs++;
		if (us > w->sync_max_us)
			w->sync_max_us = us;
		if (us > 5000)
			w->sync_slow++;
		pthread_mutex_lock(&w->lock);
		writer_deliver(w, list);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Asks the checkpoint thread for a checkpoint (idle: the writer has nothing
 * queued, so the connection's memory may go too). Locked. */
void
writer_checkpoint_ask(struct writer *w, bool idle)
{
	w->ckpt_wanted = true;
	w->ckpt_idle = idle;
	pthread_cond_signal(&w->ckpt);
}

/* The checkpoint thread: its own connection, PASSIVE checkpoints on
 * demand, until writer_stop. */
void *
writer_ckpt_main(void *arg)
{
	struct writer *w = arg;
	struct store  *ck;
	char	       err[256];

	pthread_setname_np(pthread_self(), "checkpoint");
	/* A bare connection: it runs no statements of the store. */
	if ((ck = store_connect(w->path, 0, err, sizeof(err))) == NULL)
		log_error("checkpoint thread: %s", err);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		bool idle;

		while (!w->ckpt_wanted && !w->reply_stop)
			pthread_cond_wait(&w->ckpt, &w->lock);
		if (w->reply_stop)
			break;
		w->ckpt_wanted = false;
		idle = w->ckpt_idle;
		pthread_mutex_unlock(&w->lock);
		if (ck != NULL) {
			int64_t	    frames = 0, left = 0, done = 0, copied;
			enum db_err e;
			int	    rounds = 0;

			/*
			 * A WAL due for a restart: copy and flush again
			 * until a round finds little new (so its flush was
			 * short, and little came in meanwhile); the writer
			 * then finishes what came in since.
			 */
			do {
				e = store_checkpoint_flush(ck, &frames, &left);
				copied = frames - left - done;
				done = frames - left;
			} while (e == DB_OK && frames >= WRITER_WAL_RESTART &&
			    frames < WRITER_WAL_MAX &&
			    copied >= WRITER_CKPT_CATCH_UP &&
			    ++rounds < WRITER_CKPT_ROUNDS);
			if (idle)
				store_release_memory(ck);
			pthread_mutex_lock(&w->lock);
			w->ckpt_close = e == DB_OK &&
			    frames >= WRITER_WAL_RESTART;
		} else
			pthread_mutex_lock(&w->lock);
		if (idle && !w->reply_stop) {
			/* The burst is over: once its last replies are out,
			 * give the allocator's free memory back (idle RSS). */
			int64_t	 t = mono_us() + WRITER_TRIM_DELAY_US;
			struct timespec ts = { .tv_sec = t / 1000000,
				.tv_nsec = (long)(t % 1000000) * 1000 };

			while (!w->ckpt_wanted && !w->reply_stop &&
			    pthread_cond_timedwait(&w->ckpt, &w->lock, &ts) == 0)
				;
			pthread_mutex_unlock(&w->lock);
			malloc_trim(0);
			pthread_mutex_lock(&w->lock);
		}
	}
	pthread_mutex_unlock(&w->lock);
	store_close(ck);
	return NULL;
}
