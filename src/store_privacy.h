/*
 * store_privacy.h: one mailbox's data across every table (find, export,
 * erase) and the retention purge. Implemented in store_privacy.c; the
 * connection and the types every table shares are in store.h.
 */
#ifndef ICOMMIT_STORE_PRIVACY_H
#define ICOMMIT_STORE_PRIVACY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

enum db_err store_privacy_request_add(struct store *s, const char *email,
	    const char *email_key, int64_t now, int64_t *id);
enum db_err store_privacy_request_get(struct store *s, struct arena *arena,
	    int64_t id, const char **email, const char **email_key,
	    int64_t *created_at);
/* Whether pledges, registrations or subscriptions hold this mailbox. */
enum db_err store_person_known(struct store *s, const char *email_key,
	    bool *known);
/*
 * Adds to into every record held about the mailbox email_key, one array
 * per section ("pledges", "registrations", "subscriptions", "consents",
 * "mails"), each row an object keyed by column; *_at columns as RFC 3339.
 */
enum db_err store_person_export(struct store *s, const char *email_key,
	    json_t *into);

/* What an erasure or a purge did, row counts per table. */
struct erase_report {
	int64_t pledges_deleted, pledges_anonymised;
	int64_t registrations_anonymised;
	int64_t subscriptions_deleted;
	int64_t consents_deleted, consents_anonymised;
	int64_t mails_deleted, tokens_deleted, requests_deleted;
	int64_t other_deleted;	/* comments and consultant profiles */
};
/*
 * Removes the personal fields of mailbox email_key everywhere: counted
 * pledges and registrations are anonymised (their counts stay), the rest
 * is deleted, including queued mail, consent records and tokens. Call
 * inside a transaction.
 */
enum db_err store_person_erase(struct store *s, const char *email_key,
	    int64_t now, struct erase_report *r);
/*
 * Retention: deletes sign-ups left unconfirmed (and subscriptions left
 * unsubscribed) since before stale_before, expired tokens, sent mail
 * older than stale_before and old privacy requests; with
 * has_retention, anonymises the pledges of campaigns and the
 * registrations of events that ended before retention_end. Idempotent.
 * Call inside a transaction.
 */
enum db_err store_purge(struct store *s, int64_t now, int64_t stale_before,
	    bool has_retention, int64_t retention_end, struct erase_report *r);

#endif
