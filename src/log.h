/*
 * log.h: the daemon's and the CLI's log lines, on standard error. Never pass
 * personal data (e-mail, name, client address) to these functions.
 */
#ifndef ICOMMIT_LOG_H
#define ICOMMIT_LOG_H

#include <stdnoreturn.h>

/* Prefix every line with this program name (default "icommit"). */
void	log_init(const char *progname);
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Holds the calling thread's lines from log_hold_begin until log_hold_end
 * (or a full 4 KiB), then writes them in one write(2): for the reply
 * thread, which logs a line for each request of a batch it answers.
 */
void	log_hold_begin(void);
void	log_hold_end(void);
/* Logs and aborts: used when memory runs out. */
noreturn void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
