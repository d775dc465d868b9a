/*
 * thin.c: the benchmark's "thin libfcgi" baseline. It does what icommitd
 * does around a request and nothing else: N threads (icommitd's `threads`)
 * each loop on FCGX_Accept_r on one listening unix socket and answer every
 * request with the same small JSON body (the shape of the counter's reply).
 * No routing, no parsing, no database: whatever icommitd adds on top of this
 * is the daemon's own cost.
 *
 *   cc -O2 bench/thin.c -lfcgi -lpthread -o thin
 *   ./thin SOCKET_PATH [THREADS]      (THREADS defaults to 4)
 *
 * It creates the socket with mode 0666 (nginx workers may run as another
 * user), and exits on SIGTERM/SIGINT, which the main thread takes with
 * sigwait: libfcgi's own handlers would leave the workers blocked in
 * accept() (see DESIGN.md, "Pitfalls").
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int listen_fd = -1;

static const char reply[] =
    "Status: 200 OK\r\n"
    "Content-Type: application/json; charset=utf-8\r\n"
    "Cache-Control: no-store\r\n"
    "\r\n"
    "{\"campaign\":\"icommit\",\"count\":0,\"goal\":1000,"
    "\"updated_at\":\"2026-01-01T00:00:00Z\"}\n";

static void *
worker(void *arg)
{
	FCGX_Request r;

	(void)arg;
	if (FCGX_InitRequest(&r, listen_fd, 0) != 0) {
		fprintf(stderr, "thin: FCGX_InitRequest failed\n");
		return NULL;
	}
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(reply, (int)sizeof(reply) - 1, r.out);
		FCGX_Finish_r(&r);
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	sigset_t   set;
	pthread_t *tids;
	int	   n = 4, sig;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: thin SOCKET_PATH [THREADS]\n");
		return 2;
	}
	if (argc == 3 && ((n = atoi(argv[2])) < 1 || n > 256)) {
		fprintf(stderr, "thin: THREADS must be 1..256\n");
		return 2;
	}
	/* Every thread inherits the blocked set; only sigwait sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		fprintf(stderr, "thin: FCGX_Init failed\n");
		return 1;
	}
	unlink(argv[1]);
	listen_fd = FCGX_OpenSocket(argv[1], 1024);
	if (listen_fd < 0 || chmod(argv[1], 0666) != 0) {
		perror(argv[1]);
		return 1;
	}
	tids = calloc((size_t)n, sizeof(*tids));
	if (tids == NULL)
		return 1;
	for (int i = 0; i < n; i++)
		if (pthread_create(&tids[i], NULL, worker, NULL) != 0) {
			fprintf(stderr, "thin: cannot start thread %d\n", i);
			return 1;
		}
	fprintf(stderr, "thin: %d threads on %s\n", n, argv[1]);
	while (sigwait(&set, &sig) != 0)
		;
	/* A baseline needs no graceful drain: remove the socket and go. */
	unlink(argv[1]);
	_exit(0);
}
