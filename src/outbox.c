/*
 * outbox.c: queueing mail with the daily quota (a template mail as its
 * variables and an event's .ics beside them; other mail whole), rendering it
 * for the mailer, and the tokened links mails carry (see outbox.h).
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ics.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "store_outbox.h"
#include "token.h"
#include "util.h"
#include "validate.h"

const char *
outbox_link_new(struct arena *arena, const struct config *cfg,
    const char *page, const char *tail, unsigned char hash[TOKEN_HASH_LEN])
{
	char   token[TOKEN_LEN + 1], *out;
	size_t len;

	token_new(token, hash);
	if (tail == NULL)
		tail = "";
	len = strlen(cfg->base_url) + strlen(page) + sizeof("?token=") +
	    TOKEN_LEN + strlen(tail);
	out = arena_alloc(arena, len);
	snprintf(out, len, "%s%s?token=%s%s", cfg->base_url, page, token,
	    tail);
	return out;
}

enum db_err
outbox_link(struct store *s, struct arena *arena, const struct config *cfg,
    const char *kind, int64_t ref_id, int64_t created_at, int64_t expires_at,
    const char *page, const char *tail, const char **link)
{
	unsigned char hash[TOKEN_HASH_LEN];

	*link = outbox_link_new(arena, cfg, page, tail, hash);
	return store_token_add(s, hash, kind, ref_id, created_at, expires_at);
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

/* The placeholders of struct mail_vars by their names in the JSON. */
static const struct {
	const char *name;
	size_t	    offset;
} var_fields[] = {
#define VAR(f) { #f, offsetof(struct mail_vars, f) }
	VAR(name), VAR(campaign), VAR(link), VAR(event), VAR(when),
	VAR(position), VAR(topic), VAR(email), VAR(message),
#undef VAR
};
#define VAR_FIELDS (sizeof(var_fields) / sizeof(var_fields[0]))

/* Placeholder i of v (var_fields' order). */
static const char *
var_get(const struct mail_vars *v, size_t i)
{
	const char *s;

	memcpy(&s, (const char *)v + var_fields[i].offset, sizeof(s));
	return s;
}

static void
var_set(struct mail_vars *v, size_t i, const char *s)
{
	memcpy((char *)v + var_fields[i].offset, &s, sizeof(s));
}

/* vars (and lang) as one JSON object, from arena. */
static char *
vars_encode(struct arena *arena, enum lang lang, const struct mail_vars *vars)
{
	json_t *o = json_pack("{s:s}", "lang", lang_codes[lang]);
	char   *text, *out;

	if (o == NULL)
		log_fatal("out of memory");
	for (size_t i = 0; i < VAR_FIELDS; i++) {
		const char *v = var_get(vars, i);

		if (v != NULL && json_object_set_new(o, var_fields[i].name,
		    json_string(v)) != 0)
			log_fatal("out of memory");
	}
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
		log_fatal("out of memory");
	json_decref(o);
	out = arena_strdup(arena, text);
	free(text);
	return out;
}

/* The reverse of vars_encode; strings from arena. When ics is not NULL,
 * *ics is the .ics text that mail queued before migration 016 kept among
 * its variables, or NULL. -1 if text is not such an object. */
static int
vars_decode(struct arena *arena, const char *text, enum lang *lang,
    struct mail_vars *vars, const char **ics)
{
	json_t	   *o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	json_t	   *cal;
	const char *code;
	int	    l, rc = -1;

	*vars = (struct mail_vars){ 0 };
	if (ics != NULL)
		*ics = NULL;
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "lang")))
		goto out;
	if ((cal = json_object_get(o, "ics")) != NULL) {
		if (!json_is_string(cal))
			goto out;
		if (ics != NULL)
			*ics = arena_strdup(arena, json_string_value(cal));
	}
	code = json_string_value(json_object_get(o, "lang"));
	if ((l = lang_from_code(code)) < 0)
		goto out;
	*lang = (enum lang)l;
	for (size_t i = 0; i < VAR_FIELDS; i++) {
		json_t *v = json_object_get(o, var_fields[i].name);

		if (v == NULL)
			continue;
		if (!json_is_string(v))
			goto out;
		var_set(vars, i, arena_strdup(arena, json_string_value(v)));
	}
	rc = 0;
out:
	json_decref(o);
	return rc;
}

/* Whether a is an event's .ics as registrations.c makes it (text). */
static bool
outbox_is_ics(const struct mail_attachment *a)
{
	return strcmp(a->content_type, ICS_MAIL_TYPE) == 0 &&
	    strcmp(a->filename, ICS_MAIL_NAME) == 0 &&
	    memchr(a->data, '\0', a->len) == NULL;
}

/* The whole message of template mail kind in lang with vars, from arena. */
static char *
outbox_render(struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const struct mail_vars *vars, const struct mail_attachment *attachments,
    size_t nattachments, size_t *len)
{
	const char *subject, *text;

	mailtext_render(arena, kind, lang, vars, &subject, &text);
	return outbox_message(arena, cfg, to, subject, text, NULL,
	    attachments, nattachments, len);
}

void
outbox_prepare(struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const char *address_key, const struct mail_vars *vars,
    const struct mail_attachment *attachments, size_t nattachments,
    struct prepared_mail *out)
{
	*out = (struct prepared_mail){ .kind = kind, .to = to,
		.address_key = address_key };
	if (nattachments > 1 ||
	    (nattachments == 1 && !outbox_is_ics(&attachments[0]))) {
		out->msg = outbox_render(arena, cfg, kind, lang, to, vars,
		    attachments, nattachments, &out->len);
		return;
	}
	out->vars = vars_encode(arena, lang, vars);
	/* An event's .ics travels beside the variables: a few hundred bytes
	 * of text instead of a 3 KB MIME message (three more database pages)
	 * in the registration's transaction. */
	if (nattachments == 1)
		out->ics = arena_strndup(arena, attachments[0].data,
		    attachments[0].len);
}

/* The template mail kind named name with its variables (and, when ics is
 * not NULL, the .ics text or NULL) decoded from vars; -1 when there is no
 * such template or vars cannot be read. */
static int
template_of(struct arena *arena, const char *name, const char *vars,
    enum mail_kind *kind, enum lang *lang, struct mail_vars *v,
    const char **ics)
{
	int k;

	for (k = 0; k < MAIL__MAX; k++)
		if (strcmp(mail_kind_names[k], name) == 0)
			break;
	if (k == MAIL__MAX || k == MAIL_NEWSLETTER_ISSUE ||
	    vars_decode(arena, vars, lang, v, ics) != 0)
		return -1;
	*kind = (enum mail_kind)k;
	return 0;
}

int
outbox_compose(struct arena *arena, const struct config *cfg,
    const char *kind, const char *to, const char *vars, const char *ics,
    char **msg, size_t *len)
{
	struct mail_attachment cal = { .content_type = ICS_MAIL_TYPE,
		.filename = ICS_MAIL_NAME };
	struct mail_vars       v;
	enum mail_kind	       k;
	enum lang	       lang;
	const char	      *old_ics;

	if (template_of(arena, kind, vars, &k, &lang, &v, &old_ics) != 0)
		return -1;
	if (ics == NULL)
		ics = old_ics;
	if (ics != NULL) {
		cal.data = ics;
		cal.len = strlen(ics);
	}
	*msg = outbox_render(arena, cfg, k, lang, to, &v, &cal,
	    ics != NULL ? 1 : 0, len);
	return 0;
}

const char *
outbox_subject(struct arena *arena, const char *kind, const char *vars,
    const char *message, size_t len)
{
	struct mail_vars v;
	enum mail_kind	 k;
	enum lang	 lang;
	const char	*subject, *text;

	if (vars != NULL) {
		if (template_of(arena, kind, vars, &k, &lang, &v, NULL) != 0)
			return NULL;
		mailtext_render(arena, k, lang, &v, &subject, &text);
		return subject;
	}
	return message != NULL ? mail_subject_of(arena, message, len) : NULL;
}

/* Whether a mail of kind to address_key may go today: *queued false when
 * kind is limited and address_key has had its MAIL_DAILY_LIMIT. */
static enum db_err
outbox_quota_check(struct store *s, enum mail_kind kind,
    const char *address_key, int64_t now, bool *queued)
{
	int64_t	    n = 0;
	enum db_err e;

	*queued = true;
	if (!mail_kind_limited[kind] || address_key == NULL)
		return DB_OK;
	e = store_mail_quota_count(s, address_key, now - now % 86400, &n);
	*queued = e == DB_OK && n < MAIL_DAILY_LIMIT;
	return e;
}

/* Queues p's message (or vars and .ics), counted against the limit of
 * its address key when its kind is limited. */
static enum db_err
outbox_add(struct store *s, const struct prepared_mail *p, int64_t now)
{
	struct outbox_new m = { .kind = mail_kind_names[p->kind],
		.recipient = p->to, .email_key = p->address_key,
		.message = p->msg, .len = p->len, .vars = p->vars,
		.ics = p->ics, .quota = mail_kind_limited[p->kind],
		.now = now };

	return store_outbox_add(s, &m);
}

enum db_err
outbox_queue_prepared(struct store *s, const struct prepared_mail *m,
    bool *queued)
{
	int64_t	    now = now_unix();
	enum db_err e;

	e = outbox_quota_check(s, m->kind, m->address_key, now, queued);
	if (e != DB_OK || !*queued)
		return e;
	return outbox_add(s, m, now);
}

enum db_err
outbox_queue(struct store *s, struct arena *arena, const struct config *cfg,
    enum mail_kind kind, enum lang lang, const char *to,
    const char *address_key, const struct mail_vars *vars,
    const struct mail_attachment *attachments, size_t nattachments,
    bool *queued)
{
	struct prepared_mail m;
	int64_t		     now = now_unix();
	enum db_err	     e;

	/* Quota first: a mail over the limit is not even prepared. */
	e = outbox_quota_check(s, kind, address_key, now, queued);
	if (e != DB_OK || !*queued)
		return e;
	outbox_prepare(arena, cfg, kind, lang, to, address_key, vars,
	    attachments, nattachments, &m);
	return outbox_add(s, &m, now);
}

enum db_err
outbox_queue_text(struct store *s, struct arena *arena,
    const struct config *cfg, enum mail_kind kind, const char *to,
    const char *subject, const char *text, const char *list_unsubscribe)
{
	struct prepared_mail m = { .kind = kind, .to = to,
		.address_key = email_normalise(arena, to) };

	m.msg = outbox_message(arena, cfg, to, subject, text,
	    list_unsubscribe, NULL, 0, &m.len);
	return outbox_add(s, &m, now_unix());
}
