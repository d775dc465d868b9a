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

/* Room for one more element of size sz in the arena array *a of *n
 * (capacity *cap); returns the new element, zeroed. */
static void *
grow(struct arena *arena, void **a, size_t *n, size_t *cap, size_t sz)
{
	char *p;

	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		void  *na = arena_alloc(arena, nc * sz);

		if (*n)
			memcpy(na, *a, *n * sz);
		*a = na;
		*cap = nc;
	}
	p = (char *)*a + (*n)++ * sz;
	memset(p, 0, sz);
	return p;
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
		struct agenda_item *it = grow(arena, (void **)&out->agenda,
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
		struct speaker *sp = grow(arena, (void **)&out->speakers,
		    &out->nspeakers, &cap, sizeof(*sp));

		sp->name = text_or_empty(arena, st, 0);
		for (int l = 0; l < LANG__MAX; l++)
			sp->role[l] = text_or_empty(arena, st, 1 + l);
		sp->organisation = col_text(arena, st, 5);
		sp->photo = col_text(arena, st, 6);
	}
	return e;
}

enum db_err
store_agenda_set(struct store *s, int64_t event_id,
    const struct agenda_item *items, size_t n)
{
	struct stmt *st = q(s, AGENDA_CLEAR);
	enum db_err  e;

	bind_int64(st, 1, event_id);
	if ((e = store_exec(s, st, "agenda clear")) != DB_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		st = q(s, AGENDA_ADD);
		bind_int64(st, 1, event_id);
		bind_int64(st, 2, (int64_t)i);
		bind_int64(st, 3, items[i].starts_at);
		bind_opt_int64(st, 4, items[i].has_ends_at, items[i].ends_at);
		for (int l = 0; l < LANG__MAX; l++) {
			bind_text(st, 5 + l, items[i].title[l]);
			bind_text(st, 9 + l, items[i].description[l] ?
			    items[i].description[l] : "");
		}
		if ((e = store_exec(s, st, "agenda add")) != DB_OK)
			return e;
	}
	return DB_OK;
}

enum db_err
store_speakers_set(struct store *s, int64_t event_id,
    const struct speaker *sp, size_t n)
{
	struct stmt *st = q(s, SPEAKERS_CLEAR);
	enum db_err  e;

	bind_int64(st, 1, event_id);
	if ((e = store_exec(s, st, "speakers clear")) != DB_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		st = q(s, SPEAKERS_ADD);
		bind_int64(st, 1, event_id);
		bind_int64(st, 2, (int64_t)i);
		bind_text(st, 3, sp[i].name);
		for (int l = 0; l < LANG__MAX; l++)
			bind_text(st, 4 + l, sp[i].role[l] ? sp[i].role[l] : "");
		bind_text(st, 8, sp[i].organisation);
		bind_text(st, 9, sp[i].photo);
		if ((e = store_exec(s, st, "speakers add")) != DB_OK)
			return e;
	}
	return DB_OK;
}
