/*
 * scheduler.c: the timed jobs' thread (see scheduler.h). Before each
 * round it asks whether its connection leads (store_leader_hold): always
 * on SQLite; on PostgreSQL the node whose scheduler connection holds the
 * advisory lock of sql/pg/README.md, so that one node's timed jobs run at
 * a time. A node whose connection was lost has lost the lock with it, and
 * another node's next round takes it (within a second).
 */
#define _GNU_SOURCE	/* pthread_setname_np */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "arena.h"
#include "events.h"
#include "log.h"
#include "loginlimit.h"
#include "newsletter.h"
#include "scheduler.h"
#include "store.h"
#include "store_nodes.h"

#define REMINDERS_EVERY_SECS 60

struct scheduler {
	const struct config *cfg;
	struct writer	    *writer;
	struct store	    *store;	/* for reading what is due */
	unsigned	     generation;	/* of store */
	struct arena	     arena;
	bool		     leader;	/* at the last round */
	pthread_t	     thread;
	pthread_mutex_t	     lock;
	pthread_cond_t	     cond;
	bool		     stopping;
};

/* Whether this node runs the timed jobs now; says so when that changes. */
static bool
scheduler_leads(struct scheduler *sc)
{
	bool leader = false;

	if (store_leader_hold(sc->store, &leader) != DB_OK)
		leader = false;
	if (leader != sc->leader && store_shared(sc->store))
		log_info("scheduler: %s", leader ? "this node now runs the "
		    "timed jobs (the leader)" : "no longer the leader");
	sc->leader = leader;
	return leader;
}

static void *
scheduler_main(void *arg)
{
	struct scheduler *sc = arg;
	int64_t		  reminders_checked = 0;

	pthread_setname_np(pthread_self(), "scheduler");
	for (;;) {
		struct timespec until;
		int64_t		now = now_unix();

		arena_reset(&sc->arena);
		store_refresh(&sc->store, &sc->generation, sc->cfg->database);
		if (!scheduler_leads(sc))
			reminders_checked = 0;	/* a new leader looks at once */
		else {
			newsletter_feed(sc->store, sc->writer, &sc->arena,
			    sc->cfg);
			if (now - reminders_checked >= REMINDERS_EVERY_SECS) {
				reminders_checked = now;
				registrations_remind(sc->store, sc->writer,
				    &sc->arena, sc->cfg);
				loginlimit_purge(sc->store, sc->writer);
			}
		}
		pthread_mutex_lock(&sc->lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		while (!sc->stopping && pthread_cond_timedwait(&sc->cond,
		    &sc->lock, &until) == 0)
			;
		if (sc->stopping) {
			pthread_mutex_unlock(&sc->lock);
			break;
		}
		pthread_mutex_unlock(&sc->lock);
	}
	return NULL;
}

struct scheduler *
scheduler_start(const struct config *cfg, struct writer *writer, char *err,
    size_t errlen)
{
	struct scheduler *sc = calloc(1, sizeof(*sc));

	if (sc == NULL)
		log_fatal("out of memory");
	sc->cfg = cfg;
	sc->writer = writer;
	sc->store = store_open(cfg->database, false, false, err, errlen);
	if (sc->store == NULL) {
		free(sc);
		return NULL;
	}
	sc->generation = store_generation();
	pthread_mutex_init(&sc->lock, NULL);
	pthread_cond_init(&sc->cond, NULL);
	if (pthread_create(&sc->thread, NULL, scheduler_main, sc) != 0) {
		snprintf(err, errlen, "cannot start the scheduler thread");
		pthread_mutex_destroy(&sc->lock);
		pthread_cond_destroy(&sc->cond);
		store_close(sc->store);
		free(sc);
		return NULL;
	}
	return sc;
}

void
scheduler_stop(struct scheduler *sc)
{
	if (sc == NULL)
		return;
	pthread_mutex_lock(&sc->lock);
	sc->stopping = true;
	pthread_cond_signal(&sc->cond);
	pthread_mutex_unlock(&sc->lock);
	pthread_join(sc->thread, NULL);
	store_close(sc->store);
	arena_free(&sc->arena);
	pthread_mutex_destroy(&sc->lock);
	pthread_cond_destroy(&sc->cond);
	free(sc);
}
