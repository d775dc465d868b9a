/*
 * download.h: the staff CSV exports. Each resource describes its export
 * once (struct export: columns, parameters, rows); download_run is the one
 * runner every staff download goes through (separator, BOM, the dated file
 * name, the audit entry, rows streamed to the connection), and icommitctl
 * writes the same bytes to a file through export_params_read and
 * export_write. The table of every export is in exports.c.
 */
#ifndef ICOMMIT_DOWNLOAD_H
#define ICOMMIT_DOWNLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "csv.h"
#include "form.h"
#include "request.h"
#include "store.h"
#include "store_pledges.h"

/* What an export's parameter reader works on and tells. */
struct export_params {
	struct store	    *store;
	struct arena	    *arena;
	const struct kvlist *q;		/* the query string's pairs */
	void		    *query;	/* the export's own, zeroed */
	const char	    *detail;	/* out: the audit entry's detail
					 * (default: the query string) */
	const char	    *bad;	/* out: the parameter at fault */
	enum db_err	     e;		/* out: DB_NOTFOUND when what bad
					 * names does not exist, or the
					 * store's failure */
};

struct export {
	const char	   *name;	/* "pledges": file name, audit target */
	const char *const  *columns;	/* the header row */
	/* One letter a column: i integer, t time (seconds) as RFC 3339,
	 * p positive integer (0 is empty), b "0"/"1" as false/true, s text
	 * (neutralised against formulas by csv_text); NULL is empty. */
	const char	   *kinds;
	/* The parameters read, NULL-terminated (sep and bom aside):
	 * icommitctl takes each as --NAME VALUE. */
	const char *const  *params;
	size_t		    query_size;
	/* Reads p->q into p->query: 0, or -1 with p->bad (and p->e) set.
	 * NULL: no parameters. */
	int		  (*read)(struct export_params *p);
	/* Streams the rows (columns in the order of columns). */
	enum db_err	  (*rows)(struct store *s, const void *query,
			    store_row_fn fn, void *arg);
};

/* ?sep=comma|semicolon and ?bom=0|1 (icommitctl: --sep, --no-bom); -1 when
 * either is malformed. */
int	export_format(const struct kvlist *q, char *sep, bool *bom);

/* Reads x's parameters (p->query allocated and zeroed from p->arena):
 * x->read's result. */
int	export_params_read(const struct export *x, struct export_params *p);

/*
 * Writes the header row and every row of x matching query to c (begun by
 * the caller with its separator and BOM), then finishes c. *rows counts
 * the rows. Returns the store's result; the sink's failure shows in
 * c->failed.
 */
enum db_err export_write(struct store *s, const struct export *x,
	    const void *query, struct csv *c, uint64_t *rows);

/* A file name such as "icommit-pledges-2026-11-28.csv" for today. */
void	export_filename(const char *what, char *out, size_t outlen);

/*
 * The whole staff download of x: its parameters (400 when malformed, 404
 * when a campaign or event they name is unknown), the audit entry, the
 * headers and the streamed rows. A failure after the headers are out can
 * only cut the file short; it is logged.
 */
void	download_run(struct req *r, const struct export *x);

#endif
