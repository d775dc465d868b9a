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

/* True if comments or consultants hold email (compared lower-cased). */
enum db_err consultants_privacy_known(struct store *s, const char *email,
	    bool *known);

/*
 * Sets "consultants" (the profile and a pending request, every field with
 * expertise, languages, status, created_at, confirmed_at) on into.
 */
enum db_err consultants_privacy_export(struct store *s, struct arena *a,
	    const char *email, json_t *into);

/*
 * Deletes email's comments, consultant profile and pending request, and
 * merges the search index so that none of their words remain. Runs inside
 * the writer's transaction; *erased counts the rows deleted.
 */
enum db_err consultants_privacy_erase(struct store *s, const char *email,
	    int64_t *erased);

/*
 * Deletes consultant registrations (requests) created before older_than
 * that were never confirmed, and the copies kept of confirmed ones.
 * *purged counts them.
 */
enum db_err consultants_purge_unconfirmed(struct store *s, int64_t older_than,
	    int64_t *purged);

#endif
