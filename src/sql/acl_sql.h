/* acl_sql.h: a user's access levels (section 4) as SQL predicates. The
 * levels and units are plain data that auth/acl.c loads once per request
 * (struct acl_cache, hung on r->acl); this half only turns them into
 * " AND (...)" text with bound ids, so sql/ never calls up into auth/.
 * Organization isolation stays select_scope's job (select.h). */
#ifndef ACL_SQL_H
#define ACL_SQL_H
#include "first.h"
#include "maxima.h"
#include "resource.h"

#include <stddef.h>

struct sql;

enum acl_perm { ACL_VIEW, ACL_CREATE, ACL_EDIT, ACL_DELETE };
/* In order of reach. ACL_GLOBAL reaches what ACL_ORGANIZATION reaches and
 * also lets a write touch the records every organization shares (shared
 * userroles, countries); below it, writes leave those out. */
enum acl_level { ACL_NONE, ACL_USER, ACL_BUSINESS_UNIT, ACL_DIVISION, ACL_ORGANIZATION,
		 ACL_GLOBAL };


/* What acl.c loads for one request: the level per type and permission,
 * the user's units and their division. Lives in the request's arena. */
struct acl_cache {
	unsigned char level[ACL_TYPES][4]; /* enum acl_level per type index, perm */
	long long *units;                  /* the user's units in the organization */
	size_t n_units;
	long long *division;               /* units plus every unit below them */
	size_t n_division;
	int failed;                        /* the load failed (error recorded once) */
};

/* Index of res in the registry, the row of acl_cache.level; -1 if none. */
int acl_sql_type_index(const struct resource *res);
/* The level of c for p on res: -1 when c is NULL or its load failed. */
int acl_sql_level(const struct acl_cache *c, const struct resource *res, enum acl_perm p);
/* Whether acl_sql_where adds a row condition for p on res (1 also when
 * the level is unknown). */
int acl_sql_restricts(const struct acl_cache *c, const struct resource *res, enum acl_perm p);
/* Appends " AND (...)" restricting `alias` rows of res to those inside the
 * level of c for p, for user_id (nothing at organization level or for
 * shared / org-owned / itself-owned types with a level above none; an
 * always-false predicate at none, or when c is NULL or failed). For CREATE,
 * EDIT and DELETE below ACL_GLOBAL it also leaves out shared records. The
 * type's write_scope hook is the caller's (acl_where). */
void acl_sql_where(struct sql *q, const struct acl_cache *c, long long user_id,
		   const struct resource *res, const char *alias, enum acl_perm p);
/* Appends " IN (?, ?, ...)" with the ids, their count padded to a power of
 * two by repeating the last one (few distinct statements). n > 0. */
void acl_sql_in_list(struct sql *q, const long long *ids, size_t n);

#endif
