/*
 * outbox.c: rendering and queueing mail with the daily quota (see
 * outbox.h).
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
    const char **link)
{
	char	      token[TOKEN_LEN + 1], *out;
	unsigned char hash[TOKEN_HASH_LEN];
	size_t	      len;
	enum db_err   e;

	token_new(token, hash);
	if ((e = store_token_add(s, hash, kind, ref_id, expires_at)) != DB_OK)
		return e;
	len = strlen(cfg->base_url) + strlen(page) + sizeof("?token=") +
	    TOKEN_LEN;
	out = arena_alloc(arena, len);
	snprintf(out, len, "%s%s?token=%s", cfg->base_url, page, token);
	*link = out;
	return DB_OK;
}

/* Renders the message and adds it to the outbox. */
static enum db_err
outbox_add(struct store *s, struct arena *arena, const struct config *cfg,
    enum mail_kind kind, const char *to, const char *subject,
    const char *text, const char *list_unsubscribe,
    const struct mail_attachment *attachments, size_t nattachments)
{
	struct mail m = { 0 };
	char	   *msg;
	size_t	    len;

	m.from = cfg->mail_from;
	m.from_name = MAIL_FROM_NAME;
	m.to = to;
	m.subject = subject;
	m.text = text;
	m.html = mail_text_to_html(arena, text);
	m.list_unsubscribe = list_unsubscribe;
	m.attachments = attachments;
	m.nattachments = nattachments;
	msg = mail_render(arena, &m, &len);
	return store_outbox_add(s, mail_kind_names[kind], to, msg, len,
	    now_unix());
}

enum db_err
outbox_queue(struct store *s, struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const char *address_key, const struct mail_vars *vars,
    const struct mail_attachment *attachments, size_t nattachments,
    bool *queued)
{
	unsigned char hash[TOKEN_HASH_LEN];
	const char   *subject, *text;
	enum db_err   e;

	*queued = true;
	if (mail_kind_limited[kind]) {
		sha256(address_key, strlen(address_key), hash);
		e = store_mail_quota_take(s, hash, now_unix() / 86400,
		    MAIL_DAILY_LIMIT, queued);
		if (e != DB_OK || !*queued)
			return e;
	}
	mailtext_render(arena, kind, lang, vars, &subject, &text);
	return outbox_add(s, arena, cfg, kind, to, subject, text, NULL,
	    attachments, nattachments);
}

enum db_err
outbox_queue_text(struct store *s, struct arena *arena,
    const struct config *cfg, enum mail_kind kind, const char *to,
    const char *subject, const char *text, const char *list_unsubscribe)
{
	return outbox_add(s, arena, cfg, kind, to, subject, text,
	    list_unsubscribe, NULL, 0);
}
