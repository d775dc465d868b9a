/*
 * store_registrations.h: registrations to events, the waitlist, check-in
 * and the export. Implemented in store_registrations.c; the connection
 * and the types every table shares are in store.h.
 */
#ifndef ICOMMIT_STORE_REGISTRATIONS_H
#define ICOMMIT_STORE_REGISTRATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

#define REG_REGISTERED "registered"
#define REG_WAITLISTED "waitlisted"
#define REG_CANCELLED  "cancelled"

struct registration {
	int64_t	    id, event_id;
	const char *status;
	bool	    has_waitlist_seq;
	int64_t	    waitlist_seq;
	const char *name, *email, *email_key, *organisation, *country, *role;
	const char *language;
	int64_t	    created_at;
	bool	    has_checked_in_at;
	int64_t	    checked_in_at;
};

enum db_err store_reg_find(struct store *s, struct arena *arena,
	    int64_t event_id, const char *email_key, struct registration *out);
enum db_err store_reg_get(struct store *s, struct arena *arena, int64_t id,
	    struct registration *out);
/* Inserts r (status, waitlist_seq set by the caller); sets r->id. */
enum db_err store_reg_insert(struct store *s, struct registration *r);
enum db_err store_reg_set_status(struct store *s, int64_t id,
	    const char *status, bool has_seq, int64_t seq);
enum db_err store_reg_waitlist_first(struct store *s, struct arena *arena,
	    int64_t event_id, struct registration *out);
/* 1-based position of seq on the waitlist. */
enum db_err store_reg_waitlist_pos(struct store *s, int64_t event_id,
	    int64_t seq, int64_t *pos);
enum db_err store_reg_waitlist_next(struct store *s, int64_t event_id,
	    int64_t *seq);
typedef int (*store_reg_fn)(const struct registration *r, void *arg);
/* Non-cancelled registrations whose name contains q (NULL: all). */
enum db_err store_reg_search(struct store *s, struct arena *arena,
	    int64_t event_id, const char *q, store_reg_fn fn, void *arg);
/* Registered (seated) ones, for reminders. */
enum db_err store_reg_of_event(struct store *s, struct arena *arena,
	    int64_t event_id, store_reg_fn fn, void *arg);
/* Sets or (has_at false) clears the check-in; DB_NOTFOUND if not seated. */
enum db_err store_reg_checkin(struct store *s, int64_t id, bool has_at,
	    int64_t at);
/* How many seated registrants of the event have checked in. */
enum db_err store_reg_checked_in(struct store *s, int64_t event_id,
	    int64_t *n);
/* Streams an event's registrations: 11 text columns (see registrations.c). */
#define EXPORT_REG_COLUMNS 11
enum db_err store_export_registrations(struct store *s, int64_t event_id,
	    store_row_fn fn, void *arg);

#endif
