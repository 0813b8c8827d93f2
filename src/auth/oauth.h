/* oauth.h: OAuth 2.0 (section 3.2): the token endpoint (POST /oauth2-token,
 * grants client_credentials, password and refresh_token), revocation
 * (POST /oauth2-token/revoke, RFC 7009) and the bearer-token check auth.c
 * uses. Tokens are 32 random bytes in hex, stored only as SHA-256 hashes;
 * client secrets and passwords are argon2id hashes. A valid access token
 * is kept in the process's authcache for at most auth.cache_ttl (never past
 * its expiry), so a revocation (apictl, RFC 7009, a reused refresh token, a
 * password change, a disabled user, client or organization) holds in every
 * process within that bound, and at once in the process that made it. */
#ifndef OAUTH_H
#define OAUTH_H
#include "first.h"
#include "req.h"

#include <stddef.h>

/* Length of a token in hex, and of a stored hash. */
#define OAUTH_TOKEN_LEN 64
#define OAUTH_HASH_LEN 32

/* What the token cache keeps for a valid access token: the statement that
 * found it also checked its client, user, organization and membership. */
struct oauth_principal {
	long long user_id, org_id;
	long long expires_ns; /* the token's expiry on CLOCK_MONOTONIC */
};

/* 1 for /oauth2-token, 2 for /oauth2-token/revoke (after any mount prefix,
 * with no "/api" segment before it), 0 for anything else. Sets
 * r->route.prefix when it matches. */
int oauth_match(struct request *r);
/* Answers a request oauth_match accepted (kind 1 or 2): OPTIONS, 405, or the
 * endpoint itself. The response is decided when it returns. */
void oauth_serve(struct request *r, int kind);
/* Checks "Bearer <token>" (the value after the scheme): sets r->user_id and
 * r->org_id and returns 0; 1 when the token is unknown, expired, revoked or
 * its user, client or organization is disabled; -1 on a database error. */
int oauth_bearer(struct request *r, const char *token);

/* Deletes the failure counters (oauth_failures) whose oauth.failure_window
 * has passed; *deleted (may be NULL) gets how many. 0 or -1. For apictl
 * purge; the token endpoint also purges a few on each failure it counts. */
int oauth_purge_failures(struct request *r, unsigned long long *deleted);
/* Revokes every OAuth token of user (a changed password, a disabled user),
 * in the caller's transaction if one is open. 0 or -1. */
int oauth_revoke_user(struct request *r, long long user);

/* SHA-256 of a token, for storing and looking it up. 0 or -1. */
int oauth_token_hash(const char *token, size_t len, unsigned char out[OAUTH_HASH_LEN]);

#endif
