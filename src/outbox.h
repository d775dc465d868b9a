/*
 * outbox.h: queueing mail. Requests never send mail: they render it and
 * add it to the outbox table in their own transaction; the mailer thread
 * (mailer.h) delivers it.
 */
#ifndef ICOMMIT_OUTBOX_H
#define ICOMMIT_OUTBOX_H

#include <stdbool.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "mailmsg.h"
#include "mailtext.h"

struct store;

#define MAIL_DAILY_LIMIT 5	/* mails per address per day */

/*
 * Renders mail kind in lang for to (with vars) and adds it to the outbox,
 * unless kind is limited (mail_kind_limited) and address_key (the
 * normalised address) has had MAIL_DAILY_LIMIT
 * mails today; then *queued is false and nothing is added. Call inside a
 * transaction. attachments may be NULL.
 */
enum db_err outbox_queue(struct store *s, struct arena *arena,
	    const struct config *cfg, enum mail_kind kind, enum lang lang,
	    const char *to, const char *address_key,
	    const struct mail_vars *vars,
	    const struct mail_attachment *attachments, size_t nattachments,
	    bool *queued);

#endif
