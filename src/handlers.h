/*
 * handlers.h: every request handler, by the file that defines it. The
 * route table in router.c is the one place that says which path reaches
 * which; each file includes this header so that the compiler checks its
 * handlers against it.
 */
#ifndef ICOMMIT_HANDLERS_H
#define ICOMMIT_HANDLERS_H

#include "request.h"

/* health.c */
void	health_get(struct req *r);

/* campaigns.c */
void	campaigns_list(struct req *r);
void	campaigns_get(struct req *r);
void	campaigns_create(struct req *r);	/* staff */
void	campaigns_update(struct req *r);	/* staff */

/* counter.c */
void	counter_get(struct req *r);
void	counter_svg(struct req *r);
void	stats_get(struct req *r);
void	timeline_get(struct req *r);

/* qr.c */
void	qr_svg(struct req *r);

/* pledges.c */
void	pledges_submit(struct req *r);
void	wall_get(struct req *r);
void	wall_pledge_get(struct req *r);

/* moderation.c (staff) */
void	moderation_list(struct req *r);
void	moderation_decide(struct req *r);
void	moderation_bulk(struct req *r);

/* confirm.c */
void	confirm_post(struct req *r);

/* staff.c */
/* Checks the session cookie (401) and, on changes, X-CSRF-Token (403);
 * sets r->staff. Returns 0, or -1 after writing the error. The router
 * calls it before every staff route. */
int	staff_authenticate(struct req *r);
void	staff_login(struct req *r);
void	staff_logout(struct req *r);
void	staff_me(struct req *r);
void	staff_audit(struct req *r);

/* exports.c (staff) */
void	exports_get(struct req *r);

/* events.c */
void	events_list(struct req *r);
void	events_get(struct req *r);
void	events_ics(struct req *r);
void	events_create(struct req *r);	/* staff */
void	events_update(struct req *r);	/* staff */
void	events_admin_list(struct req *r);	/* staff */
void	events_admin_get(struct req *r);	/* staff */
void	events_door(struct req *r);	/* staff */
void	events_checkin(struct req *r);	/* staff */

/* registrations.c */
void	registrations_post(struct req *r);
void	registrations_cancel(struct req *r);

/* newsletter.c */
void	newsletter_subscribe(struct req *r);
void	newsletter_unsubscribe(struct req *r);
void	newsletter_issues(struct req *r);	/* staff */
void	newsletter_issue_create(struct req *r);	/* staff */
void	newsletter_issue_send(struct req *r);	/* staff */

/* privacy.c */
void	privacy_request(struct req *r);
void	privacy_export(struct req *r);
void	privacy_erase(struct req *r);

/* comments.c */
void	comments_submit(struct req *r);
void	comments_list(struct req *r);		/* staff */
void	comments_handled(struct req *r);	/* staff */

/* site.c */
void	site_get(struct req *r);

/* consultants.c */
void	consultants_submit(struct req *r);
void	consultants_list(struct req *r);	/* staff */

#endif
