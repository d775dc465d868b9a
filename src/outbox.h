/*
 * outbox.h: queueing mail. Requests never send mail: they add it to the
 * outbox table in their own transaction and the mailer thread (mailer.h)
 * delivers it. A mail written from a template without attachments is
 * queued as its kind, language and variables (JSON, a few hundred bytes)
 * and rendered by the mailer when it is sent (outbox_compose); mail with an
 * attachment or written by staff is queued whole. The variables can be
 * prepared before the transaction (outbox_prepare on a worker thread,
 * outbox_queue_prepared in the writer's job), so that the single writer
 * thread only inserts.
 */
#ifndef ICOMMIT_OUTBOX_H
#define ICOMMIT_OUTBOX_H

#include <stdbool.h>

#include "arena.h"
#include "config.h"
#include "db.h"
#include "mailmsg.h"
#include "mailtext.h"
#include "store_tokens.h"
#include "token.h"

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

/*
 * A link for a mail, made before its transaction: a new token in
 * base_url + page + "?token=" + the token + tail (NULL or, e.g.,
 * "&kind=newsletter"), from arena; its SHA-256 in hash, for the caller to
 * store (store_token_add). Any thread.
 */
const char *outbox_link_new(struct arena *arena, const struct config *cfg,
	    const char *page, const char *tail,
	    unsigned char hash[TOKEN_HASH_LEN]);

/*
 * A link for a mail: creates a token of kind for ref_id, made at
 * created_at and valid until expires_at (only its SHA-256 is stored), and
 * sets *link to base_url + page + "?token=" + the token + tail (NULL or,
 * e.g., "&kind=newsletter"), from arena.
 */
enum db_err outbox_link(struct store *s, struct arena *arena,
	    const struct config *cfg, const char *kind, int64_t ref_id,
	    int64_t created_at, int64_t expires_at, const char *page,
	    const char *tail, const char **link);

/*
 * Adds a mail whose words are given (a newsletter issue written by staff)
 * under kind's name, with a List-Unsubscribe URL when list_unsubscribe is
 * not NULL. Not subject to the quota. Call inside a transaction.
 */
enum db_err outbox_queue_text(struct store *s, struct arena *arena,
	    const struct config *cfg, enum mail_kind kind, const char *to,
	    const char *subject, const char *text,
	    const char *list_unsubscribe);
/* A mail prepared ahead of its transaction (outbox_prepare). */
struct prepared_mail {
	enum mail_kind	kind;
	const char     *to;
	const char     *address_key;
	char	       *msg;	/* the whole message, or NULL: vars */
	size_t		len;
	char	       *vars;	/* JSON variables of a template mail */
	char	       *ics;	/* and the text of its event .ics, or NULL */
};

/*
 * Prepares what outbox_queue would queue, without touching the database:
 * the variables of a template mail, or (with attachments) the whole
 * rendered message. Everything lives in arena. Any thread.
 */
void	outbox_prepare(struct arena *arena, const struct config *cfg,
	    enum mail_kind kind, enum lang lang, const char *to,
	    const char *address_key, const struct mail_vars *vars,
	    const struct mail_attachment *attachments, size_t nattachments,
	    struct prepared_mail *out);

/* outbox_queue for a mail made by outbox_prepare (same quota rule).
 * Call inside a transaction. */
enum db_err outbox_queue_prepared(struct store *s,
	    const struct prepared_mail *m, bool *queued);

/*
 * The whole message of a mail queued as variables: kind (its name, as in
 * outbox.kind) rendered with vars (the JSON that outbox_prepare made) for
 * to, with the .ics text ics attached when not NULL, from arena into *msg
 * and *len. Returns 0, or -1 when vars cannot be read or kind has no
 * template. The mailer's thread.
 */
int	outbox_compose(struct arena *arena, const struct config *cfg,
	    const char *kind, const char *to, const char *vars,
	    const char *ics, char **msg, size_t *len);

/*
 * The subject a queued mail has (or will have) for its recipient: for a
 * mail queued as variables, rendered from them as outbox_compose would;
 * else read from its whole message (len bytes). From arena; NULL when
 * neither says.
 */
const char *outbox_subject(struct arena *arena, const char *kind,
	    const char *vars, const char *message, size_t len);

#endif
