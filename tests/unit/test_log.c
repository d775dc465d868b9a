/*
 * test_log.c: log lines on standard error (here a temporary file): one
 * line each, timestamped and prefixed; between log_hold_begin and
 * log_hold_end nothing is written until the end (or a full 4 KiB), then
 * every line whole and in order; log lines of other threads meanwhile are
 * written at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "log.h"

static char path[] = "/tmp/icommit-test-log-XXXXXX";

/* Bytes written to the file so far. */
static long
written(void)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void *
other_thread(void *arg)
{
	(void)arg;
	log_info("from another thread");
	return NULL;
}

int
main(void)
{
	char	  line[64], *text = NULL;
	long	  before;
	int	  fd, saved;
	FILE	 *f;
	pthread_t t;
	size_t	  len = 0;

	if ((fd = mkstemp(path)) < 0)
		return 1;
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_init("test");

	log_info("one %d", 1);
	check_context("a line at once");
	CHECK(written() > 0);

	before = written();
	log_hold_begin();
	for (int i = 0; i < 20; i++)
		log_info("held %02d", i);
	check_context("held: nothing written yet");
	CHECK_INT(written(), before);
	pthread_create(&t, NULL, other_thread, NULL);
	pthread_join(t, NULL);
	check_context("another thread's line is not held");
	CHECK(written() > before);
	before = written();
	log_hold_end();
	check_context("released: the 20 lines");
	CHECK(written() - before > 20 * 20);

	/* More than 4 KiB held: written as it fills, whole lines. */
	log_hold_begin();
	before = written();
	for (int i = 0; i < 200; i++)
		log_info("many %03d", i);
	check_context("a full buffer is written before the end");
	CHECK(written() > before);
	log_hold_end();
	log_info("after");

	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		int held = 0, many = 0, other = 0, lines = 0, bad = 0;

		while (getline(&text, &len, f) > 0) {
			const char *msg = strstr(text, "Z test info: ");
			int	    k;

			lines++;
			if (strncmp(text, "20", 2) != 0 || msg == NULL) {
				bad++;
				continue;
			}
			msg += strlen("Z test info: ");
			snprintf(line, sizeof(line), "many %03d\n", many);
			if (sscanf(msg, "held %d", &k) == 1 && k == held)
				held++;
			else if (strcmp(msg, line) == 0)
				many++;
			else if (strcmp(msg, "from another thread\n") == 0)
				other++;
		}
		fclose(f);
		check_context("the file: every line whole, in order");
		CHECK_INT(bad, 0);
		CHECK_INT(held, 20);
		CHECK_INT(many, 200);
		CHECK_INT(other, 1);
		CHECK_INT(lines, 1 + 20 + 1 + 200 + 1);
	}
	free(text);
	unlink(path);
	return check_done();
}
