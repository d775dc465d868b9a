/*
 * consultants.h: what other modules use of the consultant roster
 * (consultants.c): the confirmation of a consultant's token (for
 * POST /api/v1/confirm), its CSV export, and the personal-data hooks of
 * the privacy feature (export, erasure, purge).
 */
#ifndef ICOMMIT_CONSULTANTS_H
#define ICOMMIT_CONSULTANTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "download.h"

struct store;

/*
 * Confirms the consultant request ref (a token of kind "consultant"):
 * its profile enters the roster, or replaces the profile of the same
 * address. Confirming again changes nothing. Runs inside the writer's
 * transaction. DB_NOTFOUND when the request is gone (replaced by a later
 * one, erased or purged).
 */
enum db_err consultant_confirm_tx(struct store *s, struct arena *arena,
	    int64_t ref);

/* The roster CSV (?expertise=, ?country=, ?q=). */
extern const struct export consultants_export;

/*
 * Sets "consultants" on into: the profile and any request of the mailbox
 * email_key (email_normalise), every field with expertise, languages,
 * status, created_at and confirmed_at. (Whether the roster knows a person,
 * and erasing them, are store_consultants_known and _erase.)
 */
enum db_err consultants_privacy_export(struct store *s, struct arena *a,
	    const char *email_key, json_t *into);

/*
 * Deletes consultant registrations (requests) created before older_than
 * that were never confirmed, and the copies kept of confirmed ones.
 * *purged counts them.
 */
enum db_err consultants_purge_unconfirmed(struct store *s, int64_t older_than,
	    int64_t *purged);

#endif
