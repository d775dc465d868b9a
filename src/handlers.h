/*
 * handlers.h: every request handler, by resource file. The route table in
 * router.c is the one place that says which path reaches which.
 */
#ifndef ICOMMIT_HANDLERS_H
#define ICOMMIT_HANDLERS_H

#include "db.h"
#include "request.h"

/* health.c */
void	health_get(struct req *r);

/* campaigns.c */
void	campaigns_list(struct req *r);
void	campaigns_get(struct req *r);

/* pledges.c */
void	pledges_submit(struct req *r);
void	wall_get(struct req *r);
void	confirm_post(struct req *r);
void	counter_get(struct req *r);
void	counter_svg(struct req *r);
void	stats_get(struct req *r);

/* qr.c */
void	qr_svg(struct req *r);

/* admin.c */
/* Runs fn (may be NULL) and an audit entry for r->staff in one writer job. */
struct store;
enum db_err admin_audit_run(struct req *r, const char *action,
	    const char *target, const char *detail,
	    enum db_err (*fn)(struct store *, void *), void *arg);
/* Checks the session cookie (401) and, on changes, X-CSRF-Token (403);
 * sets r->staff. Returns 0, or -1 after writing the error. */
int	admin_authenticate(struct req *r);
void	admin_login(struct req *r);
void	admin_logout(struct req *r);
void	admin_me(struct req *r);
void	admin_pledges_list(struct req *r);
void	admin_moderate(struct req *r);
void	admin_moderate_bulk(struct req *r);
void	admin_campaign_create(struct req *r);
void	admin_campaign_update(struct req *r);
void	admin_audit(struct req *r);
void	admin_export_pledges(struct req *r);
void	admin_export_subscribers(struct req *r);
/* The start of a CSV download of what ("pledges", ...): file name,
 * headers, and a CSV writer (in the request's arena) streaming into the
 * response; and the ?sep= and ?bom= parameters (-1 after a 400). */
struct csv;
struct csv *csv_download_begin(struct req *r, const char *what, char sep,
	    bool bom);
int	csv_params(struct req *r, const struct kvlist *q, char *sep, bool *bom);
/*
 * A whole staff CSV download of what ("comments", ...): the audit entry
 * (the query string as its detail), the headers, write(store, q, csv,
 * &rows) streaming the rows, and a log line if it stopped early.
 */
struct csv;
typedef enum db_err (*csv_write_fn)(struct store *s, const void *q,
	    struct csv *c, uint64_t *rows);
void	csv_download_run(struct req *r, const char *what, char sep, bool bom,
	    csv_write_fn write, const void *q);


/* events.c */
void	events_list(struct req *r);
void	events_get(struct req *r);
void	events_ics(struct req *r);
void	registrations_post(struct req *r);
void	registrations_cancel(struct req *r);
void	admin_event_create(struct req *r);
void	admin_event_update(struct req *r);
void	admin_event_registrations(struct req *r);
void	admin_checkin(struct req *r);
void	admin_export_registrations(struct req *r);

/* newsletter.c */
void	newsletter_subscribe(struct req *r);
void	newsletter_unsubscribe(struct req *r);
void	admin_newsletters_list(struct req *r);
void	admin_newsletter_create(struct req *r);
void	admin_newsletter_send(struct req *r);

/* privacy.c */
void	privacy_request(struct req *r);
void	privacy_export(struct req *r);
void	privacy_erase(struct req *r);
/* comments.c */
void	comments_submit(struct req *r);
void	admin_comments_list(struct req *r);
void	admin_comment_handled(struct req *r);
void	admin_export_comments(struct req *r);

/* consultants.c */
void	consultants_submit(struct req *r);
void	admin_consultants_list(struct req *r);
void	admin_export_consultants(struct req *r);

#endif
