/*
 * check.h: the unit tests' only helper. CHECK, CHECK_STR and CHECK_INT
 * count checks and failures and print file:line and both values when one
 * fails; check_context() names the table row being checked; check_done()
 * prints "N checks, M failed" and returns main's exit status.
 */
#ifndef ICOMMIT_CHECK_H
#define ICOMMIT_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int  check_count;
static int  check_failed;
static char check_ctx[256];

/* Names what the next checks are about ("row 3: \"a=%zz\""); "" clears. */
static inline void check_context(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static inline void
check_context(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(check_ctx, sizeof(check_ctx), fmt, ap);
	va_end(ap);
}

/* Prints s with bytes outside printable ASCII as \xNN, NULL as (null). */
static inline void
check_print_str(const char *s)
{
	if (s == NULL) {
		fputs("(null)", stderr);
		return;
	}
	fputc('"', stderr);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fputc('"', stderr);
}

static inline int
check_fail(const char *file, int line, const char *what)
{
	check_failed++;
	fprintf(stderr, "%s:%d: FAIL: %s", file, line, what);
	if (check_ctx[0] != '\0')
		fprintf(stderr, " [%s]", check_ctx);
	fputc('\n', stderr);
	return 0;
}

static inline int
check_bool(int ok, const char *file, int line, const char *expr)
{
	check_count++;
	return ok ? 1 : check_fail(file, line, expr);
}

static inline int
check_str(const char *a, const char *b, const char *file, int line,
    const char *ea, const char *eb)
{
	char what[256];

	check_count++;
	if ((a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0))
		return 1;
	snprintf(what, sizeof(what), "%s == %s", ea, eb);
	check_fail(file, line, what);
	fputs("    got:      ", stderr);
	check_print_str(a);
	fputs("\n    expected: ", stderr);
	check_print_str(b);
	fputc('\n', stderr);
	return 0;
}

static inline int
check_int(long long a, long long b, const char *file, int line,
    const char *ea, const char *eb)
{
	char what[256];

	check_count++;
	if (a == b)
		return 1;
	snprintf(what, sizeof(what), "%s == %s", ea, eb);
	check_fail(file, line, what);
	fprintf(stderr, "    got: %lld, expected: %lld\n", a, b);
	return 0;
}

/* Each evaluates to 1 when the check passed, so a test can stop early. */
#define CHECK(cond) check_bool((cond) ? 1 : 0, __FILE__, __LINE__, #cond)
#define CHECK_STR(a, b) check_str((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_INT(a, b) \
	check_int((long long)(a), (long long)(b), __FILE__, __LINE__, #a, #b)

/* Prints the tally; returns 0 when nothing failed, 1 otherwise. */
/* Writes text to a new temporary file; returns its path (static: the
 * next call reuses it). A test that cannot write one exits 2. */
static inline const char *
check_temp_file(const char *text)
{
	static char path[64];
	int	    fd;
	size_t	    len = strlen(text);

	snprintf(path, sizeof(path), "/tmp/icommit-test-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		perror("temp file");
		exit(2);
	}
	close(fd);
	return path;
}

static inline int
check_done(void)
{
	printf("%d checks, %d failed\n", check_count, check_failed);
	return check_failed == 0 ? 0 : 1;
}

#endif
