/*
 * audit.c: a staff change and its audit entry in one writer job (see
 * audit.h).
 */
#include "audit.h"
#include "store.h"
#include "store_staff.h"

struct audited {
	const char   *staff;
	const char   *action;
	const char   *target;
	const char   *detail;
	write_fn      fn;
	void	     *arg;
	const char *(*detail_fn)(void *arg);
};

static enum db_err
audited_tx(struct store *s, void *arg)
{
	struct audited *a = arg;
	enum db_err	e = DB_OK;

	if (a->fn != NULL && (e = a->fn(s, a->arg)) != DB_OK)
		return e;
	if (a->detail_fn != NULL && (a->detail = a->detail_fn(a->arg)) == NULL)
		return DB_OK;
	return store_audit_add(s, a->staff, a->action, a->target, a->detail);
}

enum db_err
audit_run(struct req *r, const char *action, const char *target,
    const char *detail, write_fn fn, void *arg)
{
	struct audited a = { r->staff, action, target, detail, fn, arg, NULL };

	return writer_run(r->writer, audited_tx, &a);
}

enum db_err
audit_run_computed(struct req *r, const char *action, const char *target,
    write_fn fn, void *arg, const char *(*detail_fn)(void *arg))
{
	struct audited a = { r->staff, action, target, NULL, fn, arg,
		detail_fn };

	return writer_run(r->writer, audited_tx, &a);
}
