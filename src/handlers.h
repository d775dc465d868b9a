/*
 * handlers.h: every request handler, by resource file. The route table in
 * router.c is the one place that says which path reaches which.
 */
#ifndef ICOMMIT_HANDLERS_H
#define ICOMMIT_HANDLERS_H

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

#endif
