/* grants.h: no privilege escalation (section 4), as hooks of the users
 * descriptor. Nobody hands out more than they hold: a role goes to a user
 * only when each of its permissions is at most the requester's own level
 * for that type and permission; a business-unit membership only for a unit
 * inside the requester's users EDIT reach; and a user holding a permission
 * above the requester's cannot be changed or deleted by it. */
#ifndef GRANTS_H
#define GRANTS_H
#include "first.h"

struct request;
struct sql;
struct write_item;

/* users' guard hook: the roles and business units the item gives (existing
 * records only; a role made in the same request has no permissions yet).
 * Each refusal is a 403 `access denied exception` at the reference's
 * pointer naming the role or unit; returns -1 when there was any. */
int grants_check_user(struct request *r, const struct write_item *it);
/* users' write_scope hook: " AND NOT EXISTS (a permission of user
 * `alias`.id above the requester's)". */
void grants_user_scope(struct sql *q, struct request *r, const char *alias);

#endif
