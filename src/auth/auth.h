/* auth.h: authenticates the request (section 3: WSSE, or Authorization:
 * Bearer through oauth.c) and sets r->user_id and
 * r->org_id. On failure it answers the 401 itself (empty body plus
 * WWW-Authenticate) and logs why, without secrets. */
#ifndef AUTH_H
#define AUTH_H
#include "first.h"
#include "req.h"

struct sql;

/* Appends the JOINs that keep a credential valid only while its user, its
 * organization and the user's membership in it are enabled; alias names
 * the credential's table, which has user_id and organization_id columns
 * (api_keys, oauth_clients, oauth_tokens). Aliases u, o, uo are taken.
 * user_by_name: the statement finds the user by u.username, so u is not
 * bound to its primary key as the others are. */
void auth_join_principal(struct sql *q, const char *alias, int user_by_name);
/* 0 when authenticated; -1 when the response (401, 503, 500) is decided. */
int auth_authenticate(struct request *r);

#endif
