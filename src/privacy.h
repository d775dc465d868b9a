/*
 * privacy.h: erasing or purging personal data everywhere, shared by the
 * self-service endpoints (privacy.c) and icommitctl.
 */
#ifndef ICOMMIT_PRIVACY_H
#define ICOMMIT_PRIVACY_H

#include <stdio.h>

#include "store.h"
#include "store_privacy.h"

/*
 * Erases everything about the mailbox of email (any form of the address):
 * store_person_erase plus the comments and consultants of each of its
 * addresses. Call inside a transaction; counts go into *rep.
 */
enum db_err privacy_erase_person(struct store *s, struct arena *arena,
	    const char *email, int64_t now, struct erase_report *rep);

/* The retention purge (icommitctl purge): see store_purge; sign-ups left
 * unconfirmed for 30 days go, and with retention_days > 0 pledges and
 * registrations are anonymised that long after their campaign or event
 * ended. Call inside a transaction. */
enum db_err privacy_purge(struct store *s, const struct config *cfg,
	    int64_t now, struct erase_report *rep);

/* Prints a report as "what: n" lines (those that are not 0) with prefix. */
void	privacy_report_print(FILE *out, const char *prefix,
	    const struct erase_report *rep);

#endif
