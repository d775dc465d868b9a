/*
 * store_consents.h: consent records (who agreed to which notice, when,
 * from where). Implemented in store_consents.c; the connection and the
 * types every table shares are in store.h.
 */
#ifndef ICOMMIT_STORE_CONSENTS_H
#define ICOMMIT_STORE_CONSENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

struct consent {
	const char *subject;	/* "pledge", "registration", "newsletter"... */
	int64_t	    ref_id;
	int64_t	    given_at;
	const char *client_ip;
	const char *notice_version;
	const char *language;
	const char *source;	/* the page, or NULL */
};
enum db_err store_consent_add(struct store *s, const struct consent *c);
/* Marks the consents of (subject, ref_id) withdrawn at now. */
enum db_err store_consent_withdraw(struct store *s, const char *subject,
	    int64_t ref_id, int64_t now);

#endif
