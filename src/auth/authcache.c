/* authcache.c: see authcache.h. The table sizes bound the memory (about
 * 0.5 MiB, touched at start-up); a full table replaces round robin, which
 * only costs a statement for the entry replaced. */
#include "first.h"
#include "authcache.h"
#include "acl.h"
#include "keycache.h"
#include "oauth.h"
#include "ttlcache.h"

#include <stdlib.h>

#define AUTHCACHE_USERS 128   /* users whose keys are kept */
#define AUTHCACHE_TOKENS 512  /* access tokens */
#define AUTHCACHE_ACLS 128    /* (user, organization) pairs */

struct authcache *authcache_new(long ttl_ms)
{
	struct authcache *c = calloc(1, sizeof(*c));
	if (!c || ttl_ms <= 0)
		return c;
	c->keys = ttlcache_new(AUTHCACHE_USERS, KEYCACHE_NAME_MAX, sizeof(struct keycache_set),
			       ttl_ms);
	c->tokens = ttlcache_new(AUTHCACHE_TOKENS, OAUTH_HASH_LEN, sizeof(struct oauth_principal),
				 ttl_ms);
	c->acls = ttlcache_new(AUTHCACHE_ACLS, 2 * sizeof(long long), sizeof(struct acl_cached),
			       ttl_ms);
	if (!c->keys || !c->tokens || !c->acls) {
		authcache_free(c);
		return NULL;
	}
	return c;
}

void authcache_free(struct authcache *c)
{
	if (!c)
		return;
	ttlcache_free(c->keys);
	ttlcache_free(c->tokens);
	ttlcache_free(c->acls);
	free(c);
}

void authcache_flush(struct authcache *c)
{
	if (!c)
		return;
	ttlcache_flush(c->keys);
	ttlcache_flush(c->tokens);
	ttlcache_flush(c->acls);
}
