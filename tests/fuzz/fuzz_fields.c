/*
 * fuzz_fields.c: libFuzzer harness for validate.c's field extractors, fed
 * the way a pledge submission is: the body parsed with json_loadb
 * (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL) and every pledge field read
 * from it, as JSON and as if it came from a form; a body that is not JSON
 * is decoded as a urlencoded form into an object of unchecked strings, as
 * request.c does. The same object is read as a staff's event with its
 * agenda and speakers (event_fields, event_details_fields). Nothing may
 * crash or leak, and what an extractor hands back must obey its rule.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "events.h"
#include "form.h"
#include "fields.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const actor_types[] = { "individual", "private_sector",
	"finance", "government", "civil_society", "academia", "other", NULL };
static const char *const categories[] = { "fleet", "charging",
	"public_transport", "policy", "finance", "awareness", "other", NULL };
static const char *const units[] = { "vehicles", "buses", "chargers", "mw",
	"usd", "tco2e", "people", NULL };
static const char *const languages[] = { "es", "en", "pt", "fr", NULL };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_object_seed(0x1c0aa17);	/* reproducible hashing */
	return 0;
}

/* A text an extractor returned: valid, trimmed, at most max code points. */
static void
check_text(const char *s, size_t max, bool multiline)
{
	size_t cps;

	if (s == NULL)
		return;
	if (text_check(s, strlen(s), multiline, &cps) != TEXT_OK || cps > max ||
	    cps == 0 || s[0] == ' ' || s[strlen(s) - 1] == ' ')
		abort();
}

static void check_reasons(const struct fields *f);

/* Reads every pledge field from f, as pledges.c would. */
static void
pledge_fields(struct fields *f)
{
	const char *name, *email, *org, *actor, *country, *city, *commitment;
	const char *category, *unit, *language;
	bool	    has_qty, has_year, has_public, public;
	long long   qty, year;

	(void)field_honeypot(f, "website");
	field_string(f, "name", true, 1, 120, false, &name);
	field_email(f, "email", true, &email);
	field_string(f, "organisation", false, 0, 160, false, &org);
	field_choice(f, "actor_type", true, actor_types, &actor);
	field_country(f, "country", true, &country);
	field_string(f, "city", false, 0, 120, false, &city);
	field_string(f, "commitment", true, 10, 2000, true, &commitment);
	field_choice(f, "category", false, categories, &category);
	field_int(f, "quantity", false, 0, 1000000000000LL, &has_qty, &qty);
	field_choice(f, "unit", false, units, &unit);
	field_int(f, "target_year", false, 2019, 2100, &has_year, &year);
	field_bool(f, "public", false, &has_public, &public);
	field_true(f, "consent");
	field_choice(f, "language", false, languages, &language);

	check_text(name, 120, false);
	check_text(org, 160, false);
	check_text(city, 120, false);
	check_text(commitment, 2000, true);
	if (email != NULL && (!email_valid(email, strlen(email)) ||
	    strpbrk(email, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL))
		abort();
	if (country != NULL && !country_valid(country))
		abort();
	if ((has_qty && (qty < 0 || qty > 1000000000000LL)) ||
	    (has_year && (year < 2019 || year > 2100)))
		abort();
	if (email != NULL)
		(void)email_normalise(f->arena, email);
	check_reasons(f);
}

/* Reads an event with its agenda and speakers from f, as the staff API
 * would (times also as a zone's wall clock: field_time_zoned). */
static void
event_input(struct fields *f)
{
	struct event		   ev = { 0 };
	struct event_details_input d;

	event_fields(f, &ev, true);
	event_details_fields(f, &ev, &d);
	if (d.d.nagenda > 40 || d.d.nspeakers > 40)
		abort();
	for (size_t i = 0; fields_ok(f) && i < d.d.nagenda; i++) {
		const struct agenda_item *it = &d.d.agenda[i];

		if (it->starts_at < ev.starts_at || it->starts_at > ev.ends_at ||
		    (it->has_ends_at && (it->ends_at < it->starts_at ||
		    it->ends_at > ev.ends_at)))
			abort();
		for (int l = 0; l < LANG__MAX; l++)
			check_text(it->title[l], 200, false);
	}
	for (size_t i = 0; fields_ok(f) && i < d.d.nspeakers; i++) {
		const struct speaker *sp = &d.d.speakers[i];

		check_text(sp->name, 120, false);
		if (sp->photo != NULL && (sp->photo[0] != '/' ||
		    strstr(sp->photo, "..") != NULL))
			abort();
	}
	check_reasons(f);
}

/* Each recorded reason is one of API.md's. */
static void
check_reasons(const struct fields *f)
{
	if (f->errors != NULL) {
		const char *key;
		json_t	   *v;

		json_object_foreach(f->errors, key, v) {
			const char *reason = json_string_value(v);
			int	    known = 0;

			for (int i = 0; reason != NULL && i < REASON__MAX; i++)
				if (strcmp(reason, reason_names[i]) == 0)
					known = 1;
			if (!known)
				abort();
		}
	}
}

/* As request.c's form_to_json: strings unchecked, arrays for repeats. */
static json_t *
form_object(const struct kvlist *kv)
{
	json_t *obj = json_object();

	for (size_t i = 0; i < kv->count; i++) {
		const struct kv *p = &kv->items[i];
		json_t		*v, *old;

		v = json_stringn_nocheck(p->value, p->value_len);
		old = json_object_getn(obj, p->key, p->key_len);
		if (old == NULL)
			json_object_setn_new_nocheck(obj, p->key, p->key_len,
			    v);
		else if (json_is_array(old))
			json_array_append_new(old, v);
		else {
			json_t *arr = json_array();

			json_array_append(arr, old);
			json_array_append_new(arr, v);
			json_object_setn_new_nocheck(obj, p->key, p->key_len,
			    arr);
		}
	}
	return obj;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena  arena = { 0 };
	struct fields f;
	json_error_t  jerr;
	json_t	     *in;

	in = json_loadb((const char *)data, size,
	    JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (in != NULL) {
		if (json_is_object(in)) {
			for (int form = 0; form < 2; form++) {
				memset(&f, 0, sizeof(f));
				f.in = json_incref(in);
				f.from_form = form;
				f.arena = &arena;
				pledge_fields(&f);
				fields_free(&f);
				memset(&f, 0, sizeof(f));
				f.in = json_incref(in);
				f.from_form = form;
				f.arena = &arena;
				event_input(&f);
				fields_free(&f);
			}
		}
		json_decref(in);
	} else {
		struct kvlist kv;
		char	     *body = malloc(size ? size : 1);

		if (body == NULL)
			abort();
		memcpy(body, data, size);
		if (form_parse(&arena, body, size, &kv) == 0) {
			memset(&f, 0, sizeof(f));
			f.in = form_object(&kv);
			f.from_form = true;
			f.arena = &arena;
			pledge_fields(&f);
			fields_free(&f);
		}
		free(body);
	}
	arena_free(&arena);
	return 0;
}
