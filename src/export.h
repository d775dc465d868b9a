/*
 * export.h: the CSV exports, shared by the staff API (streamed to the
 * FastCGI connection) and icommitctl (to a file), so both write the same
 * bytes.
 */
#ifndef ICOMMIT_EXPORT_H
#define ICOMMIT_EXPORT_H

#include "csv.h"
#include "store.h"

/*
 * Writes the header row and every pledge matching q to c (begun by the
 * caller with its separator and BOM), then finishes c. Returns the storage
 * result; the sink's failure shows in csv_finish's.
 */
enum db_err export_pledges(struct store *s, const struct export_query *q,
	    struct csv *c, uint64_t *rows);

/* The registrations of one event (API.md's columns), like export_pledges. */
enum db_err export_registrations(struct store *s, int64_t event_id,
	    struct csv *c, uint64_t *rows);

/* Every newsletter subscription (API.md's columns: id, subscribed_at,
 * confirmed_at, status, email, name, language, consent_version). */
enum db_err export_subscribers(struct store *s, struct csv *c,
	    uint64_t *rows);
/*
 * Staff's comments (columns id, created_at, topic, language, name, email,
 * message, handled_at, handled_by) and the consultant roster (id,
 * created_at, confirmed_at, name, email, country, organisation, expertise,
 * languages, profile_url, bio; lists space-separated), like
 * export_pledges.
 */
enum db_err export_comments(struct store *s, const struct comment_query *q,
	    struct csv *c, uint64_t *rows);
enum db_err export_consultants(struct store *s,
	    const struct consultant_query *q, struct csv *c, uint64_t *rows);

/* A file name such as "icommit-pledges-2026-11-28.csv" for today. */
void	export_filename(const char *what, char *out, size_t outlen);

#endif
