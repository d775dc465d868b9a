/*
 * exports.c: the table of staff CSV exports (see exports.h) and
 * GET /api/v1/admin/export/{name}.csv, which runs one through
 * download_run.
 */
#include <string.h>

#include "comments.h"
#include "consultants.h"
#include "events.h"
#include "exports.h"
#include "handlers.h"
#include "newsletter.h"
#include "pledges.h"
#include "response.h"

const struct export *const exports[] = {
	&pledges_export,
	&registrations_export,
	&subscribers_export,
	&comments_export,
	&consultants_export,
	NULL,
};

const struct export *
exports_find(const char *name)
{
	for (size_t i = 0; exports[i] != NULL; i++)
		if (strcmp(exports[i]->name, name) == 0)
			return exports[i];
	return NULL;
}

void
exports_get(struct req *r)
{
	const struct export *x = exports_find(r->params[0]);

	if (x == NULL) {
		resp_error(r, 404, "not_found", NULL);
		return;
	}
	download_run(r, x);
}
