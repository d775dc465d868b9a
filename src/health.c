/*
 * health.c: GET /api/v1/health, for load balancers and monitoring.
 */
#include "handlers.h"
#include "response.h"
#include "store.h"

void
health_get(struct req *r)
{
	enum db_err e = store_health(r->store);

	if (e != DB_OK) {
		resp_header(r, "Retry-After", "5");
		resp_error(r, 503, "unavailable", NULL);
		return;
	}
	resp_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "version",
	    ICOMMIT_VERSION));
}
