/*
 * store_event_details.c: an event's agenda and speakers (see
 * store_event_details.h). A list is only ever replaced whole (delete, then
 * one insert per item, in the writer's transaction) and read whole, in
 * position order.
 */
#include <string.h>

#include "store_event_details.h"
#include "store_impl.h"

enum detail_stmt {
	AGENDA_OF,
	AGENDA_CLEAR,
	AGENDA_ADD,
	SPEAKERS_OF,
	SPEAKERS_CLEAR,
	SPEAKERS_ADD,
	DETAIL__MAX
};

static const char *const sql[DETAIL__MAX] = {
	[AGENDA_OF] = "SELECT starts_at, ends_at, title_es, title_en, "
	    "title_pt, title_fr, description_es, description_en, "
	    "description_pt, description_fr FROM event_agenda "
	    "WHERE event_id = ?1 ORDER BY position",
	[AGENDA_CLEAR] = "DELETE FROM event_agenda WHERE event_id = ?1",
	[AGENDA_ADD] = "INSERT INTO event_agenda (event_id, position, "
	    "starts_at, ends_at, title_es, title_en, title_pt, title_fr, "
	    "description_es, description_en, description_pt, description_fr) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[SPEAKERS_OF] = "SELECT name, role_es, role_en, role_pt, role_fr, "
	    "organisation, photo FROM event_speakers WHERE event_id = ?1 "
	    "ORDER BY position",
	[SPEAKERS_CLEAR] = "DELETE FROM event_speakers WHERE event_id = ?1",
	[SPEAKERS_ADD] = "INSERT INTO event_speakers (event_id, position, "
	    "name, role_es, role_en, role_pt, role_fr, organisation, photo) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
};

const struct stmt_set store_event_details_set = { "event details", sql, NULL,
	DETAIL__MAX };

static struct stmt *
q(struct store *s, enum detail_stmt id)
{
	return store_stmt(s, SET_EVENT_DETAILS, id);
}

static const char *
text_or_empty(struct arena *arena, struct stmt *st, int col)
{
	const char *t = col_text(arena, st, col);

	return t != NULL ? t : "";
}

enum db_err
store_event_details_get(struct store *s, struct arena *arena,
    int64_t event_id, struct event_details *out)
{
	struct stmt *st = q(s, AGENDA_OF);
	enum db_err  e = DB_OK;
	size_t	     cap = 0;

	memset(out, 0, sizeof(*out));
	bind_int64(st, 1, event_id);
	while (store_next(s, st, &e, "agenda")) {
		struct agenda_item *it = arena_push(arena, &out->agenda,
		    &out->nagenda, &cap, sizeof(*it));

		it->starts_at = col_int64(st, 0);
		it->has_ends_at = !col_null(st, 1);
		it->ends_at = col_int64(st, 1);
		for (int l = 0; l < LANG__MAX; l++) {
			it->title[l] = text_or_empty(arena, st, 2 + l);
			it->description[l] = text_or_empty(arena, st, 6 + l);
		}
	}
	if (e != DB_OK)
		return e;
	st = q(s, SPEAKERS_OF);
	cap = 0;
	bind_int64(st, 1, event_id);
	while (store_next(s, st, &e, "speakers")) {
		struct speaker *sp = arena_push(arena, &out->speakers,
		    &out->nspeakers, &cap, sizeof(*sp));

		sp->name = text_or_empty(arena, st, 0);
		for (int l = 0; l < LANG__MAX; l++)
			sp->role[l] = text_or_empty(arena, st, 1 + l);
		sp->organisation = col_text(arena, st, 5);
		sp->photo = col_text(arena, st, 6);
	}
	return e;
}

/* Binds item i of items (an agenda_item or a speaker array) to add's
 * parameters from ?3 on. */
typedef void (*bind_item_fn)(struct stmt *st, const void *items, size_t i);

static void
agenda_bind(struct stmt *st, const void *items, size_t i)
{
	const struct agenda_item *it = (const struct agenda_item *)items + i;

	bind_int64(st, 3, it->starts_at);
	bind_opt_int64(st, 4, it->has_ends_at, it->ends_at);
	for (int l = 0; l < LANG__MAX; l++) {
		bind_text(st, 5 + l, it->title[l]);
		bind_text(st, 9 + l, it->description[l] ? it->description[l] : "");
	}
}

static void
speaker_bind(struct stmt *st, const void *items, size_t i)
{
	const struct speaker *sp = (const struct speaker *)items + i;

	bind_text(st, 3, sp->name);
	for (int l = 0; l < LANG__MAX; l++)
		bind_text(st, 4 + l, sp->role[l] ? sp->role[l] : "");
	bind_text(st, 8, sp->organisation);
	bind_text(st, 9, sp->photo);
}

/* Deletes event_id's rows with clear, then inserts items[0..n) with add
 * (?1 the event, ?2 the position, the rest from bind). */
static enum db_err
list_replace(struct store *s, enum detail_stmt clear, enum detail_stmt add,
    int64_t event_id, const void *items, size_t n, bind_item_fn bind)
{
	struct stmt *st = q(s, clear);
	enum db_err  e;

	bind_int64(st, 1, event_id);
	if ((e = store_exec(s, st, "event details clear")) != DB_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		st = q(s, add);
		bind_int64(st, 1, event_id);
		bind_int64(st, 2, (int64_t)i);
		bind(st, items, i);
		if ((e = store_exec(s, st, "event details add")) != DB_OK)
			return e;
	}
	return DB_OK;
}

enum db_err
store_agenda_set(struct store *s, int64_t event_id,
    const struct agenda_item *items, size_t n)
{
	return list_replace(s, AGENDA_CLEAR, AGENDA_ADD, event_id, items, n,
	    agenda_bind);
}

enum db_err
store_speakers_set(struct store *s, int64_t event_id,
    const struct speaker *sp, size_t n)
{
	return list_replace(s, SPEAKERS_CLEAR, SPEAKERS_ADD, event_id, sp, n,
	    speaker_bind);
}
