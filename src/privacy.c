/*
 * privacy.c: the self-service rights of API.md "Personal data": asking for
 * a link (always the same reply), exporting everything held about one's
 * address, erasing it; and the erasure and retention purge that icommitctl
 * shares. Its job is to reach every record of one person, so it sits above
 * the resources (see docs/architecture.md) and asks the consultants
 * resource for the records it keeps.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "comments.h"
#include "consent.h"
#include "consultants.h"
#include "handlers.h"
#include "json_out.h"
#include "log.h"
#include "outbox.h"
#include "privacy.h"
#include "response.h"
#include "store.h"
#include "store_outbox.h"
#include "store_comments.h"
#include "store_consultants.h"
#include "token.h"
#include "writer.h"

#define PRIVACY_TOKEN_SECS 86400	/* the mailed link works for 24 h */
#define UNCONFIRMED_DAYS   30		/* unconfirmed sign-ups are kept */

/* ---- asking for the link ---- */

struct request_job {
	const struct config *cfg;
	struct arena	    *arena;
	const char	    *email, *email_key;
	enum lang	     lang;
};

/* Whether any table holds the mailbox email_key. */
static enum db_err
person_known(struct store *s, const char *email_key, bool *known)
{
	enum db_err (*const holders[])(struct store *, const char *, bool *) = {
		store_person_known,	/* pledges, registrations, newsletter */
		store_comments_known,
		store_consultants_known,
	};
	enum db_err e = DB_OK;

	*known = false;
	for (size_t i = 0; e == DB_OK && !*known && i < 3; i++)
		e = holders[i](s, email_key, known);
	return e;
}

static enum db_err
request_tx(struct store *s, void *arg)
{
	struct request_job *j = arg;
	struct mail_vars    vars = { 0 };
	int64_t		    id, now = now_unix();
	bool		    known, queued;
	enum db_err	    e;

	if ((e = person_known(s, j->email_key, &known)) != DB_OK)
		return e;
	if (!known)
		return DB_OK;
	if ((e = store_privacy_request_add(s, j->email, j->email_key, now,
	    &id)) != DB_OK)
		return e;
	if ((e = outbox_link(s, j->arena, j->cfg, "privacy", id, now,
	    now + PRIVACY_TOKEN_SECS, "/privacy.html", NULL, &vars.link)) != DB_OK)
		return e;
	return outbox_queue(s, j->arena, j->cfg, MAIL_PRIVACY_LINK, j->lang,
	    j->email, j->email_key, &vars, NULL, 0, &queued);
}

void
privacy_request(struct req *r)
{
	struct fields	   f;
	struct request_job j = { .cfg = r->cfg, .arena = r->arena };
	const char	  *language = NULL;
	enum db_err	   e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0)
		goto out;
	field_email(&f, "email", true, &j.email);
	field_language(&f, "language", &language);
	if (!fields_ok(&f)) {
		resp_invalid(r, &f);
		goto out;
	}
	j.lang = (enum lang)lang_from_code(language);
	j.email_key = email_normalise(r->arena, j.email);
	/* Known or not, the same work through the writer and the same
	 * reply: the answer tells nobody whether we hold the address. */
	e = writer_run(r->writer, request_tx, &j);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_json(r, 202, json_pack("{s:s}", "status", "sent_if_known"));
out:
	fields_free(&f);
}

/* The request a privacy token stands for: DB_NOTFOUND when the token is
 * unknown, of another kind or expired. */
static enum db_err
privacy_token_find(struct store *s, struct arena *arena,
    const struct token_keys *keys, const char **email,
    const char **email_key)
{
	const char *kind;
	int64_t	    ref, expires, created;
	enum db_err e;

	e = store_token_find(s, arena, keys, &kind, &ref, &expires);
	if (e != DB_OK)
		return e;
	if (kind == NULL || strcmp(kind, "privacy") != 0 ||
	    expires < now_unix())
		return DB_NOTFOUND;
	return store_privacy_request_get(s, arena, ref, email, email_key,
	    &created);
}

/* ---- export ---- */

void
privacy_export(struct req *r)
{
	struct fields f;
	struct token_keys keys;
	const char   *email, *email_key;
	json_t	     *o = NULL;
	enum db_err   e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0 ||
	    req_token(r, &f, false, &keys) != 0)
		goto out;
	e = privacy_token_find(r->store, r->arena, &keys, &email, &email_key);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	o = json_pack("{s:s, s:o, s:s}", "email", email, "generated_at",
	    json_time(true, now_unix()), "privacy_notice_version",
	    PRIVACY_NOTICE_VERSION);
	e = store_person_export(r->store, email_key, o);
	if (e == DB_OK)
		e = comments_privacy_export(r->store, r->arena, email_key, o);
	if (e == DB_OK)
		e = consultants_privacy_export(r->store, r->arena, email_key,
		    o);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	resp_header(r, "Content-Disposition",
	    "attachment; filename=\"icommit-my-data.json\"");
	resp_json(r, 200, o);
	o = NULL;
out:
	json_decref(o);
	fields_free(&f);
}

/* ---- erasure ---- */

enum db_err
privacy_erase_person(struct store *s, struct arena *arena, const char *email,
    int64_t now, struct erase_report *rep)
{
	const char *key = email_normalise(arena, email);
	enum db_err e;

	/* The outbox knows the mailbox by its key too: mail to any address
	 * it used goes with the rest (store_person_erase). */
	if ((e = store_person_erase(s, key, now, rep)) != DB_OK ||
	    (e = store_comments_erase(s, key, &rep->other_deleted)) != DB_OK ||
	    (e = store_consultants_erase(s, key, &rep->other_deleted)) != DB_OK)
		return e;
	return DB_OK;
}

struct erase_job {
	const struct config *cfg;
	struct arena	    *arena;
	struct token_keys    keys;
	enum lang	     lang;
	struct erase_report  rep;
};

static enum db_err
erase_tx(struct store *s, void *arg)
{
	struct erase_job *j = arg;
	const char	 *email, *email_key;
	struct mail_vars  vars = { 0 };
	bool		  queued;
	enum db_err	  e;

	e = privacy_token_find(s, j->arena, &j->keys, &email, &email_key);
	if (e != DB_OK)
		return e;
	memset(&j->rep, 0, sizeof(j->rep));	/* a run again (writer.h) */
	e = privacy_erase_person(s, j->arena, email, now_unix(), &j->rep);
	if (e != DB_OK)
		return e;
	/* The last mail says it is done. Without a mail server it would
	 * stay queued with the address, so then there is none. */
	if (j->cfg->smtp_url[0] == '\0')
		return DB_OK;
	return outbox_queue(s, j->arena, j->cfg, MAIL_PRIVACY_ERASED, j->lang,
	    email, email_key, &vars, NULL, 0, &queued);
}

void
privacy_erase(struct req *r)
{
	struct fields	 f;
	struct erase_job j = { .cfg = r->cfg, .arena = r->arena };
	const char	*language = NULL;
	enum db_err	 e;

	if (req_body_fields(r, false, &f) != 0)
		return;
	if (req_rate_limit(r, RATELIMIT_PUBLIC_POST) != 0 ||
	    req_token(r, &f, false, &j.keys) != 0)
		goto out;
	if (field_language(&f, "language", &language) != 0) {
		resp_invalid(r, &f);
		goto out;
	}
	j.lang = (enum lang)lang_from_code(language);
	e = writer_run(r->writer, erase_tx, &j);
	if (e != DB_OK) {
		resp_db_error(r, e);
		goto out;
	}
	/* Old copies of the pages may sit in the WAL file: fold it into the
	 * database (where deleted bytes are zeroed) and empty it. */
	store_checkpoint_truncate(r->store);
	log_info("personal data erased: %" PRId64 " pledges, %" PRId64
	    " registrations, %" PRId64 " subscriptions",
	    j.rep.pledges_deleted + j.rep.pledges_anonymised,
	    j.rep.registrations_anonymised, j.rep.subscriptions_deleted);
	resp_json(r, 200, json_pack("{s:s}", "status", "erased"));
out:
	fields_free(&f);
}

/* ---- retention ---- */

enum db_err
privacy_purge(struct store *s, const struct config *cfg, int64_t now,
    struct erase_report *rep)
{
	int64_t stale = now - (int64_t)UNCONFIRMED_DAYS * 86400;
	int64_t retention_end = now - (int64_t)cfg->retention_days * 86400;

	enum db_err e = store_purge(s, now, stale, cfg->retention_days > 0,
	    retention_end, rep);

	if (e == DB_OK)
		e = consultants_purge_unconfirmed(s, stale, &rep->other_deleted);
	return e;
}

void
privacy_report_print(FILE *out, const char *prefix,
    const struct erase_report *rep)
{
	const struct {
		const char *what;
		int64_t	    n;
	} lines[] = {
		{ "pledges deleted (unconfirmed)", rep->pledges_deleted },
		{ "pledges anonymised", rep->pledges_anonymised },
		{ "registrations anonymised", rep->registrations_anonymised },
		{ "subscriptions deleted", rep->subscriptions_deleted },
		{ "consent records deleted", rep->consents_deleted },
		{ "consent records anonymised", rep->consents_anonymised },
		{ "mails deleted", rep->mails_deleted },
		{ "tokens deleted", rep->tokens_deleted },
		{ "privacy requests deleted", rep->requests_deleted },
		{ "comments and consultant profiles", rep->other_deleted },
	};
	bool any = false;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (lines[i].n == 0)
			continue;
		fprintf(out, "%s%s: %" PRId64 "\n", prefix, lines[i].what,
		    lines[i].n);
		any = true;
	}
	if (!any)
		fprintf(out, "%snothing to do\n", prefix);
}
