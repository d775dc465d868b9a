/*
 * privacy.h: personal data. The version of the privacy notice that consent
 * records point to, recording consent with a submission, and erasing or
 * purging personal data (shared by the HTTP handlers and icommitctl).
 */
#ifndef ICOMMIT_PRIVACY_H
#define ICOMMIT_PRIVACY_H

#include <stdio.h>

#include "request.h"
#include "store.h"

/* The version of www/privacy-notice.html (its icommit-privacy-version
 * meta tag says the same; a test compares them). */
#define PRIVACY_NOTICE_VERSION "2026-11-28"

/*
 * Fills c with the consent given by request r for subject in language:
 * now, the client's address, the notice version and the page it came
 * from (f's "source" field, the form's return page, or the Referer's
 * path). Strings live in r's arena; set c->ref_id in the writer job, then
 * store_consent_add.
 */
void	consent_prepare(struct req *r, const struct fields *f,
	    const char *subject, const char *language, struct consent *c);

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
