/* arena.c: bump allocator over a chain of blocks, with reset-time cleanups.
 * Large requests get a block of their own. The first block survives a reset
 * so a steady FastCGI process stops calling malloc for small requests. */
#include "first.h"
#include "arena.h"
#include "maxima.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16

struct block {
	struct block *next;
	size_t size, used;
	unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	arena_cleanup_fn fn;
	void *ptr;
};

struct arena {
	struct block *head;    /* current block, newest first */
	struct block *first;   /* kept across resets */
	struct block *big;     /* blocks of single large allocations, newest first */
	struct block *kept;    /* arena_alloc_kept's blocks: only reset frees them */
	struct cleanup *cleanups;
	size_t used_total;
};

static struct block *block_new(size_t size)
{
	struct block *b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->first = a->head = block_new(ARENA_BLOCK);
	if (!a->first) {
		free(a);
		return NULL;
	}
	return a;
}

/* Frees blocks from *list until stop (newest first). */
static void free_until(struct block **list, const struct block *stop)
{
	while (*list && *list != stop) {
		struct block *b = *list;
		*list = b->next;
		free(b);
	}
}

void arena_mark(struct arena *a, struct arena_mark *m)
{
	m->head = a->head;
	m->used = a->head->used;
	m->big = a->big;
	m->cleanups = a->cleanups;
	m->used_total = a->used_total;
}

void arena_release(struct arena *a, const struct arena_mark *m)
{
	while (a->cleanups && a->cleanups != m->cleanups) {
		struct cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->ptr);
	}
	free_until(&a->head, m->head);
	free_until(&a->big, m->big);
	a->head->used = m->used;
	a->used_total = m->used_total;
}

void arena_reset(struct arena *a)
{
	while (a->cleanups) {
		struct cleanup *c = a->cleanups;
		a->cleanups = c->next;
		c->fn(c->ptr);
	}
	free_until(&a->head, a->first);
	free_until(&a->big, NULL);
	free_until(&a->kept, NULL);
	a->first->used = 0;
	a->used_total = 0;
}

void arena_destroy(struct arena *a)
{
	if (!a)
		return;
	arena_reset(a);
	free(a->first);
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		return NULL;
	struct block *b = a->head;
	if (b->size - b->used < need) {
		if (need > ARENA_BLOCK / 4) {
			/* Big allocation: a block of its own, so the current block's
			 * free space stays usable. */
			struct block *big = block_new(need);
			if (!big)
				return NULL;
			big->used = need;
			big->next = a->big;
			a->big = big;
			a->used_total += need;
			memset(big->data, 0, need);
			return big->data;
		}
		struct block *nb = block_new(ARENA_BLOCK);
		if (!nb)
			return NULL;
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->used_total += need;
	memset(p, 0, need);
	return p;
}

void *arena_alloc_kept(struct arena *a, size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		return NULL;
	struct block *b = a->kept;
	if (!b || b->size - b->used < need) {
		/* Errors are few and small: blocks of a quarter of the usual size. */
		size_t size = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK / 4;
		b = block_new(size);
		if (!b)
			return NULL;
		b->next = a->kept;
		a->kept = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
}

char *arena_strdup_kept(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *p = arena_alloc_kept(a, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

int arena_on_reset(struct arena *a, arena_cleanup_fn fn, void *ptr)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	if (!c) {
		fn(ptr);
		return -1;
	}
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

size_t arena_used(const struct arena *a)
{
	return a->used_total;
}
