/*
 * arena.c: a bump allocator in chunks, one per worker, reset after each
 * request (see arena.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"

#define ARENA_CHUNK 16384

struct arena_chunk {
	struct arena_chunk *next;
	size_t		    size;
	size_t		    used;
	max_align_t	    data[];
};

void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t		    align = sizeof(max_align_t);

	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	if (c == NULL || c->size - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (c == NULL)
			log_fatal("out of memory");
		c->size = cap;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

void *
arena_push(struct arena *a, void *items, size_t *n, size_t *cap, size_t size)
{
	char *array;

	/* items is a T **: read and write the pointer as bytes, whatever T. */
	memcpy(&array, items, sizeof(array));
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		char  *na = arena_alloc(a, nc * size);

		if (*n)
			memcpy(na, array, *n * size);
		array = na;
		memcpy(items, &array, sizeof(array));
		*cap = nc;
	}
	memset(array + *n * size, 0, size);
	return array + (*n)++ * size;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	if (c == NULL)
		return;
	/* Keep the oldest chunk (the last in the list) if it is a normal one. */
	while (c->next != NULL) {
		next = c->next;
		free(c);
		c = next;
	}
	if (c->size > ARENA_CHUNK) {
		free(c);
		a->head = NULL;
		return;
	}
	c->used = 0;
	a->head = c;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	while (c != NULL) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}
