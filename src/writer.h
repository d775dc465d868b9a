/*
 * writer.h: group commit. Every write that a request must wait for (a
 * pledge, a confirmation, ...) is handed to one writer thread, which runs
 * whatever has queued up in one transaction (each job in its own savepoint,
 * so one job's failure does not undo the others), commits once, and
 * reports each job's result only once the commit is on disk (SQLite: the
 * sync thread's fdatasync of the WAL, off the writer's path; see
 * writer_impl.h).
 * On PostgreSQL a batch holds at most 64 jobs (store_max_batch), takes
 * its row locks in the jobs' order (struct writer_job's order), and runs
 * again, a few times, when it conflicted with another node's transaction
 * (DB_RETRY): a job may run more than once, so it must not count on what
 * an earlier run of it left in arg.
 *
 * Two ways to wait: writer_run blocks the calling thread until the commit;
 * writer_submit returns at once and has the job's done callback called on
 * the writer's reply thread after the commit, so that a request can wait
 * without holding a worker thread (see req_defer in request.h) and a batch
 * can grow to as many requests as are in flight. Either way, a result of
 * DB_OK is reported only once the transaction is durable.
 */
#ifndef ICOMMIT_WRITER_H
#define ICOMMIT_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct store;
struct writer;

/*
 * A job runs on the writer's thread inside the open transaction, with the
 * writer's store. It returns DB_OK to keep its changes, anything else to
 * have them rolled back (its own only). It must not block or commit.
 */
typedef enum db_err (*write_fn)(struct store *s, void *arg);

/* Called after each commit that included a job for which note was set. */
typedef void (*writer_notify_fn)(void *arg);

/*
 * One queued write. The caller owns the memory and keeps it alive until
 * the job is finished: writer_run's returns, or writer_submit's done has
 * been called (done may free or reuse it).
 */
struct writer_job {
	write_fn	   fn;
	void		  *arg;
	/* For writer_submit: called once, on the reply thread, after the
	 * commit (or failure); result holds fn's result or the commit's. */
	void		 (*done)(struct writer_job *j);
	enum db_err	   result;
	/* Where its first row lock falls among a batch's (WRITER_ORDER; 0:
	 * none): on an engine with row locks the batch runs its jobs in this
	 * order, so that two nodes' batches cannot lock the same rows in
	 * opposite orders (a deadlock). */
	int64_t		   order;
	bool		   finished;	/* writer_run's wake-up flag */
	struct writer_job *next;	/* the writer's queue */
};

/* A job's order: the table (WRITER_LOCK_*) and id of the row it locks. */
enum writer_lock {
	WRITER_LOCK_NONE,
	WRITER_LOCK_CAMPAIGN,	/* a pledge: its campaign's counter */
	WRITER_LOCK_EVENT,	/* a registration or cancel: its event */
};
#define WRITER_ORDER(lock, id) (((int64_t)(lock) << 48) | (int64_t)(id))

/*
 * Starts the writer on its own connection to path, and its reply thread.
 * max_batch is the most jobs per transaction (1 turns group commit off: one
 * fsync per request; the engine may allow fewer). Returns NULL with err
 * set.
 */
struct writer *writer_start(const char *path, int max_batch, char *err,
	    size_t errlen);

/* After every commit, calls fn(arg) (e.g. to wake the mail sender), on the
 * writer's thread. fn NULL stops the calls; when this returns, a call in
 * progress has ended. */
void	writer_set_notify(struct writer *w, writer_notify_fn fn, void *arg);

/*
 * Queues fn(arg) and blocks until its transaction has committed (or
 * failed). Returns fn's result, or the commit's failure.
 */
enum db_err writer_run(struct writer *w, write_fn fn, void *arg);
/* writer_run with the job's order (WRITER_ORDER). */
enum db_err writer_run_ordered(struct writer *w, write_fn fn, void *arg,
	    int64_t order);

/*
 * Queues j (fn, arg, done and order set by the caller) and returns at once;
 * j->done(j) is called on the reply thread once j's transaction has
 * committed or failed. When the writer is stopping, j->done is called
 * before this returns, with DB_BUSY.
 */
void	writer_submit(struct writer *w, struct writer_job *j);

/*
 * Finishes the queued jobs (their done callbacks included), stops both
 * threads, closes the connection.
 */
void	writer_stop(struct writer *w);

#endif
