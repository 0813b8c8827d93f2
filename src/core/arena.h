/* arena.h: the per-request memory pool (nginx/h2o style).
 * Everything a request allocates comes from here or is registered here as a
 * cleanup; arena_reset() runs the cleanups in reverse order and frees all but
 * the first block, so the next request starts from a clean slate. */
#ifndef ARENA_H
#define ARENA_H
#include "first.h"

struct arena;
struct block;
struct cleanup;
typedef void (*arena_cleanup_fn)(void *ptr);

/* Nothing here returns NULL: exhausted memory logs a line to stderr and
 * aborts the process (like redis's zmalloc), so callers need no
 * out-of-memory branch. */

/* New arena (owned by the caller; free with arena_destroy). */
struct arena *arena_new(void);
void arena_destroy(struct arena *a);
/* Runs cleanups (last registered first) and forgets every allocation. */
void arena_reset(struct arena *a);

/* A point to roll back to: arena_release frees what was allocated (and
 * runs the cleanups registered) since arena_mark. Lets a streamed response
 * reuse the same memory for every chunk of rows. */
struct arena_mark {
	struct block *head, *big;
	size_t used, used_total;
	struct cleanup *cleanups;
};
void arena_mark(struct arena *a, struct arena_mark *m);
void arena_release(struct arena *a, const struct arena_mark *m);

/* Zeroed memory owned by the arena that arena_release never frees, only
 * arena_reset: for what a request records inside a marked region and must
 * keep past its release (the errors of a failed chunk). */
void *arena_alloc_kept(struct arena *a, size_t n);
char *arena_strdup_kept(struct arena *a, const char *s);
/* Zeroed memory owned by the arena. */
void *arena_alloc(struct arena *a, size_t n);
/* As arena_alloc, but not zeroed: for memory the caller fills at once
 * (copies of database values, grown arrays). */
void *arena_alloc_uninit(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) ATTR_PRINTF(2, 3);
/* Calls fn(ptr) at reset (and at the arena_release of a mark taken before). */
void arena_on_reset(struct arena *a, arena_cleanup_fn fn, void *ptr);
/* Bytes handed out since the last reset (for tests and diagnostics). */
size_t arena_used(const struct arena *a);

#endif
