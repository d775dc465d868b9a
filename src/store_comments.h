/*
 * store_comments.h: comments sent through the contact page. Implemented
 * in store_comments.c; the connection and the types every table shares
 * are in store.h.
 */
#ifndef ICOMMIT_STORE_COMMENTS_H
#define ICOMMIT_STORE_COMMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct comment {
	int64_t	    id;
	const char *topic;
	const char *name, *email;	/* may be NULL */
	const char *email_key;		/* email normalised; insert only */
	const char *message;
	const char *language;
	bool	    has_consent_at;
	int64_t	    consent_at;
	int64_t	    created_at;
	bool	    has_handled_at;
	int64_t	    handled_at;
	const char *handled_by;		/* may be NULL */
};

/* Inserts c (created_at set by the caller); sets c->id. */
enum db_err store_comment_insert(struct store *s, struct comment *c);

/* Staff's listing and export filter: topic and "new"/"handled" (NULL: any). */
struct comment_query {
	const char *topic;
	const char *status;
	int64_t	    before_id;		/* listing only */
	int	    limit;
};
typedef int (*store_comment_fn)(const struct comment *c, void *arg);
/* Newest first. */
enum db_err store_comments(struct store *s, struct arena *arena,
	    const struct comment_query *q, store_comment_fn fn, void *arg);
/* Sets (handled) or clears the mark; DB_NOTFOUND if no such comment. */
enum db_err store_comment_set_handled(struct store *s, int64_t id,
	    bool handled, int64_t at, const char *by);
/* Streams comments oldest first: 9 text columns (see comments.c). */
#define EXPORT_COMMENT_COLUMNS 9
enum db_err store_export_comments(struct store *s,
	    const struct comment_query *q, store_row_fn fn, void *arg);
/* One person's comments (email_key: email_normalise), oldest first. */
enum db_err store_comments_of_key(struct store *s, struct arena *arena,
	    const char *email_key, store_comment_fn fn, void *arg);
/* Whether comments came from email_key. */
enum db_err store_comments_known(struct store *s, const char *email_key,
	    bool *known);
/* Deletes the comments of email_key, adding their number to *rows. */
enum db_err store_comments_erase(struct store *s, const char *email_key,
	    int64_t *rows);

#endif
