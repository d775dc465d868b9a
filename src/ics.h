/*
 * ics.h: iCalendar (RFC 5545) files for events: CRLF lines folded at 75
 * octets on UTF-8 boundaries, text escaped (\ ; , and newlines), times in
 * UTC.
 */
#ifndef ICOMMIT_ICS_H
#define ICOMMIT_ICS_H

#include <stddef.h>

#include "arena.h"
#include "store.h"
#include "store_events.h"

/* Escapes TEXT for a property value: \ ; , and newlines. From arena. */
char	*ics_escape(struct arena *arena, const char *s);

/* Appends "NAME:VALUE" folded at 75 octets, with CRLF. value is used as
 * given (escape it first). Returns the new string from arena. */
char	*ics_line(struct arena *arena, char *doc, size_t *len,
	    const char *name, const char *value);

/* How a mail carries the file (registrations.c makes it, outbox.c
 * attaches it again when the mail is rendered from its variables). */
#define ICS_MAIL_TYPE	"text/calendar; charset=utf-8; method=PUBLISH"
#define ICS_MAIL_NAME	"event.ics"

/* The whole VCALENDAR of e in lang; url is the event's page. */
char	*ics_event(struct arena *arena, const struct event *e, enum lang lang,
	    const char *base_url, size_t *len);

#endif
