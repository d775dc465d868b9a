/*
 * store_consultants.h: the consultant roster: requests waiting for
 * confirmation, confirmed profiles and their search. Implemented in
 * store_consultants.c; the connection and the types every table shares
 * are in store.h.
 */
#ifndef ICOMMIT_STORE_CONSULTANTS_H
#define ICOMMIT_STORE_CONSULTANTS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/*
 * A consultant's profile, or a request for one waiting for its
 * confirmation (then has_confirmed_at says whether it was confirmed).
 * expertise and languages are JSON arrays as text.
 */
struct consultant {
	int64_t	    id;
	const char *email, *name;
	const char *email_key;	/* email normalised; request_put only */
	const char *country, *organisation, *profile_url; /* may be NULL */
	const char *expertise, *languages;
	const char *bio;
	const char *language;
	int64_t	    consent_at, created_at;
	bool	    has_confirmed_at;
	int64_t	    confirmed_at;
	int64_t	    updated_at;
};

/* Stores c as the address's request (replacing an earlier one); sets c->id. */
enum db_err store_consultant_request_put(struct store *s, struct consultant *c);
enum db_err store_consultant_request_get(struct store *s, struct arena *arena,
	    int64_t id, struct consultant *out);
/* Copies request id into the roster (new row or profile update by
 * address) and marks the request confirmed. Inside a transaction. */
enum db_err store_consultant_confirm(struct store *s, int64_t request_id,
	    int64_t now);

struct consultant_query {
	const char *expertise, *country; /* NULL: any */
	const char *words;	/* staff's search words over name,
				 * organisation and bio, plain (NULL: any) */
	int64_t	    before_id;	/* listing only */
	int	    limit;
};
typedef int (*store_consultant_fn)(const struct consultant *c, void *arg);
/* Confirmed consultants, newest first. */
enum db_err store_consultants(struct store *s, struct arena *arena,
	    const struct consultant_query *q, store_consultant_fn fn, void *arg);
/* Streams the roster oldest first: 11 text columns (see consultants.c). */
#define EXPORT_CONSULTANT_COLUMNS 11
enum db_err store_export_consultants(struct store *s,
	    const struct consultant_query *q, store_row_fn fn, void *arg);
/* The profiles (request false) and requests (request true) of email_key. */
typedef int (*store_consultant_record_fn)(const struct consultant *c,
	    bool request, void *arg);
enum db_err store_consultants_of_key(struct store *s, struct arena *arena,
	    const char *email_key, store_consultant_record_fn fn, void *arg);
/* Whether a profile or a request holds email_key. */
enum db_err store_consultants_known(struct store *s, const char *email_key,
	    bool *known);
/* Deletes the profiles and requests of email_key, and rebuilds the search
 * index so none of their words remain; adds the rows deleted to *rows. */
enum db_err store_consultants_erase(struct store *s, const char *email_key,
	    int64_t *rows);
/* Deletes consultant requests created before t; *rows counts them. */
enum db_err store_consultant_requests_purge(struct store *s, int64_t t,
	    int64_t *rows);

#endif
