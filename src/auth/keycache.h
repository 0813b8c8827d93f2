/* keycache.h: the enabled API keys of a user, kept in the process's
 * authcache (authcache.h) for at most auth.cache_ttl, so that a WSSE
 * request in steady state costs one database statement (auth.c records the
 * nonce with an INSERT ... SELECT that re-checks, at that moment, that the
 * key, its user and its organization are still enabled). */
#ifndef KEYCACHE_H
#define KEYCACHE_H
#include "first.h"

#include <stddef.h>

#define KEYCACHE_KEYS 8        /* keys remembered per user */
#define KEYCACHE_NAME_MAX 255  /* longest username kept (users.username) */

struct authcache;

struct cached_key {
	long long key_id, org_id, user_id;
	char key[41];
};

/* What the cache holds for one username. */
struct keycache_set {
	size_t n;
	struct cached_key keys[KEYCACHE_KEYS];
};

/* The cached keys of username (n of them), NULL when not cached or stale.
 * They point into the cache: copy what is kept past the next put. */
const struct cached_key *keycache_get(struct authcache *c, const char *username, size_t *n);
/* Remembers the keys (at most KEYCACHE_KEYS) of username, read from the
 * database at loaded_ns (ttlcache_now()). */
void keycache_put(struct authcache *c, const char *username, const struct cached_key *keys,
		  size_t n, long long loaded_ns);
/* Forgets username. */
void keycache_drop(struct authcache *c, const char *username);

#endif
