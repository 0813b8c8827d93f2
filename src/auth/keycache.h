/* keycache.h: a per-process cache of users' API keys, so that a WSSE
 * request in steady state costs one database statement (auth.c records the
 * nonce with an INSERT ... SELECT that re-checks, at that moment, that the
 * key, its user and its organization are still enabled). A process object
 * like the connection: it holds no request state. */
#ifndef KEYCACHE_H
#define KEYCACHE_H
#include "first.h"

#define KEYCACHE_KEYS 8 /* keys remembered per user */

struct cached_key {
	long long key_id, org_id, user_id;
	char key[41];
};

/* The cached keys of username (n of them), NULL when not cached. */
const struct cached_key *keycache_get(const char *username, size_t *n);
/* Remembers the keys (at most KEYCACHE_KEYS) of username. */
void keycache_put(const char *username, const struct cached_key *keys, size_t n);
/* Forgets username. */
void keycache_drop(const char *username);

#endif
