/* authcache.h: the process caches of credentials and permissions (section
 * 3.3): API keys by username (keycache.h), OAuth access tokens by hash
 * (oauth.c), and access levels with business units by (user, organization)
 * (acl.c). Each entry is trusted for at most auth.cache_ttl; main.c makes
 * the caches once, and a write of this process that changes who may do
 * what flushes them all at once (other processes see it within the bound). */
#ifndef AUTHCACHE_H
#define AUTHCACHE_H
#include "first.h"

struct ttlcache;

struct authcache {
	struct ttlcache *keys;   /* username -> its enabled API keys */
	struct ttlcache *tokens; /* access token hash -> principal and expiry */
	struct ttlcache *acls;   /* (user, organization) -> levels and units */
};

/* Caches trusted for ttl_ms milliseconds; with 0 the tables are NULL (keep
 * nothing: every request asks the database). NULL on ENOMEM. */
struct authcache *authcache_new(long ttl_ms);
void authcache_free(struct authcache *c);
/* Forgets every entry (c may be NULL): after this process changed users,
 * roles, units, organizations, keys or tokens. */
void authcache_flush(struct authcache *c);

#endif
