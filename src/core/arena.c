/* arena.c: bump allocator over a chain of blocks, with reset-time cleanups.
 * Large requests get a block of their own. The first block survives a reset
 * so a steady FastCGI process stops calling malloc for small requests.
 * Exhausted memory aborts the process (redis zmalloc style): no caller
 * carries an out-of-memory branch. */
#include "first.h"
#include "arena.h"
#include "maxima.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The web server starts another process; the request is lost either way,
 * and a half-handled out-of-memory path is worse than a clean stop. */
static _Noreturn void arena_oom(size_t size)
{
	fprintf(stderr, "mariapi[%ld] out of memory allocating %zu bytes\n", (long)getpid(), size);
	fflush(stderr);
	abort();
}

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block))
		arena_oom(size);
	struct block *b = malloc(sizeof(*b) + size);
	if (!b)
		arena_oom(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof(*a));
	if (!a)
		arena_oom(sizeof(*a));
	a->first = a->head = block_new(ARENA_BLOCK);
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

/* n rounded up to ARENA_ALIGN. */
static size_t arena_need(size_t n)
{
	size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need < n)
		arena_oom(n);
	return need;
}

void *arena_alloc_uninit(struct arena *a, size_t n)
{
	size_t need = arena_need(n);
	struct block *b = a->head;
	if (b->size - b->used < need) {
		if (need > ARENA_BLOCK / 4) {
			/* Big allocation: a block of its own, so the current block's
			 * free space stays usable. */
			struct block *big = block_new(need);
			big->used = need;
			big->next = a->big;
			a->big = big;
			a->used_total += need;
			return big->data;
		}
		struct block *nb = block_new(ARENA_BLOCK);
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->used_total += need;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_uninit(a, n);
	memset(p, 0, n);
	return p;
}

void *arena_alloc_kept(struct arena *a, size_t n)
{
	size_t need = arena_need(n);
	struct block *b = a->kept;
	if (!b || b->size - b->used < need) {
		/* Errors are few and small: blocks of a quarter of the usual size. */
		size_t size = need > ARENA_BLOCK / 4 ? need : ARENA_BLOCK / 4;
		b = block_new(size);
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
	memcpy(p, s, n + 1);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_uninit(a, n + 1);
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
	/* Most texts fit the stack buffer: one pass. (Measuring with a NULL
	 * buffer also trips glibc's fortified vsnprintf check at -O1.) */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) /* only a text past INT_MAX bytes: no request makes one */
		arena_oom((size_t)INT_MAX + 1);
	if ((size_t)n < sizeof(small))
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_on_reset(struct arena *a, arena_cleanup_fn fn, void *ptr)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const struct arena *a)
{
	return a->used_total;
}
