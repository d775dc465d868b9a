/*
 * audit.h: every staff change is written together with its entry in the
 * audit log, in one job of the group-commit writer, so that neither exists
 * without the other. Staff handlers of every resource call this.
 */
#ifndef ICOMMIT_AUDIT_H
#define ICOMMIT_AUDIT_H

#include "request.h"
#include "writer.h"

/*
 * Runs fn(store, arg) (fn may be NULL: the entry alone) and the audit entry
 * (r->staff, action, target and detail, which may be NULL) in one writer
 * job, and waits for its commit. Returns fn's result or the commit's.
 */
enum db_err audit_run(struct req *r, const char *action, const char *target,
	    const char *detail, write_fn fn, void *arg);

/*
 * Like audit_run, but the detail is computed by detail_fn(arg) after fn
 * ran; when it returns NULL, the change changed nothing and no entry is
 * written (a decision that found the pledge as it was).
 */
enum db_err audit_run_computed(struct req *r, const char *action,
	    const char *target, write_fn fn, void *arg,
	    const char *(*detail_fn)(void *arg));

#endif
