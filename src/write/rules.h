/* rules.h: write rules of section 12 that the generic write code cannot
 * express, used as `check` hooks of the resource descriptors. Each runs
 * after its item was stored (the row is visible in the transaction),
 * records its errors and returns -1 to undo the whole request. */
#ifndef RULES_H
#define RULES_H
#include "first.h"

struct request;
struct write_item;

/* contacts: a first name or a last name. */
int rules_contact_name(struct request *r, const struct write_item *it);
/* userroles: `role` is ROLE_ followed by upper-case letters, digits, _. */
int rules_role_name(struct request *r, const struct write_item *it);
/* users: a new user is a member of the request's organization and of its
 * owner unit, so it can act there (API keys, tokens); a changed password or
 * a disabled user revokes the user's OAuth tokens (section 3.2). */
int rules_user_membership(struct request *r, const struct write_item *it);

#endif
