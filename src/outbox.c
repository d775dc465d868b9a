/*
 * outbox.c: rendering and queueing mail with the daily quota, and the
 * tokened links mails carry (see outbox.h).
 */
#include <stdio.h>
#include <string.h>

#include "outbox.h"
#include "store.h"
#include "token.h"
#include "util.h"

enum db_err
outbox_link(struct store *s, struct arena *arena, const struct config *cfg,
    const char *kind, int64_t ref_id, int64_t expires_at, const char *page,
    const char *tail, const char **link)
{
	char	      token[TOKEN_LEN + 1], *out;
	unsigned char hash[TOKEN_HASH_LEN];
	size_t	      len;
	enum db_err   e;

	token_new(token, hash);
	if ((e = store_token_add(s, hash, kind, ref_id, expires_at)) != DB_OK)
		return e;
	if (tail == NULL)
		tail = "";
	len = strlen(cfg->base_url) + strlen(page) + sizeof("?token=") +
	    TOKEN_LEN + strlen(tail);
	out = arena_alloc(arena, len);
	snprintf(out, len, "%s%s?token=%s%s", cfg->base_url, page, token,
	    tail);
	*link = out;
	return DB_OK;
}

/* The whole message of a mail with these words, from arena. */
static char *
outbox_message(struct arena *arena, const struct config *cfg, const char *to,
    const char *subject, const char *text, const char *list_unsubscribe,
    const struct mail_attachment *attachments, size_t nattachments,
    size_t *len)
{
	struct mail m = { 0 };

	m.from = cfg->mail_from;
	m.from_name = MAIL_FROM_NAME;
	m.to = to;
	m.subject = subject;
	m.text = text;
	m.html = mail_text_to_html(arena, text);
	m.list_unsubscribe = list_unsubscribe;
	m.attachments = attachments;
	m.nattachments = nattachments;
	return mail_render(arena, &m, len);
}

void
outbox_render(struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const char *address_key, const struct mail_vars *vars,
    const struct mail_attachment *attachments, size_t nattachments,
    struct rendered_mail *out)
{
	const char *subject, *text;

	mailtext_render(arena, kind, lang, vars, &subject, &text);
	out->kind = kind;
	out->to = to;
	out->address_key = address_key;
	out->msg = outbox_message(arena, cfg, to, subject, text, NULL,
	    attachments, nattachments, &out->len);
}

/* Takes one of today's mails of address_key when kind is limited; *queued
 * false when none is left. */
static enum db_err
outbox_quota_take(struct store *s, enum mail_kind kind,
    const char *address_key, int64_t now, bool *queued)
{
	unsigned char hash[TOKEN_HASH_LEN];

	*queued = true;
	if (!mail_kind_limited[kind])
		return DB_OK;
	sha256(address_key, strlen(address_key), hash);
	return store_mail_quota_take(s, hash, now / 86400, MAIL_DAILY_LIMIT,
	    queued);
}

enum db_err
outbox_queue_rendered(struct store *s, const struct rendered_mail *m,
    bool *queued)
{
	int64_t	    now = now_unix();
	enum db_err e;

	e = outbox_quota_take(s, m->kind, m->address_key, now, queued);
	if (e != DB_OK || !*queued)
		return e;
	return store_outbox_add(s, mail_kind_names[m->kind], m->to, m->msg,
	    m->len, now);
}

enum db_err
outbox_queue(struct store *s, struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const char *address_key, const struct mail_vars *vars,
    const struct mail_attachment *attachments, size_t nattachments,
    bool *queued)
{
	struct rendered_mail m;
	int64_t		   now = now_unix();
	enum db_err	   e;

	/* Quota first: a mail over the limit is not even rendered. */
	e = outbox_quota_take(s, kind, address_key, now, queued);
	if (e != DB_OK || !*queued)
		return e;
	outbox_render(arena, cfg, kind, lang, to, address_key, vars,
	    attachments, nattachments, &m);
	return store_outbox_add(s, mail_kind_names[kind], to, m.msg, m.len,
	    now);
}

enum db_err
outbox_queue_text(struct store *s, struct arena *arena,
    const struct config *cfg, enum mail_kind kind, const char *to,
    const char *subject, const char *text, const char *list_unsubscribe)
{
	size_t len;
	char  *msg = outbox_message(arena, cfg, to, subject, text,
	    list_unsubscribe, NULL, 0, &len);

	return store_outbox_add(s, mail_kind_names[kind], to, msg, len,
	    now_unix());
}
