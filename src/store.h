/*
 * store.h: the storage layer. Handlers and icommitctl call these functions
 * and never touch SQL: they own the statements and map every SQLite outcome
 * to an enum db_err. One struct store per thread (its own connection and
 * prepared statements); a second implementation of this interface (for
 * example on PostgreSQL) would replace store.c alone.
 */
#ifndef ICOMMIT_STORE_H
#define ICOMMIT_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "db.h"
#include "util.h"

struct store;

struct campaign {
	int64_t	    id;
	const char *slug;
	const char *title[LANG__MAX];
	const char *description[LANG__MAX];
	bool	    has_goal;
	int64_t	    goal;
	bool	    has_opens_at, has_closes_at;
	int64_t	    opens_at, closes_at;
	bool	    paused;
	int64_t	    count;		/* counted pledges */
	int64_t	    count_updated_at;
};

/* A campaign's state at time now: "open", "paused", "upcoming", "closed". */
const char *campaign_status(const struct campaign *c, int64_t now);

/*
 * Opens the database at path and prepares the statements. With migrate,
 * applies pending migrations first; without, refuses a database whose
 * schema is not the current one. Returns NULL with err set on failure.
 */
struct store *store_open(const char *path, bool create, bool migrate,
	    char *err, size_t errlen);
void	store_close(struct store *s);

/* True when the database was opened read-only (an immutable view of a
 * file on a read-only file system): every write fails with DB_READONLY. */
bool	store_readonly(const struct store *s);
/* A counter bumped when connections should be reopened (the database
 * became writable again); workers compare it before each request. */
unsigned store_generation(void);
void	store_generation_bump(void);
/*
 * Reopens *s (a thread's own connection to path) when the generation has
 * moved on since *generation, and records the new one. Returns true when
 * *s is a new connection; on failure the old one stays (and it is logged).
 */
bool	store_refresh(struct store **s, unsigned *generation,
	    const char *path);
/* The connection, for db_backup and the like. */
sqlite3 *store_db(struct store *s);

/* DB_OK when the database can be read. */
enum db_err store_health(struct store *s);

/* Strings in *out are allocated from arena. DB_NOTFOUND if no such slug. */
enum db_err store_campaign_get(struct store *s, struct arena *arena,
	    const char *slug, struct campaign *out);

/* Calls fn for each campaign by slug; fn returns non-zero to stop. */
typedef int (*store_campaign_fn)(const struct campaign *c, void *arg);
enum db_err store_campaign_list(struct store *s, struct arena *arena,
	    store_campaign_fn fn, void *arg);

/* The slug of campaign id (from arena). */
enum db_err store_campaign_slug(struct store *s, struct arena *arena,
	    int64_t id, const char **slug);

/* Inserts a campaign (id, count ignored); sets c->id. */
enum db_err store_campaign_add(struct store *s, struct campaign *c);

/* Transactions as the group-commit writer runs them (see writer.h). */
enum db_err store_savepoint(struct store *s);
enum db_err store_release(struct store *s);
enum db_err store_rollback_to(struct store *s);
/* A passive WAL checkpoint; failures are logged. */
void	store_checkpoint(struct store *s);

/* The counter of a campaign (campcache_counter): never a scan. */
struct counter {
	int64_t count;
	int64_t updated_at;
	bool	has_goal;
	int64_t goal;
};
enum db_err store_counter_value(struct store *s, int64_t campaign_id,
	    int64_t *count);

/* ---- pledges (store_pledges.c) ---- */

/* Pledge statuses; a pledge is counted when confirmed or approved. */
#define PLEDGE_PENDING	 "pending_confirmation"
#define PLEDGE_CONFIRMED "confirmed"
#define PLEDGE_APPROVED	 "approved"
#define PLEDGE_REJECTED	 "rejected"
bool	pledge_counted(const char *status);

struct pledge {
	int64_t	    id;
	int64_t	    campaign_id;
	const char *status;
	bool	    has_confirmed_at;
	int64_t	    confirmed_at;
	const char *name;
	const char *email;
	const char *email_key;	/* normalised, for repeats */
	const char *organisation; /* optional ones may be NULL */
	const char *actor_type;
	const char *country;
	const char *city;
	const char *commitment;
	const char *category;
	bool	    has_quantity;
	int64_t	    quantity;
	const char *unit;
	bool	    has_target_year;
	int64_t	    target_year;
	bool	    public_;
	const char *language;
	int64_t	    created_at;
};

/* The pledge of email_key in a campaign: DB_OK with *id and *status
 * (a static string), or DB_NOTFOUND. */
enum db_err store_pledge_find(struct store *s, int64_t campaign_id,
	    const char *email_key, int64_t *id, const char **status);
/* Inserts p (p->status, created_at set by the caller); sets p->id. */
enum db_err store_pledge_insert(struct store *s, struct pledge *p);
/* Reads pledge id into out (strings from arena). */
enum db_err store_pledge_get(struct store *s, struct arena *arena,
	    int64_t id, struct pledge *out);
/*
 * Moves pledge p (as read by store_pledge_get) to status, keeping the
 * counter and the tallies in step: +1 when it becomes counted, -1 when it
 * stops being counted. Call inside a transaction.
 */
enum db_err store_pledge_set_status(struct store *s, const struct pledge *p,
	    const char *status, int64_t now);

/* The public wall. */
struct wall_query {
	int64_t	    campaign_id;
	bool	    approved_only;	/* moderation = yes */
	const char *country, *actor_type, *category; /* NULL: any */
	int64_t	    before_id;		/* INT64_MAX for the first page */
	int	    limit;
};
typedef int (*store_pledge_fn)(const struct pledge *p, void *arg);
enum db_err store_wall(struct store *s, struct arena *arena,
	    const struct wall_query *q, store_pledge_fn fn, void *arg);

/* Tallies of counted pledges: fn(dimension, key, value, arg). */
typedef void (*store_tally_fn)(const char *dimension, const char *key,
	    int64_t value, void *arg);
enum db_err store_tallies(struct store *s, int64_t campaign_id,
	    store_tally_fn fn, void *arg);

/*
 * Recomputes every counter and tally from the pledges, in one transaction,
 * and reports each campaign whose stored count had drifted:
 * fn(slug, stored, actual). *tally_rows is set to the number of tally rows
 * that differed.
 */
typedef void (*store_drift_fn)(const char *slug, int64_t stored,
	    int64_t actual, void *arg);
enum db_err store_recount(struct store *s, store_drift_fn fn, void *arg,
	    int64_t *tally_rows);

/* ---- tokens and mail (store_outbox.c) ---- */

enum db_err store_token_add(struct store *s, const unsigned char hash[32],
	    const char *kind, int64_t ref_id, int64_t expires_at);
/* DB_OK with kind (static string or NULL if unknown), ref and expiry. */
enum db_err store_token_find(struct store *s, struct arena *arena,
	    const unsigned char hash[32], const char **kind, int64_t *ref_id,
	    int64_t *expires_at);

/* Counts one more mail for address_hash today; *allowed false past limit. */
enum db_err store_mail_quota_take(struct store *s,
	    const unsigned char address_hash[32], int64_t day, int limit,
	    bool *allowed);
enum db_err store_mail_quota_purge(struct store *s, int64_t before_day);

/* A mail for recipient: its whole message (len bytes), or vars (the JSON
 * variables of a template mail, message NULL) for the mailer to render. */
enum db_err store_outbox_add(struct store *s, const char *kind,
	    const char *recipient, const char *message, size_t len,
	    const char *vars, int64_t now);

struct outbox_mail {
	int64_t	    id;
	const char *recipient;
	const char *message;	/* the whole mail, or NULL: see vars */
	size_t	    len;
	const char *vars;	/* a template mail's variables (outbox.h) */
	int	    attempts;
	const char *kind;	/* for listings */
	int64_t	    created_at, next_attempt_at;
	const char *last_error;
};
typedef int (*store_outbox_fn)(const struct outbox_mail *m, void *arg);
/* Mail due at now (at most limit), oldest first. */
enum db_err store_outbox_due(struct store *s, struct arena *arena,
	    int64_t now, int limit, store_outbox_fn fn, void *arg);
/* Every unsent mail, without message bodies (icommitctl mail-queue). */
enum db_err store_outbox_pending(struct store *s, struct arena *arena,
	    store_outbox_fn fn, void *arg);
enum db_err store_outbox_sent(struct store *s, int64_t id, int64_t now);
enum db_err store_outbox_retry(struct store *s, int64_t id,
	    int64_t next_attempt_at, const char *error);


/* ---- staff (store_staff.c) ---- */

struct user {
	int64_t	    id;
	const char *username;
	const char *password_hash;	/* NULL in listings */
	bool	    disabled;
	int64_t	    created_at;
};

enum db_err store_user_get(struct store *s, struct arena *arena,
	    const char *username, struct user *out);
enum db_err store_user_add(struct store *s, const char *username,
	    const char *password_hash);
/* Also ends the user's sessions. DB_NOTFOUND if no such user. */
enum db_err store_user_set_password(struct store *s, const char *username,
	    const char *password_hash);
enum db_err store_user_set_disabled(struct store *s, const char *username,
	    bool disabled);
typedef int (*store_user_fn)(const struct user *u, void *arg);
enum db_err store_user_list(struct store *s, struct arena *arena,
	    store_user_fn fn, void *arg);

enum db_err store_session_add(struct store *s, const unsigned char hash[32],
	    int64_t user_id, int64_t expires_at);
/* The live session's user (not disabled); DB_NOTFOUND when unknown. */
enum db_err store_session_get(struct store *s, struct arena *arena,
	    const unsigned char hash[32], struct user *out, int64_t *expires_at);
enum db_err store_session_delete(struct store *s,
	    const unsigned char hash[32]);
enum db_err store_sessions_purge(struct store *s, int64_t now);

enum db_err store_audit_add(struct store *s, const char *username,
	    const char *action, const char *target, const char *detail);
struct audit_entry {
	int64_t	    id, at;
	const char *username, *action, *target, *detail;
};
typedef int (*store_audit_fn)(const struct audit_entry *a, void *arg);
enum db_err store_audit_list(struct store *s, struct arena *arena,
	    int64_t before_id, int limit, store_audit_fn fn, void *arg);

/* Staff's view of pledges: every status, with e-mails. */
struct admin_pledge_query {
	bool	    has_campaign;
	int64_t	    campaign_id;
	const char *status;	/* NULL: any */
	int64_t	    before_id;
	int	    limit;
};
enum db_err store_admin_pledges(struct store *s, struct arena *arena,
	    const struct admin_pledge_query *q, store_pledge_fn fn, void *arg);

/* Updates the campaign named c->slug with every field of c. */
enum db_err store_campaign_update(struct store *s, const struct campaign *c);

/*
 * Streams pledges for an export, oldest first. fn gets the 17 columns of
 * API.md's export in order as text (NULL for empty; pointers valid only
 * during the call) and returns non-zero to stop.
 */
struct export_query {
	bool	    has_campaign;
	int64_t	    campaign_id;
	const char *status;
	bool	    has_from, has_to;
	int64_t	    from, to;
};
#define EXPORT_PLEDGE_COLUMNS 17
typedef int (*store_row_fn)(const char *const *cols, void *arg);
enum db_err store_export_pledges(struct store *s, const struct export_query *q,
	    store_row_fn fn, void *arg);

/* ---- events (store_events.c) ---- */

struct event {
	int64_t	    id;
	const char *slug;
	const char *title[LANG__MAX];
	const char *description[LANG__MAX];
	int64_t	    starts_at, ends_at;
	const char *timezone;
	const char *location;	/* may be NULL */
	const char *online_url;	/* may be NULL */
	bool	    has_capacity;
	int64_t	    capacity;
	bool	    waitlist;
	bool	    has_closes_at;
	int64_t	    registration_closes_at;
	int64_t	    registered;
};

/* "open", "full" or "closed" at time now. */
const char *event_status(const struct event *e, int64_t now);

enum db_err store_event_get(struct store *s, struct arena *arena,
	    const char *slug, struct event *out);
enum db_err store_event_get_id(struct store *s, struct arena *arena,
	    int64_t id, struct event *out);
typedef int (*store_event_fn)(const struct event *e, void *arg);
/* Upcoming (not yet ended, soonest first) or past (latest first). */
enum db_err store_event_list(struct store *s, struct arena *arena, bool past,
	    int64_t now, store_event_fn fn, void *arg);
enum db_err store_event_add(struct store *s, struct event *e);
enum db_err store_event_update(struct store *s, const struct event *e);
enum db_err store_event_registered_add(struct store *s, int64_t event_id,
	    int delta);
/* An event starting within the next 24 h whose reminder is not sent. */
enum db_err store_event_reminder_due(struct store *s, struct arena *arena,
	    int64_t now, struct event *out);
enum db_err store_event_reminded(struct store *s, int64_t id, int64_t now);

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
/* Streams an event's registrations: 11 text columns (see export.c). */
#define EXPORT_REG_COLUMNS 11
enum db_err store_export_registrations(struct store *s, int64_t event_id,
	    store_row_fn fn, void *arg);

/* ---- newsletter, consent and personal data (store_privacy.c) ---- */

#define SUB_PENDING	 "pending_confirmation"
#define SUB_SUBSCRIBED	 "subscribed"
#define SUB_UNSUBSCRIBED "unsubscribed"

struct subscriber {
	int64_t	    id;
	const char *email;
	const char *email_key;
	const char *name;	/* may be NULL */
	const char *language;
	const char *status;
	int64_t	    created_at;
	bool	    has_confirmed_at, has_unsubscribed_at;
	int64_t	    confirmed_at, unsubscribed_at;
};
/* The subscription of a mailbox (normalised address), or DB_NOTFOUND. */
enum db_err store_subscriber_find(struct store *s, struct arena *arena,
	    const char *email_key, struct subscriber *out);
enum db_err store_subscriber_get(struct store *s, struct arena *arena,
	    int64_t id, struct subscriber *out);
/* Inserts a pending subscription (email, email_key, name, language,
 * created_at from sub); sets sub->id. */
enum db_err store_subscriber_add(struct store *s, struct subscriber *sub);
/* Makes subscription sub->id pending again with sub's address, name and
 * language (a new sign-up after an unsubscribe). */
enum db_err store_subscriber_renew(struct store *s,
	    const struct subscriber *sub);
/* Moves a subscription to status at time now. */
enum db_err store_subscriber_set_status(struct store *s, int64_t id,
	    const char *status, int64_t now);
typedef int (*store_subscriber_fn)(const struct subscriber *sub, void *arg);
/* Confirmed subscribers with id > after_id, by id, at most limit. */
enum db_err store_subscribers_after(struct store *s, struct arena *arena,
	    int64_t after_id, int limit, store_subscriber_fn fn, void *arg);
/* Streams every subscription (the CSV export): id, created_at,
 * confirmed_at, status, email, name, language, consent version. */
#define EXPORT_SUBSCRIBER_COLUMNS 8
enum db_err store_export_subscribers(struct store *s, store_row_fn fn,
	    void *arg);

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

struct newsletter {
	int64_t	    id;
	const char *subject[LANG__MAX];	/* Spanish required, others NULL */
	const char *body[LANG__MAX];
	const char *status;		/* "draft", "sending", "sent" */
	int64_t	    created_at;
	const char *created_by;
	bool	    has_send_started_at, has_sent_at;
	int64_t	    send_started_at, sent_at;
	int64_t	    recipients, queued, cursor;
};
/* Inserts a draft (subject, body, created_at, created_by); sets n->id. */
enum db_err store_newsletter_add(struct store *s, struct newsletter *n);
enum db_err store_newsletter_get(struct store *s, struct arena *arena,
	    int64_t id, struct newsletter *out);
typedef int (*store_newsletter_fn)(const struct newsletter *n, void *arg);
/* The latest 200, newest first. */
enum db_err store_newsletter_list(struct store *s, struct arena *arena,
	    store_newsletter_fn fn, void *arg);
/* The oldest newsletter being sent, or DB_NOTFOUND. */
enum db_err store_newsletter_sending(struct store *s, struct arena *arena,
	    struct newsletter *out);
/* Moves a draft to "sending"; DB_NOTFOUND when id is not a draft. */
enum db_err store_newsletter_start(struct store *s, int64_t id, int64_t now);
/* Records that subscribers up to cursor were queued (n more), and with
 * done that the newsletter is sent. */
enum db_err store_newsletter_progress(struct store *s, int64_t id,
	    int64_t cursor, int64_t n, bool done, int64_t now);
/* How many mails of kind (its outbox name) wait for delivery. */
enum db_err store_outbox_unsent(struct store *s, const char *kind,
	    int64_t *n);

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
/* The addresses (as given) used by mailbox email_key: fn(email, arg). */
typedef void (*store_address_fn)(const char *email, void *arg);
enum db_err store_person_addresses(struct store *s, const char *email_key,
	    store_address_fn fn, void *arg);
/*
 * Removes the personal fields of mailbox email_key everywhere: counted
 * pledges and registrations are anonymised (their counts stay), the rest
 * is deleted, including queued mail, consent records and tokens. Call
 * inside a transaction.
 */
enum db_err store_person_erase(struct store *s, const char *email_key,
	    int64_t now, struct erase_report *r);
/* Deletes every mail to recipient (an erasure), adding to *n. */
enum db_err store_outbox_delete_recipient(struct store *s,
	    const char *recipient, int64_t *n);
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
/* A checkpoint that also empties the WAL file (after an erasure). */
void	store_checkpoint_truncate(struct store *s);
/* ---- comments and consultants (store_consultants.c) ---- */

struct comment {
	int64_t	    id;
	const char *topic;
	const char *name, *email;	/* may be NULL */
	const char *message;
	const char *language;
	bool	    has_consent_at;
	int64_t	    consent_at;
	int64_t	    created_at;
	bool	    has_handled_at;
	int64_t	    handled_at;
	const char *handled_by;		/* may be NULL */
};

/* Inserts c (created_at set by the caller); sets c->id. */
enum db_err store_comment_insert(struct store *s, struct comment *c);

/* Staff's listing and export filter: topic and "new"/"handled" (NULL: any). */
struct comment_query {
	const char *topic;
	const char *status;
	int64_t	    before_id;		/* listing only */
	int	    limit;
};
typedef int (*store_comment_fn)(const struct comment *c, void *arg);
/* Newest first. */
enum db_err store_comments(struct store *s, struct arena *arena,
	    const struct comment_query *q, store_comment_fn fn, void *arg);
/* Sets (handled) or clears the mark; DB_NOTFOUND if no such comment. */
enum db_err store_comment_set_handled(struct store *s, int64_t id,
	    bool handled, int64_t at, const char *by);
/* Streams comments oldest first: 9 text columns (see export.c). */
#define EXPORT_COMMENT_COLUMNS 9
enum db_err store_export_comments(struct store *s,
	    const struct comment_query *q, store_row_fn fn, void *arg);
/* Every comment sent from email (lower-cased), oldest first. */
enum db_err store_comments_of_email(struct store *s, struct arena *arena,
	    const char *email, store_comment_fn fn, void *arg);

/*
 * A consultant's profile, or a request for one waiting for its
 * confirmation (then has_confirmed_at says whether it was confirmed).
 * expertise and languages are JSON arrays as text.
 */
struct consultant {
	int64_t	    id;
	const char *email, *name;
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
	const char *match;	/* an FTS5 query over name, organisation, bio */
	int64_t	    before_id;	/* listing only */
	int	    limit;
};
typedef int (*store_consultant_fn)(const struct consultant *c, void *arg);
/* Confirmed consultants, newest first. */
enum db_err store_consultants(struct store *s, struct arena *arena,
	    const struct consultant_query *q, store_consultant_fn fn, void *arg);
/* Streams the roster oldest first: 11 text columns (see export.c). */
#define EXPORT_CONSULTANT_COLUMNS 11
enum db_err store_export_consultants(struct store *s,
	    const struct consultant_query *q, store_row_fn fn, void *arg);
/* The profile (pending false) and the request (pending true) of email. */
typedef int (*store_consultant_record_fn)(const struct consultant *c,
	    bool request, void *arg);
enum db_err store_consultants_of_email(struct store *s, struct arena *arena,
	    const char *email, store_consultant_record_fn fn, void *arg);

/* Whether comments or consultants hold email (lower-cased). */
enum db_err store_contact_known(struct store *s, const char *email,
	    bool *known);
/* Deletes email's comments, profile and request, and rebuilds the search
 * index so none of its words remain; *rows counts the rows deleted. */
enum db_err store_contact_erase(struct store *s, const char *email,
	    int64_t *rows);
/* Deletes consultant requests created before t; *rows counts them. */
enum db_err store_consultant_requests_purge(struct store *s, int64_t t,
	    int64_t *rows);

#endif
