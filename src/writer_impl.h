/*
 * writer_impl.h: what writer.c (the queue and the writer thread) and
 * writer_threads.c (the sync, reply and checkpoint threads) share: the
 * writer's state and its tuning. Nothing else includes it but
 * tests/unit/test_writer.c, for the tuning.
 */
#ifndef ICOMMIT_WRITER_IMPL_H
#define ICOMMIT_WRITER_IMPL_H

#include <pthread.h>
#include <stdbool.h>

#include "store.h"
#include "writer.h"

/* Commits between WAL checkpoints while busy (idle, it checkpoints at once).
 * The checkpoints run on their own thread and connection (PASSIVE: they
 * copy what is committed without blocking the writer), so that a commit
 * never waits for one. */
#define WRITER_CHECKPOINT_EVERY 64
/*
 * Under sustained load those checkpoints never quite finish (the writer
 * keeps appending), and a WAL that is never finished is never restarted:
 * it would grow for the whole burst, and its index (-shm, mapped by every
 * connection) with it. So once the WAL holds WRITER_WAL_RESTART frames
 * and a checkpoint leaves fewer than WRITER_CKPT_CATCH_UP of them behind,
 * the writer copies the rest itself between two transactions, and the
 * next transaction starts the WAL over (at WRITER_WAL_MAX frames it does
 * so whatever the checkpoint left). The requests queued meanwhile wait
 * for that pause (the "catch-up checkpoints" of the log line at stop;
 * docs/performance.md), and most of it is the fdatasync of the database
 * file: SQLite syncs that file only when a checkpoint copies the whole
 * WAL, so it would pay for every page the passive checkpoints copied
 * since the last restart (40-75 ms on the reference machine). The
 * checkpoint thread therefore flushes each checkpoint's pages itself
 * (store_checkpoint_flush) and, once the WAL is due, checkpoints again,
 * up to WRITER_CKPT_ROUNDS times, until a round copies fewer than
 * WRITER_CKPT_CATCH_UP frames (so its flush was short, and little came in
 * meanwhile): the writer's part is then what came in since and the sync of
 * those pages, about 6 ms a pause under a pledge load instead of 36-44
 * (docs/performance.md, session 5).
 */
#define WRITER_CKPT_CATCH_UP	64
#define WRITER_CKPT_ROUNDS	8
#define WRITER_WAL_RESTART	8192
#define WRITER_WAL_MAX		262144
/*
 * How long the writer must have had nothing to do before it counts as idle
 * (checkpoint at once, page cache and free memory given back). Under load
 * the queue is empty for a moment between most transactions; treating
 * each such moment as idle cost a checkpoint that the next transactions
 * had to wait for, and a cold page cache.
 */
#define WRITER_IDLE_US		20000
/* How long after the writer fell idle the free memory is trimmed. */
#define WRITER_TRIM_DELAY_US	100000
/*
 * Under load (the last transaction held more than one job), the writer
 * lets a batch gather for up to WRITER_LINGER_US after its first job, or
 * until WRITER_GATHER jobs wait, before it begins the transaction. Every
 * commit rewrites each page it touches (the random-key index pages, the
 * outbox's last page, ...) in the WAL and pays an fsync: on a busy machine
 * the bytes written per pledge, and so the CPU and disk time, fall steeply
 * with the batch size. A lone request (idle writer) never waits.
 */
#define WRITER_LINGER_US	1000
#define WRITER_GATHER		64
/*
 * A batch that conflicted with another node's transaction (PostgreSQL:
 * DB_RETRY) runs again up to this many times, each after a random pause
 * of up to WRITER_RETRY_US more than the last, before its jobs get
 * DB_BUSY (503 with Retry-After).
 */
#define WRITER_RETRIES		4
#define WRITER_RETRY_US		5000

struct writer {
	struct store	*store;
	char		 path[1024];
	int		 max_batch;
	bool		 sort;		/* by the jobs' order (row locks) */
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 work;	/* jobs queued or stopping */
	pthread_cond_t	 done;	/* a batch finished (writer_run waits) */
	pthread_cond_t	 replies; /* finished async jobs or reply_stop */
	struct writer_job *head, *tail;	/* queued */
	int		 queued;	/* jobs in head..tail */
	int		 last_batch;	/* jobs in the last transaction */
	struct writer_job *rhead, *rtail; /* finished, done() not yet called */
	pthread_t	 reply_thread;
	/* The deferred sync (SQLite): commits return unsynced, the sync
	 * thread makes them durable before any of their jobs is finished.
	 * NULL syncer: each commit is durable when it returns. */
	struct store_syncer *syncer;
	pthread_t	 sync_thread;
	pthread_cond_t	 sync_wanted;	/* batches to sync, or sync_stop */
	struct writer_job *shead, *stail; /* committed, not yet durable */
	bool		 sync_stop;
	pthread_t	 ckpt_thread;
	pthread_cond_t	 ckpt;		/* a checkpoint is wanted, or stopping */
	bool		 ckpt_wanted;
	bool		 ckpt_idle;	/* ... and the writer is idle */
	bool		 ckpt_close;	/* the last one nearly caught up */
	bool		 stopping;
	bool		 reply_stop;
	bool		 nice_refused;	/* WRITER_NICE was refused (logged) */
	writer_notify_fn notify;
	bool		 notifying;	/* notify is being called */
	void		*notify_arg;
	unsigned	 commits_since_checkpoint;
	bool		 idle_due;	/* a batch ran since the last idle */
	/* Figures for the log line at stop: how well batching worked. */
	unsigned long long batches, jobs, busy_us, commit_us, syncs, sync_us;
	/* For the log line at stop: the slowest transaction, how many took
	 * over 5 ms, and the catch-up checkpoints (count, slowest). */
	unsigned long long max_us, slow, catchups, catchup_us, catchup_max_us;
	/* The slowest fdatasync of the WAL, and how many took over 5 ms: a
	 * disk's pause is every waiting request's. */
	unsigned long long sync_max_us, sync_slow;
	unsigned long long retries;	/* batches run again (DB_RETRY) */
	unsigned long long idles;	/* times the writer fell idle */
};

/*
 * The nice value of the threads that finish requests (writer, sync,
 * replies). Everything a POST does waits on them, one at a time: at the
 * default priority, under load, each wake-up of the writer waited about
 * 0.3 ms for a core held by nginx, a worker or the load generator, and
 * one transaction in ten was stretched past 5 ms by preemption
 * (docs/performance.md, session 6). Below 0 needs the permission to
 * raise priority (RLIMIT_NICE: LimitNICE= in deploy/icommitd.service; or
 * root); without it they stay at the default.
 */
#ifndef WRITER_NICE
#define WRITER_NICE		(-10)
#endif

void	 writer_thread_init(struct writer *w, const char *name);
void	*writer_reply_main(void *arg);
void	*writer_sync_main(void *arg);
void	*writer_ckpt_main(void *arg);
void	 writer_deliver(struct writer *w, struct writer_job *list);
void	 writer_checkpoint_ask(struct writer *w, bool idle);
void	 writer_release_memory(struct writer *w);

#endif
