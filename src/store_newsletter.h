/*
 * store_newsletter.h: newsletter subscriptions and issues. Implemented in
 * store_newsletter.c; the connection and the types every table shares are
 * in store.h.
 */
#ifndef ICOMMIT_STORE_NEWSLETTER_H
#define ICOMMIT_STORE_NEWSLETTER_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define SUB_PENDING	 "pending_confirmation"
#define SUB_SUBSCRIBED	 "subscribed"
#define SUB_UNSUBSCRIBED "unsubscribed"

struct subscriber {
	int64_t	    id;
	const char *email;
	const char *email_key;
	const char *name;	/* may be NULL */
	const char *language;
	const char *status;
	int64_t	    created_at;
	bool	    has_confirmed_at, has_unsubscribed_at;
	int64_t	    confirmed_at, unsubscribed_at;
};
/* The subscription of a mailbox (normalised address), or DB_NOTFOUND. */
enum db_err store_subscriber_find(struct store *s, struct arena *arena,
	    const char *email_key, struct subscriber *out);
enum db_err store_subscriber_get(struct store *s, struct arena *arena,
	    int64_t id, struct subscriber *out);
/* Inserts a pending subscription (email, email_key, name, language,
 * created_at from sub); sets sub->id. */
enum db_err store_subscriber_add(struct store *s, struct subscriber *sub);
/* Makes subscription sub->id pending again with sub's address, name and
 * language (a new sign-up after an unsubscribe). */
enum db_err store_subscriber_renew(struct store *s,
	    const struct subscriber *sub);
/* Moves a subscription to status at time now. */
enum db_err store_subscriber_set_status(struct store *s, int64_t id,
	    const char *status, int64_t now);
typedef int (*store_subscriber_fn)(const struct subscriber *sub, void *arg);
/* Confirmed subscribers with id > after_id, by id, at most limit. */
enum db_err store_subscribers_after(struct store *s, struct arena *arena,
	    int64_t after_id, int limit, store_subscriber_fn fn, void *arg);
/* Streams every subscription (the CSV export): id, created_at,
 * confirmed_at, status, email, name, language, consent version. */
#define EXPORT_SUBSCRIBER_COLUMNS 8
enum db_err store_export_subscribers(struct store *s, store_row_fn fn,
	    void *arg);

struct newsletter {
	int64_t	    id;
	const char *subject[LANG__MAX];	/* Spanish required, others NULL */
	const char *body[LANG__MAX];
	const char *status;		/* "draft", "sending", "sent" */
	int64_t	    created_at;
	const char *created_by;
	bool	    has_send_started_at, has_sent_at;
	int64_t	    send_started_at, sent_at;
	int64_t	    recipients, queued, cursor;
};
/* Inserts a draft (subject, body, created_at, created_by); sets n->id. */
enum db_err store_newsletter_add(struct store *s, struct newsletter *n);
enum db_err store_newsletter_get(struct store *s, struct arena *arena,
	    int64_t id, struct newsletter *out);
typedef int (*store_newsletter_fn)(const struct newsletter *n, void *arg);
/* The latest 200, newest first. */
enum db_err store_newsletter_list(struct store *s, struct arena *arena,
	    store_newsletter_fn fn, void *arg);
/* The oldest newsletter being sent, or DB_NOTFOUND. */
enum db_err store_newsletter_sending(struct store *s, struct arena *arena,
	    struct newsletter *out);
/* Moves a draft to "sending"; DB_NOTFOUND when id is not a draft. */
enum db_err store_newsletter_start(struct store *s, int64_t id, int64_t now);
/* Records that subscribers up to cursor were queued (n more), and with
 * done that the newsletter is sent. */
enum db_err store_newsletter_progress(struct store *s, int64_t id,
	    int64_t cursor, int64_t n, bool done, int64_t now);

#endif
