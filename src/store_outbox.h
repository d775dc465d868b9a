/*
 * store_outbox.h: the mail outbox and the daily mail quota per address.
 * Implemented in store_outbox.c; the connection and the types every table
 * shares are in store.h.
 */
#ifndef ICOMMIT_STORE_OUTBOX_H
#define ICOMMIT_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Counts one more mail for address_hash today; *allowed false past limit. */
enum db_err store_mail_quota_take(struct store *s,
	    const unsigned char address_hash[32], int64_t day, int limit,
	    bool *allowed);
enum db_err store_mail_quota_purge(struct store *s, int64_t before_day);

/* A mail for recipient: its whole message (len bytes), or vars (the JSON
 * variables of a template mail, message NULL) for the mailer to render. */
enum db_err store_outbox_add(struct store *s, const char *kind,
	    const char *recipient, const char *message, size_t len,
	    const char *vars, int64_t now);

struct outbox_mail {
	int64_t	    id;
	const char *recipient;
	const char *message;	/* the whole mail, or NULL: see vars */
	size_t	    len;
	const char *vars;	/* a template mail's variables (outbox.h) */
	int	    attempts;
	const char *kind;	/* for listings */
	int64_t	    created_at, next_attempt_at;
	const char *last_error;
};
typedef int (*store_outbox_fn)(const struct outbox_mail *m, void *arg);
/*
 * Mail due at now (at most limit), oldest first, for the mailer to send.
 * Where several nodes share the database (PostgreSQL) the mail is claimed
 * for node (a name for the operator) for lease seconds of the database's
 * clock, in a statement of its own (FOR UPDATE SKIP LOCKED): another
 * node's mailer skips it until its outcome is recorded (sent, retry,
 * release) or the lease has run out (its node died). SQLite: node and
 * lease are unused (one mailer).
 */
enum db_err store_outbox_due(struct store *s, struct arena *arena,
	    int64_t now, int limit, const char *node, int lease,
	    store_outbox_fn fn, void *arg);
/* Every unsent mail (icommitctl mail-queue); m->message is borrowed for
 * the call only, and not NUL-terminated. */
enum db_err store_outbox_pending(struct store *s, struct arena *arena,
	    store_outbox_fn fn, void *arg);
/* A mail's outcome (each ends its claim): sent, due again at
 * next_attempt_at, or released unsent for any node's next round (the
 * claim alone dropped; SQLite: nothing to do). */
enum db_err store_outbox_sent(struct store *s, int64_t id, int64_t now);
enum db_err store_outbox_retry(struct store *s, int64_t id,
	    int64_t next_attempt_at, const char *error);
enum db_err store_outbox_release(struct store *s, int64_t id);

/* How many mails of kind (its outbox name) wait for delivery. */
enum db_err store_outbox_unsent(struct store *s, const char *kind,
	    int64_t *n);
/* Deletes every mail to recipient (an erasure), adding to *n. */
enum db_err store_outbox_delete_recipient(struct store *s,
	    const char *recipient, int64_t *n);

#endif
