/*
 * icommitctl.h: what the files of icommitctl share: the configuration,
 * the usage message, opening the store, running a transaction, and the
 * command functions of the command table in icommitctl.c.
 */
#ifndef ICOMMIT_ICOMMITCTL_H
#define ICOMMIT_ICOMMITCTL_H

#include "config.h"
#include "db.h"
#include "store.h"
#include "writer.h"

#define EXIT_USAGE 2

/* The configuration, loaded by main() before a command runs. */
extern struct config ctl_cfg;

/* Prints the usage message and exits with EXIT_USAGE. */
void	ctl_usage(void) __attribute__((noreturn));
/* Prints "icommitctl: msg" and returns 1. */
int	ctl_fail(const char *msg);
/* Opens the store for a command; NULL after printing the problem. */
struct store *ctl_store_open(void);
/* Runs fn(s, arg) in one transaction of s: fn's result or the commit's,
 * rolled back unless DB_OK. With what, a failure is printed as
 * "icommitctl: what: reason"; without, the caller says what went wrong. */
enum db_err ctl_tx(struct store *s, write_fn fn, void *arg,
	    const char *what);

/* icommitctl.c */
int	cmd_init(int argc, char **argv);
int	cmd_migrate(int argc, char **argv);
int	cmd_backup(int argc, char **argv);
int	cmd_version(int argc, char **argv);
int	cmd_vacuum(int argc, char **argv);
/* icommitctl_data.c */
int	cmd_pledge(int argc, char **argv);
int	cmd_recount(int argc, char **argv);
int	cmd_mail_queue(int argc, char **argv);
int	cmd_export(int argc, char **argv);
int	cmd_erase(int argc, char **argv);	/* erase and purge */
/* icommitctl_staff.c */
int	cmd_user(int argc, char **argv);
int	cmd_event(int argc, char **argv);
int	cmd_newsletter(int argc, char **argv);
/* icommitctl_demo.c */
int	cmd_demo(int argc, char **argv);

#endif
