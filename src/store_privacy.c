/*
 * store_privacy.c: one mailbox's data across every table (see
 * store_privacy.h): privacy requests, whether an address is known, the
 * export of everything held about it, its erasure, and the retention
 * purge. The statements reach into pledges, registrations, subscribers,
 * consents, tokens and the outbox on purpose: this is the one place that
 * knows where a person's data lives (comments and the consultant roster
 * are store_comments.c's and store_consultants.c's).
 */
#include <stddef.h>
#include <string.h>

#include "json_out.h"
#include "store_impl.h"
#include "store_privacy.h"

/* Everything about one mailbox is found by its normalised address :key.
 * A person's pledges and registrations are found through the UNIQUE
 * (campaign_id, email_key) and (event_id, email_key) indexes, one probe
 * per campaign or event (migrations 007 and 013 dropped the indexes on
 * email_key alone: a random-key B-tree page less written per sign-up). */
#define PLEDGE_OF_KEY(key) \
	"campaign_id IN (SELECT id FROM campaigns) AND email_key = " key " "
#define REG_OF_KEY(key) \
	"event_id IN (SELECT id FROM events) AND email_key = " key " "
#define CONSENTS_OF_KEY \
	"(subject = 'pledge' AND ref_id IN (SELECT id FROM pledges " \
	"WHERE " PLEDGE_OF_KEY(":key") ")) OR (subject = 'registration' AND ref_id IN " \
	"(SELECT id FROM registrations WHERE " REG_OF_KEY(":key") ")) OR " \
	"(subject = 'newsletter' AND ref_id IN (SELECT id FROM subscribers " \
	"WHERE email_key = :key)) "
/* Anonymising a pledge or registration: what counts stays (status,
 * country, actor type, category, quantity), who it was goes. */
#define PLEDGE_ERASE \
	"name = '', email = '', email_key = 'erased:' || id, " \
	"organisation = NULL, city = NULL, commitment = '', public = 0, " \
	"erased_at = coalesce(erased_at, :now) "
#define REG_ERASE \
	"name = '', email = '', email_key = 'erased:' || id, " \
	"organisation = NULL, role = NULL, " \
	"erased_at = coalesce(erased_at, :now) "

#define PRIV_REQUEST_ADD_SQL \
	"INSERT INTO privacy_requests (email, email_key, created_at) " \
	"VALUES (?, ?, ?)"
/* t: the cast that names :retention's or :now's type (PostgreSQL). */
#define PURGE_PLEDGES_ENDED_SQL(t) \
	"UPDATE pledges SET " PLEDGE_ERASE "WHERE :retention" t " IS NOT NULL " \
	"AND erased_at IS NULL AND campaign_id IN " \
	"(SELECT id FROM campaigns WHERE closes_at < :retention)"
#define PURGE_REGS_ENDED_SQL(t) \
	"UPDATE registrations SET " REG_ERASE "WHERE :retention" t " IS NOT " \
	"NULL AND erased_at IS NULL AND event_id IN " \
	"(SELECT id FROM events WHERE ends_at < :retention)"
#define PURGE_REQUESTS_SQL(t) \
	"DELETE FROM privacy_requests WHERE created_at < :now" t " - 86400"

enum privacy_stmt {
	PRIV_REQUEST_ADD,
	PRIV_REQUEST_GET,
	PRIV_KNOWN,
	PRIV_X_PLEDGES,
	PRIV_X_REGISTRATIONS,
	PRIV_X_SUBSCRIPTIONS,
	PRIV_X_CONSENTS,
	PRIV_X_MAILS,
	PRIV_OUTBOX_DELETE,
	PRIV_CONSENTS_DELETE,
	PRIV_TOKENS_DELETE,
	PRIV_PLEDGES_DELETE,
	PRIV_PLEDGES_ERASE,
	PRIV_REGS_ERASE,
	PRIV_SUBS_DELETE,
	PRIV_REQUESTS_DELETE,
	PURGE_PLEDGES_UNCONFIRMED,
	PURGE_SUBS_STALE,
	PURGE_PLEDGES_ENDED,
	PURGE_REGS_ENDED,
	PURGE_CONSENTS_ORPHANED,
	PURGE_CONSENTS_ANONYMISE,
	PURGE_TOKENS,
	PURGE_REQUESTS,
	PURGE_OUTBOX_SENT,
	PRIVACY__MAX
};

static const char *const sql[PRIVACY__MAX] = {
	[PRIV_REQUEST_ADD] = PRIV_REQUEST_ADD_SQL,
	[PRIV_REQUEST_GET] = "SELECT email, email_key, created_at "
	    "FROM privacy_requests WHERE id = ?",
	[PRIV_KNOWN] = "SELECT EXISTS (SELECT 1 FROM pledges "
	    "WHERE " PLEDGE_OF_KEY("?1") ") OR EXISTS (SELECT 1 FROM registrations "
	    "WHERE " REG_OF_KEY("?1") ") OR EXISTS (SELECT 1 FROM subscribers "
	    "WHERE email_key = ?1)",
	[PRIV_X_PLEDGES] = "SELECT p.id, c.slug AS campaign, p.status, "
	    "p.name, p.email, p.organisation, p.actor_type, p.country, p.city, "
	    "p.commitment, p.category, p.quantity, p.unit, p.target_year, "
	    "p.public, p.language, p.created_at, p.confirmed_at, "
	    "p.moderated_at FROM pledges p JOIN campaigns c "
	    "ON c.id = p.campaign_id WHERE p." PLEDGE_OF_KEY("?1")
	    "ORDER BY p.id",
	[PRIV_X_REGISTRATIONS] = "SELECT r.id, e.slug AS event, "
	    "r.status, r.name, r.email, r.organisation, r.country, r.role, "
	    "r.language, r.created_at, r.cancelled_at, r.checked_in_at "
	    "FROM registrations r JOIN events e ON e.id = r.event_id "
	    "WHERE r." REG_OF_KEY("?1") "ORDER BY r.id",
	[PRIV_X_SUBSCRIPTIONS] = "SELECT id, email, name, language, "
	    "status, created_at, confirmed_at, unsubscribed_at "
	    "FROM subscribers WHERE email_key = ?1",
	[PRIV_X_CONSENTS] = "SELECT subject, ref_id, given_at, client_ip, "
	    "notice_version, language, source, withdrawn_at FROM consents "
	    "WHERE " CONSENTS_OF_KEY "ORDER BY id",
	[PRIV_X_MAILS] = "SELECT id, kind, recipient, created_at, "
	    "sent_at, attempts FROM outbox WHERE email_key = ?1 ORDER BY id",
	[PRIV_OUTBOX_DELETE] = "DELETE FROM outbox WHERE email_key = :key",
	[PRIV_CONSENTS_DELETE] = "DELETE FROM consents WHERE "
	    CONSENTS_OF_KEY,
	[PRIV_TOKENS_DELETE] = "DELETE FROM tokens WHERE (kind = 'pledge' "
	    "AND ref_id IN (SELECT id FROM pledges WHERE "
	    PLEDGE_OF_KEY(":key") ")) OR "
	    "(kind = 'registration' AND ref_id IN (SELECT id FROM "
	    "registrations WHERE " REG_OF_KEY(":key") ")) OR (kind IN ('newsletter', "
	    "'unsubscribe') AND ref_id IN (SELECT id FROM subscribers WHERE "
	    "email_key = :key)) OR (kind = 'privacy' AND ref_id IN (SELECT id "
	    "FROM privacy_requests WHERE email_key = :key))",
	/* Unconfirmed pledges were never counted: they go. */
	[PRIV_PLEDGES_DELETE] = "DELETE FROM pledges WHERE "
	    PLEDGE_OF_KEY(":key") "AND status = 'pending_confirmation'",
	[PRIV_PLEDGES_ERASE] = "UPDATE pledges SET " PLEDGE_ERASE
	    "WHERE " PLEDGE_OF_KEY(":key"),
	[PRIV_REGS_ERASE] = "UPDATE registrations SET " REG_ERASE
	    "WHERE " REG_OF_KEY(":key"),
	[PRIV_SUBS_DELETE] = "DELETE FROM subscribers WHERE email_key = :key",
	[PRIV_REQUESTS_DELETE] = "DELETE FROM privacy_requests "
	    "WHERE email_key = :key",
	/* The erasure and the purge bind by name: :key (a normalised
	 * address), :now, :stale (the cut-off of
	 * unconfirmed sign-ups, 30 days) and :retention (campaigns and events
	 * that ended before it are anonymised; NULL when retention_days is
	 * 0). */
	/* Through pledges_status, campaign by campaign (migration 014). */
	[PURGE_PLEDGES_UNCONFIRMED] = "DELETE FROM pledges "
	    "WHERE campaign_id IN (SELECT id FROM campaigns) "
	    "AND status = 'pending_confirmation' AND created_at < :stale",
	[PURGE_SUBS_STALE] = "DELETE FROM subscribers WHERE "
	    "(status = 'pending_confirmation' AND created_at < :stale) OR "
	    "(status = 'unsubscribed' AND unsubscribed_at < :stale)",
	[PURGE_PLEDGES_ENDED] = PURGE_PLEDGES_ENDED_SQL(""),
	[PURGE_REGS_ENDED] = PURGE_REGS_ENDED_SQL(""),
	[PURGE_CONSENTS_ORPHANED] = "DELETE FROM consents WHERE "
	    "(subject = 'pledge' AND ref_id NOT IN (SELECT id FROM pledges)) "
	    "OR (subject = 'registration' AND ref_id NOT IN "
	    "(SELECT id FROM registrations)) OR (subject = 'newsletter' AND "
	    "ref_id NOT IN (SELECT id FROM subscribers))",
	[PURGE_CONSENTS_ANONYMISE] = "UPDATE consents SET client_ip = NULL "
	    "WHERE client_ip IS NOT NULL AND ((subject = 'pledge' AND ref_id IN "
	    "(SELECT id FROM pledges WHERE erased_at IS NOT NULL)) OR "
	    "(subject = 'registration' AND ref_id IN (SELECT id FROM "
	    "registrations WHERE erased_at IS NOT NULL)))",
	/* Expired tokens, and those whose row is gone (so that no link can
	 * ever reach a row that took over a deleted one's id). */
	[PURGE_TOKENS] = "DELETE FROM tokens WHERE expires_at < :now OR "
	    "(kind = 'pledge' AND ref_id NOT IN (SELECT id FROM pledges)) OR "
	    "(kind = 'registration' AND ref_id NOT IN "
	    "(SELECT id FROM registrations)) OR (kind IN ('newsletter', "
	    "'unsubscribe') AND ref_id NOT IN (SELECT id FROM subscribers))",
	[PURGE_REQUESTS] = PURGE_REQUESTS_SQL(""),
	[PURGE_OUTBOX_SENT] = "DELETE FROM outbox "
	    "WHERE sent_at IS NOT NULL AND sent_at < :stale",
};

/* PostgreSQL: the types of parameters that only IS NULL or arithmetic
 * would name; the new id back. */
static const char *const sql_pg[PRIVACY__MAX] = {
	[PRIV_REQUEST_ADD] = PRIV_REQUEST_ADD_SQL " RETURNING id",
	[PURGE_PLEDGES_ENDED] = PURGE_PLEDGES_ENDED_SQL("::bigint"),
	[PURGE_REGS_ENDED] = PURGE_REGS_ENDED_SQL("::bigint"),
	[PURGE_REQUESTS] = PURGE_REQUESTS_SQL("::bigint"),
};

const struct stmt_set store_privacy_set = { "privacy", sql, sql_pg,
	PRIVACY__MAX };

static struct stmt *
q(struct store *s, enum privacy_stmt id)
{
	return store_stmt(s, SET_PRIVACY, id);
}

enum db_err
store_privacy_request_add(struct store *s, const char *email,
    const char *email_key, int64_t now, int64_t *id)
{
	struct stmt *st = q(s, PRIV_REQUEST_ADD);

	bind_text(st, 1, email);
	bind_text(st, 2, email_key);
	bind_int64(st, 3, now);
	return store_insert(s, st, id, "privacy request add");
}

enum db_err
store_privacy_request_get(struct store *s, struct arena *arena, int64_t id,
    const char **email, const char **email_key, int64_t *created_at)
{
	struct stmt  *st = q(s, PRIV_REQUEST_GET);
	enum db_err   e;

	bind_int64(st, 1, id);
	if ((e = store_step_row(s, st, "privacy request")) != DB_OK)
		return e;
	*email = col_text(arena, st, 0);
	*email_key = col_text(arena, st, 1);
	*created_at = col_int64(st, 2);
	store_row_done(st);
	return DB_OK;
}

enum db_err
store_person_known(struct store *s, const char *email_key, bool *known)
{
	struct stmt *st = q(s, PRIV_KNOWN);

	bind_text(st, 1, email_key);
	return store_bool(s, st, known, "person known");
}

/* Whether a column holds a time (its name ends in "_at"). */
static bool
column_is_time(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcmp(name + n - 3, "_at") == 0;
}

/* Runs export statement id for email_key into a new array at into[key]:
 * one object per row, keyed by column name. */
static enum db_err
export_section(struct store *s, enum privacy_stmt id, const char *email_key,
    json_t *into, const char *key)
{
	struct stmt  *st = q(s, id);
	json_t	     *rows = json_array();
	enum db_err   e = DB_OK;

	json_object_set_new(into, key, rows);
	bind_text(st, 1, email_key);
	while (store_next(s, st, &e, "person export")) {
		json_t *o = json_object();

		for (int c = 0; c < col_count(st); c++) {
			const char *name = col_name(st, c);
			json_t	   *v;

			switch (col_type(st, c)) {
			case COL_NULL:
				v = json_null();
				break;
			case COL_INT:
				if (column_is_time(name))
					v = json_time(true, col_int64(st, c));
				else if (strcmp(name, "public") == 0)
					v = json_boolean(col_int(st, c));
				else
					v = json_integer(col_int64(st, c));
				break;
			default: {
				size_t	    len;
				const char *t = col_text_len(st, c, &len);

				v = json_stringn(t, len);
				break;
			}
			}
			json_object_set_new(o, name, v);
		}
		json_array_append_new(rows, o);
	}
	return e;
}

enum db_err
store_person_export(struct store *s, const char *email_key, json_t *into)
{
	static const struct {
		enum privacy_stmt id;
		const char	 *key;
	} sections[] = {
		{ PRIV_X_PLEDGES, "pledges" },
		{ PRIV_X_REGISTRATIONS, "registrations" },
		{ PRIV_X_SUBSCRIPTIONS, "subscriptions" },
		{ PRIV_X_CONSENTS, "consents" },
		{ PRIV_X_MAILS, "mails" },
	};
	enum db_err e = DB_OK;

	for (size_t i = 0; e == DB_OK && i < sizeof(sections) /
	    sizeof(sections[0]); i++)
		e = export_section(s, sections[i].id, email_key, into,
		    sections[i].key);
	return e;
}

/* The named parameters of the erasure and purge statements. */
struct erase_binds {
	const char   *key;		/* :key, or NULL */
	int64_t	      now, stale;	/* :now, :stale */
	bool	      has_retention;
	int64_t	      retention;	/* :retention (NULL without) */
};

/* Binds those of b's values that statement st names. */
static void
erase_bind(struct stmt *st, const struct erase_binds *b)
{
	int i;

	if ((i = bind_index(st, ":key")) > 0)
		bind_text(st, i, b->key);
	if ((i = bind_index(st, ":now")) > 0)
		bind_int64(st, i, b->now);
	if ((i = bind_index(st, ":stale")) > 0)
		bind_int64(st, i, b->stale);
	if ((i = bind_index(st, ":retention")) > 0)
		bind_opt_int64(st, i, b->has_retention, b->retention);
}

/* One step of an erasure or purge: a statement and the count it adds to. */
struct erase_step {
	enum privacy_stmt id;
	size_t		  count; /* offsetof in struct erase_report */
};
#define STEP(id, field) { id, offsetof(struct erase_report, field) }

/* Runs steps in order with b bound, adding the rows each changed to r. */
static enum db_err
erase_run(struct store *s, const struct erase_step *steps, size_t n,
    const struct erase_binds *b, struct erase_report *r)
{
	for (size_t i = 0; i < n; i++) {
		struct stmt  *st = q(s, steps[i].id);
		enum db_err   e;

		erase_bind(st, b);
		if ((e = store_exec(s, st, "erase")) != DB_OK)
			return e;
		*(int64_t *)(void *)((char *)r + steps[i].count) +=
		    store_changes(s);
	}
	return DB_OK;
}

enum db_err
store_person_erase(struct store *s, const char *email_key, int64_t now,
    struct erase_report *r)
{
	/* Consents and tokens are found through the rows, so they go before
	 * the rows lose their address; mail by its own key. */
	static const struct erase_step steps[] = {
		STEP(PRIV_OUTBOX_DELETE, mails_deleted),
		STEP(PRIV_CONSENTS_DELETE, consents_deleted),
		STEP(PRIV_TOKENS_DELETE, tokens_deleted),
		STEP(PRIV_PLEDGES_DELETE, pledges_deleted),
		STEP(PRIV_PLEDGES_ERASE, pledges_anonymised),
		STEP(PRIV_REGS_ERASE, registrations_anonymised),
		STEP(PRIV_SUBS_DELETE, subscriptions_deleted),
		STEP(PRIV_REQUESTS_DELETE, requests_deleted),
	};
	struct erase_binds b = { .key = email_key, .now = now };

	return erase_run(s, steps, sizeof(steps) / sizeof(steps[0]), &b, r);
}

enum db_err
store_purge(struct store *s, int64_t now, int64_t stale_before,
    bool has_retention, int64_t retention_end, struct erase_report *r)
{
	static const struct erase_step steps[] = {
		STEP(PURGE_PLEDGES_UNCONFIRMED, pledges_deleted),
		STEP(PURGE_SUBS_STALE, subscriptions_deleted),
		STEP(PURGE_PLEDGES_ENDED, pledges_anonymised),
		STEP(PURGE_REGS_ENDED, registrations_anonymised),
		STEP(PURGE_CONSENTS_ORPHANED, consents_deleted),
		STEP(PURGE_CONSENTS_ANONYMISE, consents_anonymised),
		STEP(PURGE_TOKENS, tokens_deleted),
		STEP(PURGE_REQUESTS, requests_deleted),
		STEP(PURGE_OUTBOX_SENT, mails_deleted),
	};
	struct erase_binds b = { .now = now, .stale = stale_before,
		.has_retention = has_retention, .retention = retention_end };

	return erase_run(s, steps, sizeof(steps) / sizeof(steps[0]), &b, r);
}

