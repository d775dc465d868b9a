/*
 * csv.h: the CSV writer of every export: RFC 4180 quoting, CRLF line ends,
 * an optional UTF-8 byte-order mark, ',' or ';' separators, and
 * formula-injection neutralised (a text cell starting with = + - @ tab CR
 * or LF gets a leading apostrophe). Output goes through a small buffer to
 * a sink callback, so memory stays flat whatever the row count.
 */
#ifndef ICOMMIT_CSV_H
#define ICOMMIT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Receives output; returns 0, or -1 to stop (the reader went away). */
typedef int (*csv_sink_fn)(void *arg, const void *buf, size_t len);

struct csv {
	csv_sink_fn sink;
	void	   *arg;
	char	    sep;
	bool	    row_started;
	int	    failed;	/* a sink call failed: further output dropped */
	char	    special[5];	/* what makes a text cell quoted: sep " CR LF */
	size_t	    len;
	char	    buf[16384];
};

/* Starts a CSV stream; writes the BOM when bom. */
void	csv_begin(struct csv *c, char sep, bool bom, csv_sink_fn sink, void *arg);
/* A text cell (NULL: empty), quoted and neutralised as needed. */
void	csv_text(struct csv *c, const char *s);
/* A number cell, written as is. */
void	csv_int(struct csv *c, int64_t v);
/* An empty cell. */
void	csv_empty(struct csv *c);
/* Ends the row with CRLF. */
void	csv_row_end(struct csv *c);
/* Flushes the buffer; returns 0, or -1 if the sink failed at any point. */
int	csv_finish(struct csv *c);

#endif
