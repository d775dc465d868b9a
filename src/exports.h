/*
 * exports.h: the table of every staff CSV export, which the router's
 * export route and icommitctl's export command both read, so that a new
 * export is one line here and one struct export in its resource.
 */
#ifndef ICOMMIT_EXPORTS_H
#define ICOMMIT_EXPORTS_H

#include "download.h"

/* Every export, NULL-terminated, in the order icommitctl lists them. */
extern const struct export *const exports[];

/* The export called name ("pledges"), or NULL. */
const struct export *exports_find(const char *name);

#endif
