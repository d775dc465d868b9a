/*
 * store_outbox.h: the mail outbox, and the daily mail quota per address
 * that its rows give.
 * Implemented in store_outbox.c; the connection and the types every table
 * shares are in store.h.
 */
#ifndef ICOMMIT_STORE_OUTBOX_H
#define ICOMMIT_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * *n: the mails to email_key queued since the time since that count
 * against the daily limit (quota). On PostgreSQL the count first takes a
 * lock of the key for the rest of the transaction, so that the count and
 * the mail queued after it are one step for every node.
 */
enum db_err store_mail_quota_count(struct store *s, const char *email_key,
	    int64_t since, int64_t *n);

/* A mail to queue: for recipient (whose normalised address is email_key,
 * NULL when it has none), its whole message (len bytes), or vars (the
 * JSON variables of a template mail, message NULL) and the text of the
 * event .ics it attaches (ics, or NULL) for the mailer to render; quota
 * when it counts against the daily limit. */
struct outbox_new {
	const char *kind;
	const char *recipient;
	const char *email_key;
	const char *message;
	size_t	    len;
	const char *vars;
	const char *ics;
	bool	    quota;
	int64_t	    now;
};
enum db_err store_outbox_add(struct store *s, const struct outbox_new *m);

struct outbox_mail {
	int64_t	    id;
	const char *recipient;
	const char *message;	/* the whole mail, or NULL: see vars */
	size_t	    len;
	const char *vars;	/* a template mail's variables (outbox.h) */
	const char *ics;	/* and its .ics, or NULL (store_outbox_due) */
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
/* Deletes every mail to the address email_key (an erasure), adding to
 * *n. */
enum db_err store_outbox_delete_key(struct store *s, const char *email_key,
	    int64_t *n);

#endif
