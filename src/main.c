/*
 * main.c: icommitd. Reads the configuration, opens (and migrates) the
 * database, listens, runs `threads` workers that each take a FastCGI
 * connection with a request to read (conns.c: a new one, or one nginx kept
 * open) and read it with FCGX_Accept_r, each with its own database
 * connection, and stops cleanly on SIGTERM/SIGINT: the workers are woken
 * and the listening socket shut down, requests in flight finish, workers join,
 * then the scheduler and the mailer stop, and the writer commits and
 * answers the requests still waiting for it.
 * A worker accepts into a request slot (request.h); when a handler hands
 * its request to the writer (req_defer), the worker goes on with a fresh
 * slot and the writer's reply thread answers that request after its commit.
 */
#define _GNU_SOURCE	/* pthread_setname_np */
#include <curl/curl.h>
#include <errno.h>
#include <fcgiapp.h>
#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "campcache.h"
#include "conns.h"
#include "eventcache.h"
#include "config.h"
#include "log.h"
#include "request.h"
#include "response.h"
#include "router.h"
#include "mailer.h"
#include "ratelimit.h"
#include "scheduler.h"
#include "site.h"
#include "store.h"
#include "writer.h"

/* Most submissions committed in one transaction; 1 means one fsync per
 * request (the benchmark's comparison build, -DICOMMIT_GROUP_COMMIT_MAX=1). */
#ifndef ICOMMIT_GROUP_COMMIT_MAX
#define ICOMMIT_GROUP_COMMIT_MAX 256
#endif

/* How much nicer than the writer a worker thread is (see worker_main). */
#ifndef WORKER_NICE
#define WORKER_NICE 3
#endif

/* Staff login attempts per client address per minute. */
#define LOGIN_ATTEMPTS_PER_MINUTE 10
/* ... and per user name, whatever the address. */
#define LOGIN_ATTEMPTS_PER_ACCOUNT 5

static struct config cfg;
static int	     listen_fd = -1;
static atomic_bool   stopping;

/* The usage line: on standard output and exit 0 when asked for (-h),
 * on standard error and exit 2 after a usage error. */
static void
usage(bool asked)
{
	fprintf(asked ? stdout : stderr, "usage: icommitd [-c FILE] [-h] [-V]\n");
	exit(asked ? 0 : 2);
}

/* A worker's connection, set up; NULL with err set. */
static struct store *
worker_store_open(char *err, size_t errlen)
{
	struct store *st = store_open(cfg.database, false, false, err, errlen);

	/* A worker only reads, a few rows a request: a small page cache. */
	if (st != NULL)
		store_tune_worker(st);
	return st;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct req_slot *slot = req_slot_get();

	pthread_setname_np(pthread_self(), "worker");
	/* Finish work before taking more: on a saturated machine the writer
	 * and the reply thread, which complete requests, run before workers,
	 * which start new ones (Linux: nice is per thread). */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), WORKER_NICE) != 0)
		log_error("worker %d: setpriority: %s", w->id, strerror(errno));
	if (slot == NULL) {
		log_error("worker %d: no request slot", w->id);
		return NULL;
	}
	while (!atomic_load(&stopping)) {
		int fd = conns_next();

		if (fd < 0)
			break;
		/* libfcgi reads the request from this connection instead of
		 * accepting one itself: with keepConnection set, the finish
		 * that FCGX_Accept_r begins with leaves the descriptor open
		 * (fields libfcgi calls its own; stable since 2.4). Below 0:
		 * the connection had ended (nginx closed a kept one; libfcgi
		 * closed it) and no new one was waiting. */
		slot->fcgx.ipcFd = fd;
		slot->fcgx.keepConnection = 1;
		slot->fcgx.detached = 0;
		if (FCGX_Accept_r(&slot->fcgx) < 0)
			continue;
		/* The writer found the database writable again: reopen. */
		if (store_refresh(&w->store, &w->generation, cfg.database))
			store_tune_worker(w->store);
		req_init(slot, w);
		router_dispatch(&slot->r);
		if (w->spare != NULL) {
			/* Deferred: the writer answers it after the commit. */
			req_slot_put(slot);
			slot = w->spare;
			w->spare = NULL;
			continue;
		}
		req_finish(&slot->r);
	}
	req_slot_put(slot);
	return NULL;
}

/* Opens the socket named by cfg.listen, or checks that standard input is
 * the FastCGI socket (spawn-fcgi). Returns the fd or -1. */
static int
open_listener(void)
{
	struct stat st;
	int	    fd;

	if (cfg.listen[0] == '\0') {
		if (fstat(0, &st) != 0 || !S_ISSOCK(st.st_mode)) {
			log_error("no 'listen' in the configuration and standard "
			    "input is not a socket (start under spawn-fcgi or "
			    "set listen = unix:/path or host:port)");
			return -1;
		}
		return 0;
	}
	if (strncmp(cfg.listen, "unix:", 5) == 0) {
		const char *path = cfg.listen + 5;

		fd = FCGX_OpenSocket(path, 1024);
		if (fd < 0) {
			log_error("%s: cannot listen: %s", path, strerror(errno));
			return -1;
		}
		if (chmod(path, cfg.socket_mode) != 0) {
			log_error("%s: chmod: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		return fd;
	}
	fd = FCGX_OpenSocket(cfg.listen, 1024);
	if (fd < 0)
		log_error("%s: cannot listen: %s", cfg.listen, strerror(errno));
	return fd;
}

int
main(int argc, char *argv[])
{
	const char    *conf = "/etc/icommit/icommit.conf";
	char	       err[1024];
	struct worker *workers = NULL;
	pthread_t     *threads = NULL;
	struct store  *st;
	struct writer *writer = NULL;
	struct mailer *mailer = NULL;
	struct scheduler *scheduler = NULL;
	sigset_t       set;
	int	       opt, sig, started = 0, rc = 1;

	log_init("icommitd");
	while ((opt = getopt(argc, argv, "c:hV")) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(true);
			break;
		case 'V':
			printf("icommitd %s\n", ICOMMIT_VERSION);
			return 0;
		default:
			usage(false);
		}
	}
	if (optind != argc)
		usage(false);
	if (config_load(&cfg, conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "icommitd: %s\n", err);
		return 1;
	}
	/* libcurl (and the TLS libraries it initialises) only when mail is
	 * sent; before any thread that could use it starts. */
	if (cfg.smtp_url[0] != '\0' &&
	    curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_error("libcurl cannot start");
		return 1;
	}
	if (sodium_init() < 0) {
		log_error("libsodium cannot start");
		return 1;
	}
	/* Two malloc arenas, not one per thread and core: the workers' and
	 * the writer's short-lived allocations would otherwise each keep
	 * their own free memory (the idle RSS target, docs/performance.md). */
	mallopt(M_ARENA_MAX, 2);
	json_object_seed(0);
	/* What GET /api/v1/site publishes: a bad partners file stops the
	 * start like a bad config line. */
	if (site_load(&cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "icommitd: %s\n", err);
		return 1;
	}
	ratelimit_init(cfg.rate_limit, LOGIN_ATTEMPTS_PER_MINUTE,
	    LOGIN_ATTEMPTS_PER_ACCOUNT);

	/* Create or migrate the schema once, before any worker opens it. */
	st = store_open(cfg.database, true, true, err, sizeof(err));
	if (st == NULL) {
		log_error("%s", err);
		return 1;
	}
	if (store_readonly(st))
		log_error("%s is on a read-only file system: serving reads, "
		    "refusing writes (503) until it is writable", cfg.database);
	store_close(st);

	/* Signals are taken by the main thread alone, with sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		log_error("libfcgi cannot start");
		return 1;
	}
	listen_fd = open_listener();
	if (listen_fd < 0)
		return 1;
	req_pool_init(listen_fd);
	if (conns_init(listen_fd) != 0) {
		log_error("cannot watch the listening socket: %s",
		    strerror(errno));
		return 1;
	}

	writer = writer_start(cfg.database, ICOMMIT_GROUP_COMMIT_MAX, err,
	    sizeof(err));
	if (writer == NULL) {
		log_error("%s", err);
		return 1;
	}
	if (cfg.smtp_url[0] != '\0') {
		mailer = mailer_start(&cfg, writer, err, sizeof(err));
		if (mailer == NULL) {
			log_error("%s", err);
			writer_stop(writer);
			return 1;
		}
		writer_set_notify(writer, mailer_wake, mailer);
		/* The timed jobs queue mail: they run where mail is sent. */
		scheduler = scheduler_start(&cfg, writer, err, sizeof(err));
		if (scheduler == NULL) {
			log_error("%s", err);
			writer_set_notify(writer, NULL, NULL);
			mailer_stop(mailer);
			writer_stop(writer);
			return 1;
		}
	} else
		log_info("no smtp_url: mail stays queued (icommitctl mail-queue)");

	workers = calloc((size_t)cfg.threads, sizeof(*workers));
	threads = calloc((size_t)cfg.threads, sizeof(*threads));
	if (workers == NULL || threads == NULL)
		log_fatal("out of memory");
	for (int i = 0; i < cfg.threads; i++) {
		workers[i].id = i;
		workers[i].cfg = &cfg;
		workers[i].writer = writer;
		workers[i].generation = store_generation();
		workers[i].store = worker_store_open(err, sizeof(err));
		if (workers[i].store == NULL) {
			log_error("%s", err);
			goto stop;
		}
		if (pthread_create(&threads[i], NULL, worker_main,
		    &workers[i]) != 0) {
			store_close(workers[i].store);
			log_error("cannot start worker %d", i);
			goto stop;
		}
		started++;
	}
	log_info("icommitd %s ready: %d workers, listening on %s",
	    ICOMMIT_VERSION, started, cfg.listen[0] ? cfg.listen : "stdin");

	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP)
			continue; /* nothing to reload yet */
		log_info("stopping on signal %d", sig);
		break;
	}
	rc = 0;
stop:
	atomic_store(&stopping, true);
	FCGX_ShutdownPending();
	/* Wakes every worker waiting for a request; requests being read
	 * finish. New connections are refused from here on; kept ones are
	 * closed as their last replies go out. */
	conns_stop();
	shutdown(listen_fd, SHUT_RDWR);
	for (int i = 0; i < started; i++) {
		pthread_join(threads[i], NULL);
		store_close(workers[i].store);
	}
	close(listen_fd);
	/* The scheduler and the mailer first (they write through the
	 * writer), then the writer: commits what is queued and answers those
	 * requests. */
	scheduler_stop(scheduler);
	if (writer != NULL)
		writer_set_notify(writer, NULL, NULL);
	mailer_stop(mailer);
	writer_stop(writer);
	req_pool_free();
	conns_free();
	campcache_clear();
	eventcache_clear();
	site_free();
	if (strncmp(cfg.listen, "unix:", 5) == 0)
		unlink(cfg.listen + 5);
	free(workers);
	free(threads);
	/* What the run cost, every thread since the start (bench/run divides
	 * it by the requests a scenario answered). */
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		log_info("cpu: %ld.%03ld s user, %ld.%03ld s system",
		    (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec / 1000,
		    (long)ru.ru_stime.tv_sec, (long)ru.ru_stime.tv_usec / 1000);
	log_info("stopped");
	return rc;
}
