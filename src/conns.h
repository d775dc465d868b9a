/*
 * conns.h: the FastCGI connections the daemon reads requests from: new
 * ones on the listening socket, and those nginx keeps open between
 * requests (fastcgi_keep_conn on, an upstream keepalive), which wait in
 * an epoll set while idle, so that an idle connection never holds a
 * worker thread. Each connection is handed to one worker at a time.
 */
#ifndef ICOMMIT_CONNS_H
#define ICOMMIT_CONNS_H

/* Watches listen_fd (made non-blocking). 0, or -1 with errno set. */
int	conns_init(int listen_fd);
/*
 * Waits for a connection with a request to read: a new one (accepted
 * here, handed out once readable) or a kept one that has become
 * readable. Returns its descriptor, now the caller's (read the request on
 * it, then conns_keep or close it), or -1 once conns_stop was called.
 */
int	conns_next(void);
/* Gives back a connection whose request was answered and that nginx keeps
 * for the next one: watched again, or closed once stopping. */
void	conns_keep(int fd);
/* Wakes every conns_next caller for good (-1); kept connections are
 * closed as they come back. */
void	conns_stop(void);
/* Closes the epoll set (after the workers have joined). */
void	conns_free(void);

#endif
