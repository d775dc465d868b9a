/*
 * outbox.c: rendering and queueing mail with the daily quota (see
 * outbox.h).
 */
#include <string.h>

#include "outbox.h"
#include "store.h"
#include "token.h"
#include "util.h"

void
outbox_render(struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const char *address_key, const struct mail_vars *vars,
    const struct mail_attachment *attachments, size_t nattachments,
    struct rendered_mail *out)
{
	struct mail m = { 0 };
	const char *subject, *text;

	mailtext_render(arena, kind, lang, vars, &subject, &text);
	m.from = cfg->mail_from;
	m.from_name = MAIL_FROM_NAME;
	m.to = to;
	m.subject = subject;
	m.text = text;
	m.html = mail_text_to_html(arena, text);
	m.attachments = attachments;
	m.nattachments = nattachments;
	out->kind = kind;
	out->to = to;
	out->address_key = address_key;
	out->msg = mail_render(arena, &m, &out->len);
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
