/* ttlcache.h: a fixed table of values keyed by bytes, each stamped with the
 * CLOCK_MONOTONIC time it was loaded and trusted for at most the table's
 * ttl (section 3.3); bounded memory whatever the number of keys (a full
 * table replaces round robin). A process object, made once (main.c through
 * authcache.h): it holds no request state. Every function takes NULL as an
 * empty table that remembers nothing. */
#ifndef TTLCACHE_H
#define TTLCACHE_H
#include "first.h"

#include <stddef.h>

struct ttlcache;

/* slots entries of keys up to key_max bytes and values of value_size
 * bytes, trusted for ttl_ms milliseconds (0: nothing is kept). The memory
 * is touched once here, so the process's size stays flat afterwards.
 * NULL on ENOMEM. */
struct ttlcache *ttlcache_new(size_t slots, size_t key_max, size_t value_size, long ttl_ms);
void ttlcache_free(struct ttlcache *c);
/* Now on CLOCK_MONOTONIC, in nanoseconds: take it before the statement
 * whose answer goes into the table, so an entry never outlives the bound. */
long long ttlcache_now(void);
/* The value stored under key if it was loaded less than ttl ago, else NULL.
 * It points into the table: copy it before the next put. */
const void *ttlcache_get(struct ttlcache *c, const void *key, size_t klen);
/* Stores a copy of value under key, loaded at loaded_ns (ttlcache_now()).
 * A key longer than key_max is not kept. */
void ttlcache_put(struct ttlcache *c, const void *key, size_t klen, const void *value,
		  long long loaded_ns);
/* Forgets key; ttlcache_flush forgets everything. */
void ttlcache_drop(struct ttlcache *c, const void *key, size_t klen);
void ttlcache_flush(struct ttlcache *c);

#endif
