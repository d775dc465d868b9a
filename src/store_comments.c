/*
 * store_comments.c: comments sent through the contact page (see
 * store_comments.h): staff's listing and "handled" mark, the CSV export,
 * and one person's comments (found by email_key) for the privacy feature.
 */
#include <string.h>

#include "store_comments.h"
#include "store_impl.h"

#define COMMENT_COLUMNS \
	"id, topic, name, email, message, language, consent_at, created_at, " \
	"handled_at, handled_by "
/* ?1 topic, ?2 'handled' or 'new' (NULL: any); t: the cast that names
 * their type (PostgreSQL) */
#define COMMENT_FILTER_OF(t) \
	"(?1" t " IS NULL OR topic = ?1) AND (?2" t " IS NULL OR " \
	"(handled_at IS NOT NULL) = (?2 = 'handled')) "
#define COMMENT_FILTER COMMENT_FILTER_OF("")
#define COMMENT_LIST_SQL(filter) \
	"SELECT " COMMENT_COLUMNS "FROM comments WHERE " filter \
	"AND id < ?3 ORDER BY id DESC LIMIT ?4"
#define COMMENT_EXPORT_SQL(filter) \
	"SELECT id, created_at, topic, language, name, email, message, " \
	"handled_at, handled_by FROM comments WHERE " filter "ORDER BY id"
#define COMMENT_INSERT_SQL \
	"INSERT INTO comments (topic, name, email, email_key, message, " \
	"language, consent_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"

enum comment_stmt {
	COMMENT_INSERT,
	COMMENT_LIST,
	COMMENT_HANDLED,
	COMMENT_EXPORT,
	COMMENT_OF_KEY,
	COMMENT_KNOWN,
	COMMENT_ERASE,
	COMMENT__MAX
};

static const char *const sql[COMMENT__MAX] = {
	[COMMENT_INSERT] = COMMENT_INSERT_SQL,
	[COMMENT_LIST] = COMMENT_LIST_SQL(COMMENT_FILTER),
	[COMMENT_HANDLED] = "UPDATE comments SET handled_at = ?2, "
	    "handled_by = ?3 WHERE id = ?1",
	[COMMENT_EXPORT] = COMMENT_EXPORT_SQL(COMMENT_FILTER),
	[COMMENT_OF_KEY] = "SELECT " COMMENT_COLUMNS "FROM comments "
	    "WHERE email_key = ? ORDER BY id",
	[COMMENT_KNOWN] = "SELECT EXISTS (SELECT 1 FROM comments "
	    "WHERE email_key = ?)",
	[COMMENT_ERASE] = "DELETE FROM comments WHERE email_key = ?",
};

/* PostgreSQL: the filter's parameters typed, the new id back. */
static const char *const sql_pg[COMMENT__MAX] = {
	[COMMENT_INSERT] = COMMENT_INSERT_SQL " RETURNING id",
	[COMMENT_LIST] = COMMENT_LIST_SQL(COMMENT_FILTER_OF("::text")),
	[COMMENT_EXPORT] = COMMENT_EXPORT_SQL(COMMENT_FILTER_OF("::text")),
};

const struct stmt_set store_comments_set = { "comments", sql, sql_pg,
	COMMENT__MAX };

static struct stmt *
q(struct store *s, enum comment_stmt id)
{
	return store_stmt(s, SET_COMMENTS, id);
}

/* Reads one row of COMMENT_COLUMNS. */
static void
comment_read(struct arena *arena, struct stmt *st, void *row)
{
	struct comment *c = row;

	memset(c, 0, sizeof(*c));
	c->id = col_int64(st, 0);
	c->topic = col_text(arena, st, 1);
	c->name = col_text(arena, st, 2);
	c->email = col_text(arena, st, 3);
	c->message = col_text(arena, st, 4);
	c->language = col_text(arena, st, 5);
	c->has_consent_at = !col_null(st, 6);
	c->consent_at = col_int64(st, 6);
	c->created_at = col_int64(st, 7);
	c->has_handled_at = !col_null(st, 8);
	c->handled_at = col_int64(st, 8);
	c->handled_by = col_text(arena, st, 9);
}

/* Calls fn for each comment row of st (bound by the caller). */
static enum db_err
comment_each(struct store *s, struct arena *arena, struct stmt *st,
    store_comment_fn fn, void *arg, const char *what)
{
	struct comment c;
	enum db_err    e = DB_OK;

	while (store_next(s, st, &e, what)) {
		comment_read(arena, st, &c);
		if (fn(&c, arg) != 0) {
			store_row_done(st);
			break;
		}
	}
	return e;
}

enum db_err
store_comment_insert(struct store *s, struct comment *c)
{
	struct stmt *st = q(s, COMMENT_INSERT);

	bind_text(st, 1, c->topic);
	bind_text(st, 2, c->name);
	bind_text(st, 3, c->email);
	bind_text(st, 4, c->email_key);
	bind_text(st, 5, c->message);
	bind_text(st, 6, c->language);
	bind_opt_int64(st, 7, c->has_consent_at, c->consent_at);
	bind_int64(st, 8, c->created_at);
	return store_insert(s, st, &c->id, "comment insert");
}

/* Binds COMMENT_FILTER's ?1 and ?2. */
static void
comment_filter_bind(struct stmt *st, const struct comment_query *cq)
{
	bind_text(st, 1, cq->topic);
	bind_text(st, 2, cq->status);
}

enum db_err
store_comments(struct store *s, struct arena *arena,
    const struct comment_query *cq, store_comment_fn fn, void *arg)
{
	struct stmt *st = q(s, COMMENT_LIST);

	comment_filter_bind(st, cq);
	bind_int64(st, 3, cq->before_id);
	bind_int64(st, 4, cq->limit);
	return comment_each(s, arena, st, fn, arg, "comments");
}

enum db_err
store_comment_set_handled(struct store *s, int64_t id, bool handled,
    int64_t at, const char *by)
{
	struct stmt *st = q(s, COMMENT_HANDLED);

	bind_int64(st, 1, id);
	bind_opt_int64(st, 2, handled, at);
	bind_text(st, 3, handled ? by : NULL);
	return store_exec_changed(s, st, "comment handled");
}

enum db_err
store_export_comments(struct store *s, const struct comment_query *cq,
    store_row_fn fn, void *arg)
{
	struct stmt *st = q(s, COMMENT_EXPORT);

	comment_filter_bind(st, cq);
	return store_stream_rows(s, st, EXPORT_COMMENT_COLUMNS, fn, arg,
	    "export comments");
}

enum db_err
store_comments_of_key(struct store *s, struct arena *arena,
    const char *email_key, store_comment_fn fn, void *arg)
{
	struct stmt *st = q(s, COMMENT_OF_KEY);

	bind_text(st, 1, email_key);
	return comment_each(s, arena, st, fn, arg, "comments of address");
}

enum db_err
store_comments_known(struct store *s, const char *email_key, bool *known)
{
	struct stmt *st = q(s, COMMENT_KNOWN);

	bind_text(st, 1, email_key);
	return store_bool(s, st, known, "comments known");
}

enum db_err
store_comments_erase(struct store *s, const char *email_key, int64_t *rows)
{
	struct stmt  *st = q(s, COMMENT_ERASE);
	enum db_err   e;

	bind_text(st, 1, email_key);
	if ((e = store_exec(s, st, "comments erase")) == DB_OK)
		*rows += store_changes(s);
	return e;
}
