/* keycache.c: see keycache.h. The table is authcache's keys, keyed by the
 * username exactly as the request spelled it. */
#include "first.h"
#include "keycache.h"
#include "authcache.h"
#include "ttlcache.h"

#include <string.h>

static struct ttlcache *table(const struct authcache *c)
{
	return c ? c->keys : NULL;
}

const struct cached_key *keycache_get(struct authcache *c, const char *username, size_t *n)
{
	const struct keycache_set *s = ttlcache_get(table(c), username, strlen(username));
	if (!s)
		return NULL;
	*n = s->n;
	return s->keys;
}

void keycache_put(struct authcache *c, const char *username, const struct cached_key *keys,
		  size_t n, long long loaded_ns)
{
	struct keycache_set s;
	memset(&s, 0, sizeof(s));
	s.n = n < KEYCACHE_KEYS ? n : KEYCACHE_KEYS;
	memcpy(s.keys, keys, s.n * sizeof(*keys));
	ttlcache_put(table(c), username, strlen(username), &s, loaded_ns);
}

void keycache_drop(struct authcache *c, const char *username)
{
	ttlcache_drop(table(c), username, strlen(username));
}
