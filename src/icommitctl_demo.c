/*
 * icommitctl_demo.c: `icommitctl demo load` and `demo remove`: the demo
 * content of demo.c put into the database through each table's own
 * functions (so counters, tallies and seat counts stay in step) and marked
 * as demo (store_demo.h), then taken out again with everything that hangs
 * off it, leaving real data as it was. Loading twice adds nothing: a
 * pledge is known by its address, an event by its slug.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "consent.h"
#include "demo.h"
#include "icommitctl.h"
#include "store_campaigns.h"
#include "store_demo.h"
#include "store_events.h"
#include "store_pledges.h"
#include "store_registrations.h"
#include "store_staff.h"
#include "tz.h"
#include "validate.h"

#define HOUR 3600

struct demo_load {
	struct arena *arena;
	int64_t	      now;
	int	      pledges, counted, events, registrations;
	bool	      goal;
};

/* The consent record a submission would have left, marked as the demo's. */
static enum db_err
demo_consent(struct store *s, const char *subject, int64_t ref_id,
    int64_t at, const char *language)
{
	struct consent c = { .subject = subject, .ref_id = ref_id,
		.given_at = at, .notice_version = PRIVACY_NOTICE_VERSION,
		.language = language, .source = "demo" };

	return store_consent_add(s, &c);
}

static enum db_err
load_pledge(struct store *s, struct demo_load *d, int64_t campaign_id,
    size_t i)
{
	const struct demo_pledge *dp = &demo_pledges[i];
	struct pledge		  p = { 0 };
	const char		 *status;
	int64_t			  id, moderated;
	enum db_err		  e;

	p.email_key = email_normalise(d->arena, dp->email);
	e = store_pledge_find(s, campaign_id, p.email_key, &id, &status);
	if (e != DB_NOTFOUND)
		return e;	/* DB_OK: loaded before */
	p.campaign_id = campaign_id;
	p.status = dp->status;
	p.name = dp->name;
	p.email = dp->email;
	p.organisation = dp->organisation;
	p.actor_type = dp->actor_type;
	p.country = dp->country;
	p.city = dp->city;
	p.commitment = dp->commitment;
	p.category = dp->category;
	p.has_quantity = dp->quantity >= 0;
	p.quantity = p.has_quantity ? dp->quantity : 0;
	p.unit = dp->unit;
	p.has_target_year = dp->target_year != 0;
	p.target_year = dp->target_year;
	p.public_ = dp->public_;
	p.language = dp->language;
	/* Minutes past the hour vary, so that no two look machine-made. */
	p.created_at = d->now - (int64_t)dp->age_hours * HOUR -
	    (int64_t)(i * 7 % 53) * 60;
	if (strcmp(p.status, PLEDGE_PENDING) != 0) {
		p.has_confirmed_at = true;
		p.confirmed_at = p.created_at + (int64_t)(5 + i * 13 % 180) * 60;
	}
	moderated = p.confirmed_at + 3 * HOUR;
	if (moderated > d->now)
		moderated = d->now;
	if ((e = store_pledge_insert(s, &p)) != DB_OK ||
	    (e = store_demo_mark_pledge(s, p.id, moderated)) != DB_OK ||
	    (e = demo_consent(s, "pledge", p.id, p.created_at,
	    p.language)) != DB_OK)
		return e;
	d->pledges++;
	if (pledge_counted(p.status))
		d->counted++;
	return DB_OK;
}

/* The instant a local time of day (minutes) falls on in zone, on the day
 * that starts at day (UTC midnight): UTC is local time minus the offset. */
static int64_t
local_time(const char *zone, int64_t day, int minutes)
{
	char	abbr[TZ_ABBR_MAX];
	int64_t local = day + (int64_t)minutes * 60;
	int32_t off = 0, again;

	if (tz_offset(zone, local, &off, abbr) != 0)
		return local;
	/* Near a change of offset the guess can be an hour off: ask again
	 * at the instant found. */
	if (tz_offset(zone, local - off, &again, abbr) == 0)
		off = again;
	return local - off;
}

/* The UTC midnight of the day days after now's, moved on to a Tuesday,
 * Wednesday or Thursday (when such sessions are held) and past the
 * year-end holidays. */
static int64_t
event_day(int64_t now, int days)
{
	/* Days to add for each weekday, Sunday first; 1970-01-01 was a
	 * Thursday. */
	static const int to_midweek[7] = { 2, 1, 0, 0, 0, 4, 3 };
	int64_t		 day = now / 86400 + days;
	time_t		 t;
	struct tm	 tm;

	day += to_midweek[(day + 4) % 7];
	t = (time_t)(day * 86400);
	if (gmtime_r(&t, &tm) != NULL && ((tm.tm_mon == 11 &&
	    tm.tm_mday >= 20) || (tm.tm_mon == 0 && tm.tm_mday <= 6)))
		day += 21;	/* three weeks on: the same weekday */
	return day * 86400;
}

static enum db_err
load_registrations(struct store *s, struct demo_load *d,
    const struct demo_event *de, size_t ev_index, int64_t event_id)
{
	enum db_err e;

	for (int k = 0; k < de->registered; k++) {
		const struct demo_pledge *like =
		    &demo_pledges[(size_t)k % demo_pledges_count];
		struct registration	  g = { .event_id = event_id,
			.status = REG_REGISTERED };
		char			  name[DEMO_NAME_MAX];
		char			  email[DEMO_EMAIL_MAX];

		demo_attendee(ev_index * 1000 + (size_t)k, name, email);
		g.name = name;
		g.email = email;
		g.email_key = email_normalise(d->arena, email);
		g.organisation = like->organisation;
		g.country = like->country;
		g.language = like->language;
		g.created_at = d->now - (int64_t)(1 + k * 37 % 300) * HOUR;
		if ((e = store_reg_insert(s, &g)) != DB_OK ||
		    (e = demo_consent(s, "registration", g.id, g.created_at,
		    g.language)) != DB_OK)
			return e;
		d->registrations++;
	}
	return store_event_registered_add(s, event_id, de->registered);
}

static enum db_err
load_event(struct store *s, struct demo_load *d, size_t i)
{
	const struct demo_event *de = &demo_events[i];
	struct event		 ev = { 0 };
	int64_t			 day;
	bool			 demo;
	enum db_err		 e;

	e = store_event_get(s, d->arena, de->slug, &ev);
	if (e == DB_OK) {
		if ((e = store_demo_event_is(s, ev.id, &demo)) == DB_OK &&
		    !demo)
			fprintf(stderr, "icommitctl: demo: an event %s that is "
			    "not demo content exists: left as it is\n",
			    de->slug);
		return e;
	}
	if (e != DB_NOTFOUND)
		return e;
	ev = (struct event){ .slug = de->slug, .timezone = de->timezone,
		.location = de->location, .online_url = de->online_url,
		.has_capacity = true, .capacity = de->capacity,
		.waitlist = de->waitlist };
	memcpy(ev.title, de->title, sizeof(ev.title));
	memcpy(ev.description, de->description, sizeof(ev.description));
	day = event_day(d->now, de->days_ahead);
	ev.starts_at = local_time(de->timezone, day, de->start_minutes);
	ev.ends_at = ev.starts_at + (int64_t)de->duration_minutes * 60;
	/* Hook: an agenda and speakers for the event (once events have them)
	 * are added here, after the event and before its registrations. */
	if ((e = store_event_add(s, &ev)) != DB_OK ||
	    (e = store_demo_mark_event(s, ev.id)) != DB_OK ||
	    (e = load_registrations(s, d, de, i, ev.id)) != DB_OK)
		return e;
	d->events++;
	return DB_OK;
}

static enum db_err
load_tx(struct store *s, void *arg)
{
	struct demo_load *d = arg;
	struct campaign	  c;
	enum db_err	  e;

	if ((e = store_campaign_get(s, d->arena, DEMO_CAMPAIGN, &c)) != DB_OK) {
		if (e == DB_NOTFOUND)
			fprintf(stderr, "icommitctl: demo: no campaign %s "
			    "(run icommitctl init first)\n", DEMO_CAMPAIGN);
		return e;
	}
	if ((e = store_demo_goal_set(s, c.id, DEMO_GOAL, d->now,
	    &d->goal)) != DB_OK)
		return e;
	for (size_t i = 0; i < demo_pledges_count; i++)
		if ((e = load_pledge(s, d, c.id, i)) != DB_OK)
			return e;
	if (d->pledges > 0 &&
	    (e = store_demo_counter_touch(s, c.id, d->now)) != DB_OK)
		return e;
	for (size_t i = 0; i < demo_events_count; i++)
		if ((e = load_event(s, d, i)) != DB_OK)
			return e;
	if (d->pledges + d->events > 0 || d->goal)
		e = store_audit_add(s, "(icommitctl)", "demo_load", NULL, NULL);
	return e;
}

struct demo_remove {
	struct arena	   *arena;
	int64_t		    now;
	struct demo_removed r;
};

static enum db_err
remove_tx(struct store *s, void *arg)
{
	struct demo_remove *x = arg;
	struct pledge	    p;
	int64_t		   *ids;
	size_t		    n;
	enum db_err	    e;

	/* Tokens, consents and mails first: they find the pledges by their
	 * mark. */
	if ((e = store_demo_remove_pledge_links(s, &x->r)) != DB_OK ||
	    (e = store_demo_pledge_ids(s, x->arena, &ids, &n)) != DB_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		if ((e = store_pledge_get(s, x->arena, ids[i], &p)) != DB_OK ||
		    (e = store_pledge_delete(s, &p, x->now)) != DB_OK)
			return e;
		x->r.pledges++;
	}
	if ((e = store_demo_remove_events(s, x->now, &x->r)) != DB_OK)
		return e;
	if (x->r.pledges + x->r.events + x->r.goals > 0)
		e = store_audit_add(s, "(icommitctl)", "demo_remove", NULL,
		    NULL);
	return e;
}

int
cmd_demo(int argc, char **argv)
{
	struct arena  arena = { 0 };
	struct store *s;
	bool	      load;
	int	      rc = 1;

	if (argc != 2 || (strcmp(argv[1], "load") != 0 &&
	    strcmp(argv[1], "remove") != 0))
		ctl_usage();
	load = strcmp(argv[1], "load") == 0;
	if ((s = ctl_store_open()) == NULL)
		return 1;
	if (load) {
		struct demo_load d = { .arena = &arena, .now = now_unix() };

		if (ctl_tx(s, load_tx, &d, "demo load") != DB_OK)
			goto out;
		if (d.pledges + d.events == 0 && !d.goal)
			printf("demo content already loaded: nothing added\n");
		else {
			printf("demo content loaded: %d pledges (%d counted), "
			    "%d events with %d registrations", d.pledges,
			    d.counted, d.events, d.registrations);
			if (d.goal)
				printf(", campaign goal %d", DEMO_GOAL);
			printf("\n");
		}
	} else {
		struct demo_remove x = { .arena = &arena, .now = now_unix() };

		if (ctl_tx(s, remove_tx, &x, "demo remove") != DB_OK)
			goto out;
		printf("demo content removed: %lld pledges, %lld events, %lld "
		    "registrations, %lld tokens, %lld consent records, %lld "
		    "mails%s\n", (long long)x.r.pledges, (long long)x.r.events,
		    (long long)x.r.registrations, (long long)x.r.tokens,
		    (long long)x.r.consents, (long long)x.r.mails,
		    x.r.goals > 0 ? "; campaign goal restored" : "");
	}
	rc = 0;
out:
	store_close(s);
	arena_free(&arena);
	return rc;
}
