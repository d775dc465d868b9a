/*
 * conns.c: the FastCGI connections (see conns.h). One epoll set for the
 * whole process: the listening socket (EPOLLEXCLUSIVE: one worker woken
 * per new connection), an eventfd that conns_stop makes readable for
 * every worker, and each kept connection while it is idle (EPOLLONESHOT:
 * once readable it is out of the set, with exactly one worker, until
 * conns_keep puts it back); a new connection joins the set as soon as
 * it is accepted and is handed out when its request has come. A
 * connection closed while in the set leaves it by itself (no other
 * descriptor refers to it).
 */
#define _GNU_SOURCE	/* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conns.h"
#include "log.h"

static int	   ep = -1;
static int	   stop_fd = -1;
static int	   listener = -1;
static atomic_bool stopped;

int
conns_init(int listen_fd)
{
	struct epoll_event ev = { 0 };
	int		   flags;

	listener = listen_fd;
	if ((flags = fcntl(listen_fd, F_GETFL)) < 0 ||
	    fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK) != 0)
		return -1;
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return -1;
	if ((stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		return -1;
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	ev.data.fd = listen_fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) != 0)
		return -1;
	ev.events = EPOLLIN;
	ev.data.fd = stop_fd;
	return epoll_ctl(ep, EPOLL_CTL_ADD, stop_fd, &ev);
}

int
conns_next(void)
{
	struct epoll_event ev;
	int		   fd, n;

	while (!atomic_load(&stopped)) {
		n = epoll_wait(ep, &ev, 1, -1);
		if (n < 0 && errno != EINTR) {
			log_error("epoll_wait: %s", strerror(errno));
			return -1;
		}
		if (n <= 0 || ev.data.fd == stop_fd)
			continue;
		if (ev.data.fd != listener)
			return ev.data.fd;	/* readable */
		/* Blocking, as libfcgi reads it. Another worker may have
		 * taken the connection first (EAGAIN): wait again. A new
		 * connection joins the set like a kept one and is handed out
		 * once its request has come: a client that connects and sends
		 * nothing holds no worker. */
		fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
		if (fd >= 0) {
			conns_keep(fd);
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED && !atomic_load(&stopped)) {
			log_error("accept: %s", strerror(errno));
			/* Out of descriptors, say: do not spin on it. */
			usleep(10000);
		}
	}
	return -1;
}

void
conns_keep(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT,
		.data.fd = fd };

	if (atomic_load(&stopped)) {
		close(fd);
		return;
	}
	/* Watched before (its first request came that way): re-armed;
	 * otherwise (accepted here) added. */
	if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0)
		return;
	if (errno == ENOENT && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0)
		return;
	log_error("epoll_ctl: %s", strerror(errno));
	close(fd);
}

void
conns_stop(void)
{
	uint64_t one = 1;

	atomic_store(&stopped, true);
	if (write(stop_fd, &one, sizeof(one)) < 0) {
		/* Already readable (a counter that full): enough. */
	}
}

void
conns_free(void)
{
	if (ep >= 0)
		close(ep);
	if (stop_fd >= 0)
		close(stop_fd);
	ep = stop_fd = -1;
}
