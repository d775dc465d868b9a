/*
 * test_writer.c: the writer falls idle after every burst, whichever of its
 * commits was the last: after exactly one checkpoint interval of commits
 * (the last one asks for a checkpoint and restarts that count), after
 * one commit, and after a burst of submitted jobs. Its falling idle is
 * what folds the WAL back and gives the burst's memory back; the stop
 * line ("idle N times", on standard error, here a temporary file) counts
 * it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "log.h"
#include "store.h"
#include "writer.h"
#include "writer_impl.h"

static char logpath[] = "/tmp/icommit-test-writer-log-XXXXXX";
static int  logfd, saved_stderr;

/* A job that writes nothing: a transaction all the same. */
static enum db_err
nothing(struct store *s, void *arg)
{
	(void)s;
	(void)arg;
	return DB_OK;
}

static void
done(struct writer_job *j)
{
	(void)j;
}

/* The writer on a fresh database at path, stopped after run(w); the
 * number its stop line gives for "idle N times", or -1. */
static long
idles_after(const char *path, void (*run)(struct writer *))
{
	struct writer *w;
	char	       err[256], *line = NULL;
	size_t	       cap = 0;
	long	       idles = -1;
	FILE	      *f;

	/* The writer's log lines into the file; the checks' to stderr. */
	fflush(stderr);
	dup2(logfd, STDERR_FILENO);
	w = writer_start(path, 256, err, sizeof(err));
	if (w != NULL) {
		run(w);
		/* Longer than WRITER_IDLE_US: the writer has fallen idle. */
		usleep(3 * WRITER_IDLE_US);
		writer_stop(w);
	}
	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	if (w == NULL) {
		fprintf(stderr, "writer_start: %s\n", err);
		return -1;
	}
	if ((f = fopen(logpath, "r")) == NULL)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		const char *p = strstr(line, "; idle ");

		if (strstr(line, "writer: ") != NULL && p != NULL)
			idles = strtol(p + strlen("; idle "), NULL, 10);
	}
	fclose(f);
	free(line);
	if (truncate(logpath, 0) != 0)
		return -1;
	return idles;
}

static void
one_commit(struct writer *w)
{
	writer_run(w, nothing, NULL);
}

/* Exactly WRITER_CHECKPOINT_EVERY transactions, one after another: the
 * last asks for a checkpoint. */
static void
one_interval(struct writer *w)
{
	for (int i = 0; i < WRITER_CHECKPOINT_EVERY; i++)
		writer_run(w, nothing, NULL);
}

static void
a_burst(struct writer *w)
{
	static struct writer_job jobs[500];

	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		jobs[i] = (struct writer_job){ .fn = nothing, .done = done };
		writer_submit(w, &jobs[i]);
	}
}

int
main(void)
{
	char dir[] = "/tmp/icommit-test-writer-XXXXXX", path[512], err[256];
	int  fd;

	/* Appending, so that each run's lines start the emptied file. */
	if (mkdtemp(dir) == NULL || (fd = mkstemp(logpath)) < 0 ||
	    close(fd) != 0 ||
	    (logfd = open(logpath, O_WRONLY | O_APPEND)) < 0 ||
	    (saved_stderr = dup(STDERR_FILENO)) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/test.db", dir);
	{
		struct store *s = store_open(path, true, true, err,
		    sizeof(err));

		if (s == NULL) {
			fprintf(stderr, "store_open: %s\n", err);
			return 1;
		}
		store_close(s);
	}
	log_init("test");

	/* At least once: a slow machine may leave the writer idle for a
	 * moment between two of the test's transactions too. */
	check_context("idle after one commit");
	CHECK(idles_after(path, one_commit) >= 1);
	check_context("idle after exactly one checkpoint interval of commits");
	CHECK(idles_after(path, one_interval) >= 1);
	check_context("idle after a burst of submitted jobs");
	CHECK(idles_after(path, a_burst) >= 1);

	close(logfd);
	unlink(logpath);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		(void)system(cmd);
	}
	return check_done();
}
