/*
 * ics.c: the iCalendar writer (see ics.h).
 */
#include <string.h>
#include <stdio.h>

#include "ics.h"

char *
ics_escape(struct arena *arena, const char *s)
{
	size_t n = strlen(s);
	char  *out = arena_alloc(arena, 2 * n + 1), *o = out;

	for (; *s; s++) {
		switch (*s) {
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case ';': *o++ = '\\'; *o++ = ';'; break;
		case ',': *o++ = '\\'; *o++ = ','; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': break;
		default: *o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

char *
ics_line(struct arena *arena, char *doc, size_t *len, const char *name,
    const char *value)
{
	size_t	    nlen = strlen(name), vlen = strlen(value);
	size_t	    cap = *len + (nlen + 1 + vlen) * 2 + 8;
	char	   *out = arena_alloc(arena, cap), *o;
	const char *p = value;
	size_t	    col;

	if (*len)
		memcpy(out, doc, *len);
	o = out + *len;
	memcpy(o, name, nlen);
	o += nlen;
	*o++ = ':';
	col = nlen + 1;
	while (*p) {
		/* Length of the next UTF-8 character. */
		unsigned char c = (unsigned char)*p;
		size_t	      k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
		    c >= 0xc0 ? 2 : 1;

		if (col + k > 75) {
			memcpy(o, "\r\n ", 3);
			o += 3;
			col = 1;
		}
		for (size_t i = 0; i < k && *p; i++)
			*o++ = *p++;
		col += k;
	}
	memcpy(o, "\r\n", 2);
	o += 2;
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static void
ics_time(int64_t t, char out[17])
{
	char rfc[TIME_RFC3339_LEN];

	/* 2026-11-28T12:00:00Z → 20261128T120000Z */
	time_format(t, rfc);
	snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", rfc, rfc + 5, rfc + 8,
	    rfc + 11, rfc + 14, rfc + 17);
}

char *
ics_event(struct arena *arena, const struct event *e, enum lang lang,
    const char *base_url, size_t *len)
{
	const char *host = strstr(base_url, "://");
	char	    stamp[17], start[17], end[17], uid[200], url[600];
	char	   *doc = NULL;

	host = host ? host + 3 : base_url;
	ics_time(now_unix(), stamp);
	ics_time(e->starts_at, start);
	ics_time(e->ends_at, end);
	snprintf(uid, sizeof(uid), "event-%s@%.*s", e->slug,
	    (int)strcspn(host, "/:"), host);
	snprintf(url, sizeof(url), "%s/events.html?event=%s&lang=%s", base_url,
	    e->slug, lang_codes[lang]);
	*len = 0;
	doc = ics_line(arena, doc, len, "BEGIN", "VCALENDAR");
	doc = ics_line(arena, doc, len, "VERSION", "2.0");
	doc = ics_line(arena, doc, len, "PRODID", "-//I COMMIT//icommit//EN");
	doc = ics_line(arena, doc, len, "CALSCALE", "GREGORIAN");
	doc = ics_line(arena, doc, len, "METHOD", "PUBLISH");
	doc = ics_line(arena, doc, len, "BEGIN", "VEVENT");
	doc = ics_line(arena, doc, len, "UID", uid);
	doc = ics_line(arena, doc, len, "DTSTAMP", stamp);
	doc = ics_line(arena, doc, len, "DTSTART", start);
	doc = ics_line(arena, doc, len, "DTEND", end);
	doc = ics_line(arena, doc, len, "SUMMARY",
	    ics_escape(arena, e->title[lang]));
	if (e->description[lang] && *e->description[lang])
		doc = ics_line(arena, doc, len, "DESCRIPTION",
		    ics_escape(arena, e->description[lang]));
	if (e->location || e->online_url)
		doc = ics_line(arena, doc, len, "LOCATION",
		    ics_escape(arena, e->location ? e->location : e->online_url));
	doc = ics_line(arena, doc, len, "URL",
	    e->online_url ? e->online_url : url);
	doc = ics_line(arena, doc, len, "END", "VEVENT");
	doc = ics_line(arena, doc, len, "END", "VCALENDAR");
	return doc;
}
