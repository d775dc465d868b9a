/*
 * campaigns.h: the public JSON form of a campaign, shared by the campaign
 * endpoints and any other resource that embeds a campaign.
 */
#ifndef ICOMMIT_CAMPAIGNS_H
#define ICOMMIT_CAMPAIGNS_H

#include <jansson.h>

#include "store.h"

/* CAMPAIGN of API.md as a new reference. */
json_t	*campaign_json(const struct campaign *c, int64_t now);

/* {"es": ..., "en": ..., "pt": ..., "fr": ...} from text[] (NULL as ""). */
json_t	*json_langs(const char *const text[LANG__MAX]);

/* A time as an RFC 3339 JSON string, or JSON null when !has. */
json_t	*json_time(bool has, int64_t t);

#endif
