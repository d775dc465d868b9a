/*
 * writer.c: the group-commit writer (see writer.h): the queue and the
 * writer thread. Jobs wait in a linked list; the writer thread takes up to
 * max_batch at a time, runs them in one transaction and commits. With a
 * deferred sync (SQLite) it hands the batch to the sync thread, which
 * finishes its jobs once the WAL holding the commit is on disk; otherwise
 * it finishes them at once: it wakes the writer_run callers and hands the
 * writer_submit jobs to the reply thread, which calls their done
 * callbacks (writing the replies) while the writer commits the next batch.
 * Those threads and the checkpoint thread are in writer_threads.c.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "campcache.h"
#include "eventcache.h"
#include "log.h"
#include "store.h"
#include "writer_impl.h"

/*
 * The deferred sync for s, or NULL: each commit then syncs itself. One
 * job a transaction (max_batch 1, the benchmark's fsync-per-request
 * build) keeps the sync in the commit, so that build still pays one
 * fsync per request.
 */
static struct store_syncer *
writer_syncer(struct writer *w, struct store *s)
{
	return w->max_batch > 1 ? store_syncer_open(s) : NULL;
}

/*
 * Runs batch in one transaction and commits it; sets each job's result.
 * Returns DB_OK, or what failed the whole transaction (then rolled back
 * by the caller): DB_RETRY when a job conflicted with another
 * connection's transaction.
 */
static enum db_err
writer_transaction(struct writer *w, struct writer_job *batch)
{
	enum db_err fail;

	if ((fail = store_begin(w->store)) != DB_OK)
		return fail;
	for (struct writer_job *j = batch; j != NULL; j = j->next) {
		if (store_savepoint(w->store) != DB_OK) {
			j->result = DB_ERROR;
			continue;
		}
		j->result = j->fn(w->store, j->arg);
		/* Another node got there first: the whole batch again. */
		if (j->result == DB_RETRY)
			return DB_RETRY;
		if (j->result == DB_OK)
			store_release(w->store);
		else
			store_rollback_to(w->store);
		/* A full disk or I/O failure poisons the transaction. */
		if (j->result == DB_FULL || j->result == DB_READONLY ||
		    !store_in_txn(w->store))
			return j->result != DB_OK ? j->result : DB_ERROR;
	}
	int64_t t0 = mono_us();
	fail = store_commit(w->store);
	w->commit_us += (unsigned long long)(mono_us() - t0);
	/* Committed (or not): campaigns read before may be out of date, if
	 * the batch wrote one or its counter. A batch of new pending pledges
	 * does not: the workers' campaign reads stay in memory. */
	if (store_campaigns_written(w->store))
		campcache_changed();
	/* Events likewise; a registration's seat count is not such a
	 * write (see store_events_written). */
	if (store_events_written(w->store))
		eventcache_changed();
	return fail;
}

/* Sorts batch by the jobs' order (stable), for an engine with row locks. */
static struct writer_job *
writer_sort(struct writer_job *batch)
{
	struct writer_job *sorted = NULL;

	while (batch != NULL) {
		struct writer_job  *j = batch, **at = &sorted;

		batch = batch->next;
		while (*at != NULL && (*at)->order <= j->order)
			at = &(*at)->next;
		j->next = *at;
		*at = j;
	}
	return sorted;
}

/* Runs one batch in one transaction; sets each job's result. */
static void
writer_batch(struct writer *w, struct writer_job *batch)
{
	enum db_err fail = DB_OK;

	if (store_readonly(w->store)) {
		/* Is the file writable again? Then reopen every connection. */
		char	      err[256];
		struct store *rw = store_open(w->path, false, false, err,
		    sizeof(err));

		if (rw == NULL || store_readonly(rw)) {
			store_close(rw);
			fail = DB_READONLY;
			goto out;
		}
		log_info("the database is writable again");
		/* Read-only, the old store committed nothing, and had no
		 * syncer (store_syncer_open refuses a read-only store). */
		store_close(w->store);
		w->store = rw;
		store_tune_writer(rw);
		w->syncer = writer_syncer(w, rw);
		store_generation_bump();
	}
	for (int attempt = 0;; attempt++) {
		if ((fail = writer_transaction(w, batch)) != DB_RETRY ||
		    attempt == WRITER_RETRIES)
			break;
		/* A serialization failure, a deadlock or a lost race with
		 * another node: after a short random pause (so that two
		 * nodes do not meet again), the batch again. */
		store_rollback(w->store);
		w->retries++;
		usleep((useconds_t)(WRITER_RETRY_US * (unsigned)attempt +
		    randombytes_uniform(WRITER_RETRY_US)));
	}
	if (fail == DB_RETRY)
		fail = DB_BUSY;
out:
	if (fail != DB_OK) {
		store_rollback(w->store);
		for (struct writer_job *j = batch; j != NULL; j = j->next)
			j->result = fail;
	}
}

/* Waits up to us for a job (or writer_stop); true if one came. Called and
 * returns locked. */
static bool
writer_wait_work(struct writer *w, int64_t us)
{
	int64_t		deadline = mono_us() + us;
	struct timespec ts = { .tv_sec = deadline / 1000000,
		.tv_nsec = (long)(deadline % 1000000) * 1000 };

	while (w->head == NULL && !w->stopping)
		if (pthread_cond_timedwait(&w->work, &w->lock, &ts) != 0)
			break;
	return w->head != NULL || w->stopping;
}

/* Lets the batch gather (see WRITER_LINGER_US). Called locked, with a job
 * queued; returns locked. */
static void
writer_linger(struct writer *w)
{
	int64_t		deadline = mono_us() + WRITER_LINGER_US;
	struct timespec ts = { .tv_sec = deadline / 1000000,
		.tv_nsec = (long)(deadline % 1000000) * 1000 };

	while (w->queued < WRITER_GATHER && w->queued < w->max_batch &&
	    !w->stopping)
		if (pthread_cond_timedwait(&w->work, &w->lock, &ts) != 0)
			break;
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;

	writer_thread_init(w, "writer");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct writer_job *batch, *last;
		int	    n = 1;

		while (w->head == NULL && !w->stopping) {
			/*
			 * Idle after some work: a good moment to fold the WAL
			 * back and give memory back. (Not "commits since the
			 * last checkpoint": a burst whose last commit asked for
			 * one, or finished a catch-up, left that count at 0,
			 * and the memory of the burst stayed resident.)
			 */
			if (w->idle_due) {
				/* Work (or the stop) came in time: not idle. */
				if (writer_wait_work(w, WRITER_IDLE_US))
					continue;
				w->idle_due = false;
				w->idles++;
				w->commits_since_checkpoint = 0;
				writer_checkpoint_ask(w, true);
				pthread_mutex_unlock(&w->lock);
				writer_release_memory(w);
				pthread_mutex_lock(&w->lock);
				continue;
			}
			pthread_cond_wait(&w->work, &w->lock);
		}
		if (w->head == NULL && w->stopping)
			break;
		if (w->max_batch > 1 && w->last_batch > 1)
			writer_linger(w);
		batch = last = w->head;
		while (last->next != NULL && n < w->max_batch) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (w->head == NULL)
			w->tail = NULL;
		last->next = NULL;
		w->queued -= n;
		w->last_batch = n;
		pthread_mutex_unlock(&w->lock);
		if (w->sort && n > 1)
			batch = writer_sort(batch);

		int64_t t0 = mono_us();
		writer_batch(w, batch);
		unsigned long long us = (unsigned long long)(mono_us() - t0);
		w->busy_us += us;
		if (us > w->max_us)
			w->max_us = us;
		if (us > 5000)
			w->slow++;
		w->batches++;
		w->jobs += (unsigned long long)n;
		w->idle_due = true;

		pthread_mutex_lock(&w->lock);
		if (w->syncer != NULL) {
			/* Durable once the sync thread has synced it. */
			if (w->stail != NULL)
				w->stail->next = batch;
			else
				w->shead = batch;
			w->stail = last;
			pthread_cond_signal(&w->sync_wanted);
		} else
			writer_deliver(w, batch);
		/* Under sustained load the writer is never idle: fold the WAL
		 * back every so often anyway, so it cannot grow without bound. */
		if (w->ckpt_close) {
			/* The checkpoint thread left only a little: finish it
			 * here, between two transactions, so that the next one
			 * starts the WAL from its beginning again. */
			w->ckpt_close = false;
			w->commits_since_checkpoint = 0;
			pthread_mutex_unlock(&w->lock);
			int64_t c0 = mono_us();
			(void)store_checkpoint(w->store, NULL, NULL);
			unsigned long long cus =
			    (unsigned long long)(mono_us() - c0);
			if (cus > w->catchup_max_us)
				w->catchup_max_us = cus;
			w->catchup_us += cus;
			w->catchups++;
			pthread_mutex_lock(&w->lock);
		} else if (++w->commits_since_checkpoint >=
		    WRITER_CHECKPOINT_EVERY) {
			w->commits_since_checkpoint = 0;
			writer_checkpoint_ask(w, false);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct writer *
writer_start(const char *path, int max_batch, char *err, size_t errlen)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		log_fatal("out of memory");
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->store = store_open(path, false, false, err, errlen);
	if (w->store == NULL) {
		free(w);
		return NULL;
	}
	/* PostgreSQL: at most 64 savepoints a transaction. */
	if (max_batch > store_max_batch(w->store))
		max_batch = store_max_batch(w->store);
	w->max_batch = max_batch < 1 ? 1 : max_batch;
	w->sort = store_row_locks(w->store);
	store_tune_writer(w->store);
	w->syncer = writer_syncer(w, w->store);
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);	/* writer_linger */
	pthread_cond_init(&w->work, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&w->done, NULL);
	pthread_cond_init(&w->replies, NULL);
	pthread_cond_init(&w->sync_wanted, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->ckpt, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&w->reply_thread, NULL, writer_reply_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer's reply thread");
		store_close(w->store);
		free(w);
		return NULL;
	}
	if (pthread_create(&w->ckpt_thread, NULL, writer_ckpt_main, w) != 0)
		log_fatal("cannot start the checkpoint thread");
	if (pthread_create(&w->sync_thread, NULL, writer_sync_main, w) != 0)
		log_fatal("cannot start the sync thread");
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		pthread_mutex_lock(&w->lock);
		w->reply_stop = w->sync_stop = true;
		pthread_cond_signal(&w->replies);
		pthread_cond_signal(&w->ckpt);
		pthread_cond_signal(&w->sync_wanted);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->reply_thread, NULL);
		pthread_join(w->ckpt_thread, NULL);
		pthread_join(w->sync_thread, NULL);
		store_syncer_close(w->store, w->syncer);
		store_close(w->store);
		free(w);
		return NULL;
	}
	return w;
}

void
writer_set_notify(struct writer *w, writer_notify_fn fn, void *arg)
{
	pthread_mutex_lock(&w->lock);
	/* Once this returns the old fn is not running and will not be
	 * called again: its arg may be freed. */
	while (w->notifying)
		pthread_cond_wait(&w->done, &w->lock);
	w->notify = fn;
	w->notify_arg = arg;
	pthread_mutex_unlock(&w->lock);
}

/* Appends j to the queue; false (nothing queued) when stopping. Locked. */
static bool
writer_enqueue(struct writer *w, struct writer_job *j)
{
	if (w->stopping)
		return false;
	j->result = DB_ERROR;
	j->finished = false;
	j->next = NULL;
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	/* Wake the writer when it is idle, or lingering and the batch is
	 * complete; not on every job. */
	if (++w->queued == 1 || w->queued == WRITER_GATHER ||
	    w->queued == w->max_batch)
		pthread_cond_signal(&w->work);
	return true;
}

enum db_err
writer_run(struct writer *w, write_fn fn, void *arg)
{
	return writer_run_ordered(w, fn, arg, 0);
}

enum db_err
writer_run_ordered(struct writer *w, write_fn fn, void *arg, int64_t order)
{
	struct writer_job j = { .fn = fn, .arg = arg, .order = order };

	pthread_mutex_lock(&w->lock);
	if (!writer_enqueue(w, &j)) {
		pthread_mutex_unlock(&w->lock);
		return DB_BUSY;
	}
	while (!j.finished)
		pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return j.result;
}

void
writer_submit(struct writer *w, struct writer_job *j)
{
	bool queued;

	pthread_mutex_lock(&w->lock);
	queued = writer_enqueue(w, j);
	pthread_mutex_unlock(&w->lock);
	if (!queued) {
		j->result = DB_BUSY;
		j->done(j);
	}
}

void
writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	/* The writer has drained its queue: now the last syncs, then the
	 * last replies. */
	pthread_mutex_lock(&w->lock);
	w->sync_stop = true;
	pthread_cond_signal(&w->sync_wanted);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->sync_thread, NULL);
	pthread_mutex_lock(&w->lock);
	w->reply_stop = true;
	pthread_cond_signal(&w->replies);
	pthread_cond_signal(&w->ckpt);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->reply_thread, NULL);
	pthread_join(w->ckpt_thread, NULL);
	if (w->batches > 0)
		log_info("writer: %llu jobs in %llu transactions (%.1f a "
		    "transaction), %.0f us a transaction, of which %.0f the "
		    "commit; idle %llu times", w->jobs, w->batches,
		    (double)w->jobs / (double)w->batches,
		    (double)w->busy_us / (double)w->batches,
		    (double)w->commit_us / (double)w->batches, w->idles);
	if (w->batches > 0)
		log_info("writer: slowest transaction %llu us, %llu over 5 ms; "
		    "%llu catch-up checkpoints, %llu us on average, slowest "
		    "%llu us", w->max_us, w->slow, w->catchups,
		    w->catchups ? w->catchup_us / w->catchups : 0,
		    w->catchup_max_us);
	if (w->syncs > 0)
		log_info("writer: %llu syncs, %.0f us each, %.1f transactions "
		    "a sync; slowest %llu us, %llu over 5 ms", w->syncs,
		    (double)w->sync_us / (double)w->syncs,
		    (double)w->batches / (double)w->syncs, w->sync_max_us,
		    w->sync_slow);
	store_syncer_close(w->store, w->syncer);
	if (w->retries > 0)
		log_info("writer: %llu batches ran again after a conflict "
		    "with another transaction", w->retries);
	(void)store_checkpoint(w->store, NULL, NULL);
	store_close(w->store);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->replies);
	pthread_cond_destroy(&w->ckpt);
	pthread_cond_destroy(&w->sync_wanted);
	free(w);
}
