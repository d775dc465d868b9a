/*
 * config.h: the configuration file shared by icommitd and icommitctl
 * (`key = value` lines, `#` comments, unknown keys rejected). Every key of
 * API.md's table, with its default, and the few the site publishes about
 * who runs it (organiser, contact, partners).
 */
#ifndef ICOMMIT_CONFIG_H
#define ICOMMIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"

#define CONFIG_STR	 1024
#define CONFIG_PROXIES	 32

struct config {
	char	    database[CONFIG_STR];   /* SQLite file */
	char	    listen[CONFIG_STR];	    /* "" = FastCGI socket on stdin */
	unsigned    socket_mode;	    /* mode of a unix socket we create */
	int	    threads;
	char	    base_url[CONFIG_STR];   /* no trailing slash */
	bool	    verify_email;
	bool	    moderation;
	char	    smtp_url[CONFIG_STR];   /* "" = mail stays queued */
	char	    mail_from[CONFIG_STR];
	int	    rate_limit;		    /* public POSTs per client per minute */
	struct cidr trusted_proxies[CONFIG_PROXIES];
	size_t	    trusted_proxies_count;
	int	    session_hours;
	int	    retention_days;
	bool	    comment_notify;	    /* mail mail_from each new comment */
	int	    mail_lease;		    /* seconds a node's mailer holds the
					     * mail it claimed (PostgreSQL) */
	/* Published by GET /api/v1/site (site.c); "" = not published. */
	char	    organiser_name[CONFIG_STR];
	char	    organiser_url[CONFIG_STR];
	char	    contact_email[CONFIG_STR];
	char	    partners_file[CONFIG_STR]; /* JSON: see site.h */
};

/* Fills cfg with the defaults of API.md. */
void	config_defaults(struct config *cfg);

/*
 * Parses a configuration text (len bytes, need not be NUL-terminated) over
 * the values already in cfg. name is the file name used in messages.
 * Returns 0, or -1 with one line "NAME:LINE: problem" in err.
 */
int	config_parse(struct config *cfg, const char *name, const char *buf,
	    size_t len, char *err, size_t errlen);

/*
 * Loads defaults then the file at path. Returns 0, or -1 with one line
 * naming the file (and line, when the problem is in a line) in err.
 */
int	config_load(struct config *cfg, const char *path, char *err,
	    size_t errlen);

#endif
