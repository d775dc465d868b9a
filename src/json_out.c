/*
 * json_out.c: the shared JSON forms of json_out.h.
 */
#include "json_out.h"
#include "log.h"

json_t *
json_time(bool has, int64_t t)
{
	char buf[TIME_RFC3339_LEN];

	if (!has)
		return json_null();
	time_format(t, buf);
	return json_string(buf);
}

json_t *
json_opt_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
langs(const char *const text[LANG__MAX], json_t *(*missing)(void))
{
	json_t *o = json_object();

	if (o == NULL)
		log_fatal("out of memory");
	for (int l = 0; l < LANG__MAX; l++)
		json_object_set_new(o, lang_codes[l], text[l] != NULL ?
		    json_string(text[l]) : missing());
	return o;
}

static json_t *
empty_string(void)
{
	return json_string("");
}

json_t *
json_langs(const char *const text[LANG__MAX])
{
	return langs(text, empty_string);
}

json_t *
json_langs_or_null(const char *const text[LANG__MAX])
{
	return langs(text, json_null);
}
