/*
 * consent.h: the record of a consent given with a submission (a pledge,
 * a registration, a subscription), which the submission's writer job
 * stores with store_consent_add, and the version of the privacy notice
 * such records point to.
 */
#ifndef ICOMMIT_CONSENT_H
#define ICOMMIT_CONSENT_H

#include "fields.h"
#include "request.h"
#include "store.h"
#include "store_consents.h"

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

#endif
