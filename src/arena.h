/*
 * arena.h: per-request memory. Everything a request allocates while it is
 * handled comes from one arena and is released in one call at its end.
 */
#ifndef ICOMMIT_ARENA_H
#define ICOMMIT_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;	/* newest chunk first */
};

/* Returns size bytes aligned for any type; aborts when memory runs out. */
void	*arena_alloc(struct arena *a, size_t size);
/* Copies len bytes of s and adds a NUL; the copy lives as long as the arena. */
char	*arena_strndup(struct arena *a, const char *s, size_t len);
char	*arena_strdup(struct arena *a, const char *s);
/*
 * Appends one zeroed element of size bytes to the array *items of *n
 * elements (room for *cap), moving it to a larger one from a when full;
 * returns the new element. The array lives as long as the arena.
 */
void	*arena_push(struct arena *a, void *items, size_t *n, size_t *cap,
	    size_t size);
/* Frees every chunk but keeps the first for reuse by the next request. */
void	 arena_reset(struct arena *a);
/* Frees everything. */
void	 arena_free(struct arena *a);

#endif
