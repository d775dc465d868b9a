/*
 * store_nodes.h: what several icommitd nodes on one database coordinate
 * through it (PostgreSQL; see sql/pg/README.md): the scheduler's
 * leadership (a session advisory lock) and the staff login throttle
 * (login_attempts). On SQLite one daemon owns the database: it is always
 * the leader, and the login throttle stays in memory (ratelimit.c), so
 * these calls are not made there (the throttle's) or always succeed (the
 * leader's). Implemented in store_nodes.c.
 */
#ifndef ICOMMIT_STORE_NODES_H
#define ICOMMIT_STORE_NODES_H

#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/*
 * Whether s's connection is the scheduler's leader: it holds the advisory
 * lock (1768124269, 2), or takes it now when no other session does.
 * Leadership lasts as long as the connection: one that was lost and made
 * again (store_pg.c does that on its own) has lost the lock and asks
 * afresh. SQLite: always true. DB_OK with *leader set, or a failure.
 */
enum db_err store_leader_hold(struct store *s, bool *leader);

/* The failed staff logins of key_hash (the SHA-256 of a client's or a
 * user name's key) in the minute starting at window_start (PostgreSQL). */
enum db_err store_login_failures(struct store *s,
	    const unsigned char key_hash[32], int64_t window_start,
	    int64_t *failures);
/* Counts one more failure of key_hash in that minute (PostgreSQL; in a
 * transaction of the writer). */
enum db_err store_login_failed(struct store *s,
	    const unsigned char key_hash[32], int64_t window_start);
/* Forgets the minutes before window_start (PostgreSQL; the scheduler). */
enum db_err store_login_purge(struct store *s, int64_t window_start);

#endif
