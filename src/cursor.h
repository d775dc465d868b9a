/*
 * cursor.h: the opaque cursors of keyset pagination ("next" and
 * "before="): base64url of "k" and the last id shown.
 */
#ifndef ICOMMIT_CURSOR_H
#define ICOMMIT_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#define CURSOR_MAX 32

/* Writes the cursor for id (> 0) into out. */
void	cursor_encode(int64_t id, char out[CURSOR_MAX]);
/* Decodes len bytes; 0 and *id (> 0), or -1 if it is not one of ours. */
int	cursor_decode(const char *s, size_t len, int64_t *id);

#endif
