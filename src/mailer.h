/*
 * mailer.h: the mail sender thread. It delivers what the outbox holds
 * through SMTP (libcurl), retrying with exponential back-off, so that an
 * SMTP outage delays mail and loses none. Without smtp_url it does not run
 * and mail stays queued.
 */
#ifndef ICOMMIT_MAILER_H
#define ICOMMIT_MAILER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct mailer;
struct writer;

/*
 * Starts the thread on its own connection (for reading the outbox); what
 * it records (sent, retry) goes through writer, one job a round, so that
 * delivering mail never competes with the submissions for SQLite's write
 * lock. writer must outlive the mailer (mailer_stop first). NULL with err
 * set on failure.
 */
struct mailer *mailer_start(const struct config *cfg, struct writer *writer,
	    char *err, size_t errlen);
/* Asks the thread to look at the outbox now (after a commit that queued mail). */
void	mailer_wake(void *mailer);
/* Stops the thread (a delivery in progress finishes first). */
void	mailer_stop(struct mailer *m);

/* Seconds to wait after the n-th failed attempt (n ≥ 1): 2, 4, 8, ... ≤ 600. */
int64_t	mailer_backoff(int attempts);

#endif
