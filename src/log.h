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
/* Logs and aborts: used when memory runs out. */
noreturn void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
