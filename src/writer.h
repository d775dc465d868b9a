/*
 * writer.h: group commit. Every write that a request must wait for (a
 * pledge, a confirmation, ...) is handed to one writer thread, which runs
 * whatever has queued up in one transaction (each job in its own savepoint,
 * so one job's failure does not undo the others), commits once with
 * synchronous = FULL, and then wakes each waiting request with its result.
 * A reply sent after writer_run returned DB_OK is durable.
 */
#ifndef ICOMMIT_WRITER_H
#define ICOMMIT_WRITER_H

#include <stddef.h>

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
 * Starts the writer on its own connection to path. max_batch is the most
 * jobs per transaction (1 turns group commit off: one fsync per request).
 * Returns NULL with err set.
 */
struct writer *writer_start(const char *path, int max_batch, char *err,
	    size_t errlen);

/* After every commit, calls fn(arg) (e.g. to wake the mail sender). */
void	writer_set_notify(struct writer *w, writer_notify_fn fn, void *arg);

/*
 * Queues fn(arg) and blocks until its transaction has committed (or
 * failed). Returns fn's result, or the commit's failure.
 */
enum db_err writer_run(struct writer *w, write_fn fn, void *arg);

/* Finishes the queued jobs, stops the thread, closes the connection. */
void	writer_stop(struct writer *w);

#endif
