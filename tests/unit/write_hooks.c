/* The resource descriptors (src/resources/, linked in) point at write hooks
 * (rules, grants, activity) that are not pure code and never run while a
 * query string is parsed: these stand-ins only satisfy the linker, and
 * abort if ever called. */
#include <stdlib.h>

#include "activity.h"
#include "grants.h"
#include "rules.h"

int activity_calls_changing(struct request *r, const char *const *ids, size_t n)
{
	(void)r, (void)ids, (void)n;
	abort();
}

int activity_flush(struct request *r)
{
	(void)r;
	abort();
}

int grants_check_user(struct request *r, const struct write_item *it)
{
	(void)r, (void)it;
	abort();
}

void grants_user_scope(struct sql *q, struct request *r, const char *alias)
{
	(void)q, (void)r, (void)alias;
	abort();
}

int rules_contact_name(struct request *r, const struct write_item *it)
{
	(void)r, (void)it;
	abort();
}

int rules_role_name(struct request *r, const struct write_item *it)
{
	(void)r, (void)it;
	abort();
}

int rules_user_membership(struct request *r, const struct write_item *it)
{
	(void)r, (void)it;
	abort();
}
