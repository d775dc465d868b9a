/*
 * newsletter.h: what the rest of the daemon and icommitctl use of the
 * newsletter: reading an issue from JSON, confirming a subscription from
 * the confirm endpoint, and feeding an issue being sent to the outbox.
 */
#ifndef ICOMMIT_NEWSLETTER_H
#define ICOMMIT_NEWSLETTER_H

#include "config.h"
#include "store.h"
#include "validate.h"

/* Subscribers queued per round of the mail sender while an issue is being
 * sent, and the most of its mails left undelivered before more are
 * queued: together they pace a send at about NEWSLETTER_BATCH a second. */
#define NEWSLETTER_BATCH  20
#define NEWSLETTER_WINDOW 40

/* Reads {"subject": {...}, "body": {...}} (Spanish required) into n;
 * bad fields go into f->errors. */
void	newsletter_fields(struct fields *f, struct newsletter *n);

/* The confirm endpoint's job for a "newsletter" token: subscription ref
 * becomes confirmed. DB_NOTFOUND when it was unsubscribed since. */
enum db_err newsletter_confirm_tx(struct store *s, struct arena *arena,
	    int64_t ref);

/*
 * Queues the next NEWSLETTER_BATCH recipients of the issue being sent,
 * if any and if fewer than NEWSLETTER_WINDOW of its mails wait, in one
 * transaction of s with the progress (a crash resumes where the
 * last commit left off). Returns how many were queued, -1 on failure.
 */
int	newsletter_feed(struct store *s, struct arena *arena,
	    const struct config *cfg);

#endif
