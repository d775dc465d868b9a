/*
 * campaigns.h: the campaigns resource (campaigns.c, and counter.c for the
 * live figures): the public JSON form of a campaign.
 */
#ifndef ICOMMIT_CAMPAIGNS_H
#define ICOMMIT_CAMPAIGNS_H

#include <jansson.h>

#include "store.h"
#include "store_campaigns.h"

/* CAMPAIGN of API.md as a new reference. */
json_t	*campaign_json(const struct campaign *c, int64_t now);

#endif
