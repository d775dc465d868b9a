/*
 * store_impl.h: what the storage layer's files share and nobody else sees:
 * the statement table's names and the per-connection struct. The SQL text
 * of every statement is in store.c.
 */
#ifndef ICOMMIT_STORE_IMPL_H
#define ICOMMIT_STORE_IMPL_H

#include "store.h"

enum stmt {
	STMT_HEALTH,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_CAMPAIGN_GET,
	STMT_CAMPAIGN_LIST,
	STMT_CAMPAIGN_ADD,
	STMT_CAMPAIGN_SLUG,
	STMT_COUNTER_VALUE,
	STMT_COUNTER_ADD,
	STMT_TALLY_ADD,
	STMT_TALLIES_GET,
	STMT_PLEDGE_FIND,
	STMT_PLEDGE_INSERT,
	STMT_PLEDGE_GET,
	STMT_PLEDGE_SET_STATUS,
	STMT_WALL,
	STMT_TOKEN_ADD,
	STMT_TOKEN_FIND,
	STMT_OUTBOX_ADD,
	STMT_OUTBOX_DUE,
	STMT_OUTBOX_SENT,
	STMT_OUTBOX_RETRY,
	STMT_OUTBOX_PENDING,
	STMT_QUOTA_TAKE,
	STMT_QUOTA_PURGE,
	STMT_USER_GET,
	STMT_USER_ADD,
	STMT_USER_PASSWORD,
	STMT_USER_DISABLE,
	STMT_USER_LIST,
	STMT_SESSION_ADD,
	STMT_SESSION_GET,
	STMT_SESSION_DELETE,
	STMT_SESSIONS_OF_USER_DELETE,
	STMT_SESSIONS_PURGE,
	STMT_AUDIT_ADD,
	STMT_AUDIT_LIST,
	STMT_ADMIN_PLEDGES,
	STMT_CAMPAIGN_UPDATE,
	STMT_EXPORT_PLEDGES,
	STMT_EVENT_GET,
	STMT_EVENT_GET_ID,
	STMT_EVENT_UPCOMING,
	STMT_EVENT_PAST,
	STMT_EVENT_ADD,
	STMT_EVENT_UPDATE,
	STMT_EVENT_REGISTERED_ADD,
	STMT_EVENT_REMINDER_DUE,
	STMT_EVENT_REMINDED,
	STMT_REG_FIND,
	STMT_REG_INSERT,
	STMT_REG_GET,
	STMT_REG_SET_STATUS,
	STMT_REG_WAITLIST_FIRST,
	STMT_REG_WAITLIST_POS,
	STMT_REG_WAITLIST_NEXT,
	STMT_REG_SEARCH,
	STMT_REG_CHECKIN,
	STMT_REG_OF_EVENT,
	STMT_EXPORT_REGISTRATIONS,
	STMT_REG_CHECKED_IN,
	/* newsletter, consent and personal data (store_privacy.c) */
	STMT_SUB_FIND,
	STMT_SUB_GET,
	STMT_SUB_ADD,
	STMT_SUB_RENEW,
	STMT_SUB_SET_STATUS,
	STMT_SUB_AFTER,
	STMT_SUB_COUNT,
	STMT_SUB_EXPORT,
	STMT_CONSENT_ADD,
	STMT_CONSENT_WITHDRAW,
	STMT_NL_ADD,
	STMT_NL_GET,
	STMT_NL_LIST,
	STMT_NL_SENDING,
	STMT_NL_START,
	STMT_NL_PROGRESS,
	STMT_OUTBOX_UNSENT_KIND,
	STMT_PRIV_REQUEST_ADD,
	STMT_PRIV_REQUEST_GET,
	STMT_PRIV_KNOWN,
	STMT_PRIV_X_PLEDGES,	/* the export, one statement per section */
	STMT_PRIV_X_REGISTRATIONS,
	STMT_PRIV_X_SUBSCRIPTIONS,
	STMT_PRIV_X_CONSENTS,
	STMT_PRIV_X_MAILS,
	STMT_PRIV_ADDRESSES,	/* the erasure, in this order */
	STMT_PRIV_OUTBOX_DELETE,
	STMT_PRIV_CONSENTS_DELETE,
	STMT_PRIV_TOKENS_DELETE,
	STMT_PRIV_PLEDGES_DELETE,
	STMT_PRIV_PLEDGES_ERASE,
	STMT_PRIV_REGS_ERASE,
	STMT_PRIV_SUBS_DELETE,
	STMT_PRIV_QUOTA_DELETE,
	STMT_PRIV_REQUESTS_DELETE,
	STMT_PRIV_OUTBOX_RECIPIENT_DELETE,
	STMT_PURGE_PLEDGES_UNCONFIRMED, /* icommitctl purge, in this order */
	STMT_PURGE_SUBS_STALE,
	STMT_PURGE_PLEDGES_ENDED,
	STMT_PURGE_REGS_ENDED,
	STMT_PURGE_CONSENTS_ORPHANED,
	STMT_PURGE_CONSENTS_ANONYMISE,
	STMT_PURGE_TOKENS,
	STMT_PURGE_REQUESTS,
	STMT_PURGE_OUTBOX_SENT,
	/* comments and consultants (store_consultants.c) */
	STMT_COMMENT_INSERT,
	STMT_COMMENT_LIST,
	STMT_COMMENT_HANDLED,
	STMT_COMMENT_EXPORT,
	STMT_COMMENT_OF_EMAIL,
	STMT_COMMENT_ERASE,
	STMT_CREQ_PUT,
	STMT_CREQ_GET,
	STMT_CREQ_CONFIRMED,
	STMT_CREQ_OF_EMAIL,
	STMT_CREQ_ERASE,
	STMT_CREQ_PURGE,
	STMT_CONSULTANT_UPSERT,
	STMT_CONSULTANT_LIST,
	STMT_CONSULTANT_EXPORT,
	STMT_CONSULTANT_OF_EMAIL,
	STMT_CONSULTANT_ERASE,
	STMT_CONSULTANT_FTS_OPTIMIZE,
	STMT_PERSON_KNOWN,
	STMT__MAX
};

struct store {
	bool	      readonly;	/* opened immutable: writes refused */
	sqlite3	     *db;
	sqlite3_stmt *stmt[STMT__MAX];	/* NULL until first used */
};

/* Statement id of s, prepared at its first use (store_open says when);
 * never NULL: a statement that cannot be prepared is fatal (the schema is
 * the one the statements were written for, checked at start). */
sqlite3_stmt *store_stmt(struct store *s, enum stmt id);


/* Logs an unexpected SQLite failure, resets st and maps rc. */
enum db_err store_fail(struct store *s, sqlite3_stmt *st, int rc,
	    const char *what);
/* Text of a column copied into arena, or NULL. */
const char *col_text(struct arena *arena, sqlite3_stmt *st, int col);
void	bind_opt_int64(sqlite3_stmt *st, int i, bool has, int64_t v);
void	bind_opt_text(sqlite3_stmt *st, int i, const char *v);
/* Reads one row of PLEDGE_COLUMNS (strings from arena). */
struct pledge;
void	store_pledge_read(struct arena *arena, sqlite3_stmt *st,
	    struct pledge *p);
/* Steps a one-row SELECT: DB_OK leaves the row for reading (then call
 * store_row_done), DB_NOTFOUND or the mapped failure reset it. */
enum db_err store_step_row(struct store *s, sqlite3_stmt *st, const char *what);
/* Resets st and clears its bindings. */
void	store_row_done(sqlite3_stmt *st);
/* Calls fn with the first ncols columns of each row of st as text
 * (valid during the call) until fn returns non-zero; resets st. */
enum db_err store_stream_rows(struct store *s, sqlite3_stmt *st, int ncols,
	    store_row_fn fn, void *arg, const char *what);
/* Steps a statement that returns no row; DB_OK or the mapped failure. */
enum db_err store_exec(struct store *s, enum stmt id, const char *what);

#endif
