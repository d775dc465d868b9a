/*
 * log.c: timestamped log lines on standard error, one write(2) per line so
 * that lines from several worker threads never interleave; or, between
 * log_hold_begin and log_hold_end, a thread's lines gathered and written
 * together.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "icommit";

/*
 * The held lines of this thread (log_hold_begin): written when the next
 * line would not fit, and at log_hold_end. LOG_HOLD_MAX is PIPE_BUF, so
 * that a pipe (or journald's stream) takes each write whole, never mixed
 * with another thread's line.
 */
#define LOG_HOLD_MAX 4096
static __thread bool   log_holding;
static __thread size_t log_held_len;
static __thread char   log_held[LOG_HOLD_MAX];

static void
log_write(const char *buf, size_t n)
{
	if (write(STDERR_FILENO, buf, n) < 0) {
		/* Nowhere left to report it. */
	}
}

static void
log_flush(void)
{
	if (log_held_len > 0)
		log_write(log_held, log_held_len);
	log_held_len = 0;
}

void
log_hold_begin(void)
{
	log_holding = true;
}

void
log_hold_end(void)
{
	log_flush();
	log_holding = false;
}

void
log_init(const char *progname)
{
	log_prog = progname;
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char	  buf[1024];
	struct tm tm;
	time_t	  now = time(NULL);
	int	  n, m;

	gmtime_r(&now, &tm);
	n = snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ %s %s: ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, log_prog, level);
	if (n < 0)
		return;
	m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (!log_holding) {
		log_write(buf, (size_t)n);
		return;
	}
	if (log_held_len + (size_t)n > sizeof(log_held))
		log_flush();
	memcpy(log_held + log_held_len, buf, (size_t)n);
	log_held_len += (size_t)n;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("info", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("error", fmt, ap);
	va_end(ap);
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	log_hold_end();	/* what came before, then this line at once */
	va_start(ap, fmt);
	log_line("fatal", fmt, ap);
	va_end(ap);
	abort();
}
