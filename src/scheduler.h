/*
 * scheduler.h: the daemon's timed jobs, on a thread of their own. Every
 * second it feeds the next recipients of a newsletter being sent to the
 * outbox; every minute it queues the day-before reminders of an event.
 * What is due is read on the thread's own connection; the writing goes
 * through the group-commit writer, whose commit wakes the mail sender.
 * The jobs themselves live in their resources (newsletter_feed,
 * registrations_remind, loginlimit_purge). With several nodes on one
 * PostgreSQL database only the leader's thread runs them (scheduler.c).
 */
#ifndef ICOMMIT_SCHEDULER_H
#define ICOMMIT_SCHEDULER_H

#include <stddef.h>

#include "config.h"
#include "writer.h"

struct scheduler;

/* Starts the thread; writer must outlive it (scheduler_stop first). NULL
 * with err set on failure. */
struct scheduler *scheduler_start(const struct config *cfg,
	    struct writer *writer, char *err, size_t errlen);
/* Stops the thread (a job in progress finishes first). NULL is a no-op. */
void	scheduler_stop(struct scheduler *s);

#endif
