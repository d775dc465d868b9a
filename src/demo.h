/*
 * demo.h: the demo content that `icommitctl demo load` puts into a
 * database so that a reviewer meets a living campaign: sample pledges from
 * fictional people and organisations across Latin America and the
 * Caribbean (each in its author's language), two upcoming events in four
 * languages with some registrations, and the campaign's goal. Only data:
 * icommitctl_demo.c loads and removes it. Every address is at example.org
 * or example.com (RFC 2606), so no mail can reach anyone.
 */
#ifndef ICOMMIT_DEMO_H
#define ICOMMIT_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The campaign the demo fills, and the goal it gives it. */
#define DEMO_CAMPAIGN	"icommit"
#define DEMO_GOAL	250

struct demo_pledge {
	const char *name;
	const char *email;		/* at example.org */
	const char *organisation;	/* NULL: an individual's */
	const char *actor_type;
	const char *country;
	const char *city;
	const char *category;		/* NULL: none */
	int64_t	    quantity;		/* < 0: none */
	const char *unit;
	int	    target_year;	/* 0: none */
	const char *language;		/* of the commitment and the mails */
	const char *status;		/* as in store_pledges.h */
	bool	    public_;
	int	    age_hours;		/* made this long before the load */
	const char *commitment;
};

extern const struct demo_pledge demo_pledges[];
extern const size_t demo_pledges_count;

struct demo_event {
	const char *slug;
	const char *title[LANG__MAX];
	const char *description[LANG__MAX];
	const char *timezone;		/* IANA name */
	const char *location;
	const char *online_url;		/* NULL: in person only */
	int	    days_ahead;		/* from the day of the load */
	int	    start_minutes;	/* local time of day it starts */
	int	    duration_minutes;
	int	    capacity;
	bool	    waitlist;
	int	    registered;		/* demo registrations to make */
};

extern const struct demo_event demo_events[];
extern const size_t demo_events_count;

/* The n-th fictional attendee: a name, and an address at example.com
 * that no other n has. */
#define DEMO_NAME_MAX	40
#define DEMO_EMAIL_MAX	40
void	demo_attendee(size_t n, char name[DEMO_NAME_MAX],
	    char email[DEMO_EMAIL_MAX]);

#endif
