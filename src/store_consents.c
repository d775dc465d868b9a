/*
 * store_consents.c: consent records (see store_consents.h): who
 * agreed to which version of the privacy notice, when, in which language
 * and from where, for a pledge, a registration or a subscription. Written
 * in the same transaction as the row they are about.
 */
#include "store_consents.h"
#include "store_impl.h"

enum consent_stmt {
	CONSENT_ADD,
	CONSENT_WITHDRAW,
	CONSENT__MAX
};

static const char *const sql[CONSENT__MAX] = {
	[CONSENT_ADD] = "INSERT INTO consents (subject, ref_id, given_at, "
	    "client_ip, notice_version, language, source) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?)",
	[CONSENT_WITHDRAW] = "UPDATE consents SET withdrawn_at = ?3 "
	    "WHERE subject = ?1 AND ref_id = ?2 AND withdrawn_at IS NULL",
};

const struct stmt_set store_consents_set = { "consents", sql, NULL,
	CONSENT__MAX };

enum db_err
store_consent_add(struct store *s, const struct consent *c)
{
	struct stmt *st = store_stmt(s, SET_CONSENTS, CONSENT_ADD);

	bind_text(st, 1, c->subject);
	bind_int64(st, 2, c->ref_id);
	bind_int64(st, 3, c->given_at);
	bind_text(st, 4, c->client_ip);
	bind_text(st, 5, c->notice_version);
	bind_text(st, 6, c->language);
	bind_text(st, 7, c->source);
	return store_exec(s, st, "consent add");
}

enum db_err
store_consent_withdraw(struct store *s, const char *subject, int64_t ref_id,
    int64_t now)
{
	struct stmt *st = store_stmt(s, SET_CONSENTS, CONSENT_WITHDRAW);

	bind_text(st, 1, subject);
	bind_int64(st, 2, ref_id);
	bind_int64(st, 3, now);
	return store_exec(s, st, "consent withdraw");
}
