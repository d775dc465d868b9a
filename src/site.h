/*
 * site.h: who runs the campaign, as the operator chose to publish it
 * (config keys organiser_name, organiser_url, contact_email and the
 * partners file), served by GET /api/v1/site (site.c).
 */
#ifndef ICOMMIT_SITE_H
#define ICOMMIT_SITE_H

#include <jansson.h>
#include <stddef.h>

#include "config.h"

#define SITE_PARTNERS_MAX     48	/* partners in the file */
#define SITE_PARTNER_NAME_MAX 160	/* code points */
#define SITE_URL_MAX	      500	/* bytes */
#define SITE_LOGO_MAX	      200	/* bytes */
#define SITE_PARTNERS_FILE_MAX (64 * 1024)

/*
 * Parses the text of a partners file (len bytes, need not be
 * NUL-terminated): a JSON array of at most SITE_PARTNERS_MAX objects
 * {"name": TEXT, "url": URL, "logo": PATH}, where name is required (one
 * line, 1 to SITE_PARTNER_NAME_MAX code points), url optional (http:// or
 * https:// with a host, printable ASCII), logo optional (a path on this
 * site, "/img/partners/x.svg": letters, digits, "-", "_", ".", "/", no
 * ".." or dot file, ending in .svg, .png, .jpg, .jpeg or .webp). Unknown
 * members, duplicate keys and other types are refused. Returns a new
 * reference to the array as served (absent url or logo as null), or NULL
 * with one line naming the problem (and the partner, from 1) in err.
 */
json_t	*site_partners_parse(const char *buf, size_t len, char *err,
	    size_t errlen);

/*
 * Builds the answer of GET /api/v1/site from cfg once, reading
 * cfg->partners_file when set. Call before the workers start. Returns 0,
 * or -1 with one line (naming the file) in err.
 */
int	site_load(const struct config *cfg, char *err, size_t errlen);

/* Frees what site_load built. */
void	site_free(void);

#endif
