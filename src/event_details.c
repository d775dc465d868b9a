/*
 * event_details.c: what the event's own page shows beyond the event: its
 * agenda and its speakers (read from a staff body, written with the
 * event, shown as JSON), and the staff's form of an event, whose times
 * are also given as the venue's wall clock shows them (the event's
 * time zone, through tz.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "events.h"
#include "json_out.h"
#include "tz.h"

#define AGENDA_MAX	40
#define SPEAKERS_MAX	40

/* A path of the site to an image ("/img/speakers/ana.jpg"): the pages'
 * CSP loads images from the site only. */
static bool
photo_ok(const char *p)
{
	static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".webp",
		".avif", ".svg", NULL };
	size_t n = strlen(p);

	if (p[0] != '/' || p[1] == '/' || strstr(p, "/.") != NULL ||
	    strncmp(p, "/api/", 5) == 0 ||
	    strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_.-") != n)
		return false;
	for (int i = 0; ext[i] != NULL; i++) {
		size_t e = strlen(ext[i]);

		if (n > e + 1 && strcasecmp(p + n - e, ext[i]) == 0)
			return true;
	}
	return false;
}

/* The array at key, or NULL (absent, null: an empty list; else a reason). */
static json_t *
list_get(struct fields *f, const char *key, size_t max, bool *given)
{
	json_t *v = json_object_get(f->in, key);

	*given = v != NULL;
	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		fields_fail(f, key, REASON_WRONG_TYPE);
		return NULL;
	}
	if (json_array_size(v) > max) {
		fields_fail(f, key, REASON_TOO_LONG);
		return NULL;
	}
	return v;
}

/* Item i of list key as the fields of a sub-object, or false (a reason
 * recorded) when it is not an object. */
static bool
item_open(struct fields *f, const char *key, json_t *list, size_t i,
    struct fields *sub, char prefix[32])
{
	json_t *v = json_array_get(list, i);

	snprintf(prefix, 32, "%s.%zu", key, i);
	if (!json_is_object(v)) {
		fields_fail(f, prefix, REASON_WRONG_TYPE);
		return false;
	}
	*sub = (struct fields){ .in = v, .from_form = f->from_form,
		.arena = f->arena };
	strcat(prefix, ".");
	return true;
}

static void
item_close(struct fields *f, struct fields *sub, const char *prefix)
{
	fields_merge(f, prefix, sub);
	json_decref(sub->errors);
	sub->errors = NULL;
}

/* One agenda item: its times in ev's zone and within ev's times. */
static void
agenda_item_fields(struct fields *sub, const struct event *ev,
    struct agenda_item *it)
{
	bool has_start = false;

	if (field_time_zoned(sub, "starts_at", true, ev->timezone, &has_start,
	    &it->starts_at) == 0 && (it->starts_at < ev->starts_at ||
	    it->starts_at > ev->ends_at))
		fields_fail(sub, json_object_get(sub->in, "starts_at_local") ?
		    "starts_at_local" : "starts_at", REASON_OUT_OF_RANGE);
	if (field_time_zoned(sub, "ends_at", false, ev->timezone,
	    &it->has_ends_at, &it->ends_at) == 0 && it->has_ends_at &&
	    ((has_start && it->ends_at < it->starts_at) ||
	    it->ends_at > ev->ends_at))
		fields_fail(sub, json_object_get(sub->in, "ends_at_local") ?
		    "ends_at_local" : "ends_at", REASON_OUT_OF_RANGE);
	field_langs(sub, "title", true, true, 200, false, it->title);
	field_langs(sub, "description", false, false, 2000, true,
	    it->description);
	for (int l = 0; l < LANG__MAX; l++)
		if (it->description[l] == NULL)
			it->description[l] = "";
}

static void
speaker_fields(struct fields *sub, struct speaker *sp)
{
	const char *photo = NULL;

	field_string(sub, "name", true, 1, 120, false, &sp->name);
	field_langs(sub, "role", false, false, 200, false, sp->role);
	for (int l = 0; l < LANG__MAX; l++)
		if (sp->role[l] == NULL)
			sp->role[l] = "";
	field_string(sub, "organisation", false, 0, 160, false,
	    &sp->organisation);
	if (field_string(sub, "photo", false, 1, 200, false, &photo) == 0 &&
	    photo != NULL && !photo_ok(photo))
		fields_fail(sub, "photo", REASON_INVALID_CHOICE);
	sp->photo = photo;
}

void
event_details_fields(struct fields *f, const struct event *ev,
    struct event_details_input *in)
{
	struct fields sub;
	char	      prefix[32];
	json_t	     *list;
	size_t	      n;

	memset(in, 0, sizeof(*in));
	list = list_get(f, "agenda", AGENDA_MAX, &in->agenda_given);
	n = json_array_size(list);
	if (n > 0)
		in->d.agenda = arena_alloc(f->arena, n * sizeof(*in->d.agenda));
	for (size_t i = 0; i < n; i++) {
		struct agenda_item *it = &in->d.agenda[in->d.nagenda++];

		memset(it, 0, sizeof(*it));
		if (!item_open(f, "agenda", list, i, &sub, prefix))
			continue;
		agenda_item_fields(&sub, ev, it);
		item_close(f, &sub, prefix);
	}
	list = list_get(f, "speakers", SPEAKERS_MAX, &in->speakers_given);
	n = json_array_size(list);
	if (n > 0)
		in->d.speakers = arena_alloc(f->arena,
		    n * sizeof(*in->d.speakers));
	for (size_t i = 0; i < n; i++) {
		struct speaker *sp = &in->d.speakers[in->d.nspeakers++];

		memset(sp, 0, sizeof(*sp));
		if (!item_open(f, "speakers", list, i, &sub, prefix))
			continue;
		speaker_fields(&sub, sp);
		item_close(f, &sub, prefix);
	}
}

enum db_err
event_details_save(struct store *s, int64_t event_id,
    const struct event_details_input *in)
{
	enum db_err e = DB_OK;

	if (in->agenda_given)
		e = store_agenda_set(s, event_id, in->d.agenda, in->d.nagenda);
	if (e == DB_OK && in->speakers_given)
		e = store_speakers_set(s, event_id, in->d.speakers,
		    in->d.nspeakers);
	return e;
}

/* t as the wall clock of zone shows it ("2026-12-03T10:00"), or JSON null
 * when !has or the zone is unknown here. */
static json_t *
json_local(const char *zone, bool has, int64_t t)
{
	char	abbr[TZ_ABBR_MAX], buf[TIME_LOCAL_LEN];
	int32_t off;

	if (!has || tz_offset(zone, t, &off, abbr) != 0)
		return json_null();
	time_format_local(t + off, buf);
	return json_string(buf);
}

void
event_details_json(json_t *o, const struct event *ev,
    const struct event_details *d, bool staff)
{
	json_t *agenda = json_array(), *speakers = json_array();

	for (size_t i = 0; i < d->nagenda; i++) {
		const struct agenda_item *it = &d->agenda[i];
		json_t			 *j = json_object();

		json_object_set_new(j, "starts_at", json_time(true,
		    it->starts_at));
		json_object_set_new(j, "ends_at", json_time(it->has_ends_at,
		    it->ends_at));
		if (staff) {
			json_object_set_new(j, "starts_at_local", json_local(
			    ev->timezone, true, it->starts_at));
			json_object_set_new(j, "ends_at_local", json_local(
			    ev->timezone, it->has_ends_at, it->ends_at));
		}
		json_object_set_new(j, "title", json_langs(it->title));
		json_object_set_new(j, "description",
		    json_langs(it->description));
		json_array_append_new(agenda, j);
	}
	for (size_t i = 0; i < d->nspeakers; i++) {
		const struct speaker *sp = &d->speakers[i];

		json_array_append_new(speakers, json_pack("{s:s, s:o, s:o, s:o}",
		    "name", sp->name, "role", json_langs(sp->role),
		    "organisation", json_opt_str(sp->organisation),
		    "photo", json_opt_str(sp->photo)));
	}
	json_object_set_new(o, "agenda", agenda);
	json_object_set_new(o, "speakers", speakers);
}

void
event_staff_json(json_t *o, const struct event *ev, int64_t waitlisted)
{
	json_object_set_new(o, "starts_at_local", json_local(ev->timezone, true,
	    ev->starts_at));
	json_object_set_new(o, "ends_at_local", json_local(ev->timezone, true,
	    ev->ends_at));
	json_object_set_new(o, "registration_closes_at_local", json_local(
	    ev->timezone, ev->has_closes_at, ev->registration_closes_at));
	json_object_set_new(o, "waitlisted", json_integer(waitlisted));
}
