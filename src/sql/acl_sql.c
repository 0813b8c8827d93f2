/* acl_sql.c: see acl_sql.h. Unit ids go into the SQL as bound parameters,
 * their count padded to a power of two so that few distinct statements reach
 * the statement cache. */
#include "first.h"
#include "acl_sql.h"
#include "sql.h"

int acl_sql_type_index(const struct resource *res)
{
	size_t n;
	const struct resource *const *all = resources_all(&n);
	for (size_t i = 0; i < n && i < ACL_TYPES; i++)
		if (all[i] == res)
			return (int)i;
	return -1;
}

void acl_sql_in_list(struct sql *q, const long long *ids, size_t n)
{
	size_t padded = 1;
	while (padded < n)
		padded *= 2;
	sql_add(q, " IN (");
	for (size_t i = 0; i < padded; i++) {
		if (i)
			sql_add(q, ", ");
		sql_int(q, ids[i < n ? i : n - 1]);
	}
	sql_add(q, ")");
}

/* Whether level lv on res restricts anything below the organization. */
static int restricts(const struct resource *res, int lv)
{
	if (lv >= ACL_ORGANIZATION)
		return 0;
	if (lv == ACL_NONE)
		return 1;
	return res->ownership == OWN_USER || res->ownership == OWN_BUSINESS_UNIT;
}

/* The predicate "(...)" for a level that restricts(). */
static void predicate(struct sql *q, const struct acl_cache *c, long long user_id,
		      const struct resource *res, const char *alias, int lv)
{
	if (lv == ACL_NONE) {
		sql_add(q, "(1 = 0)");
		return;
	}
	sql_add(q, "(");
	if (res->ownership == OWN_USER) {
		sql_ident(q, alias, res->owner_column);
		if (lv == ACL_USER || (lv == ACL_BUSINESS_UNIT ? !c->n_units : !c->n_division)) {
			sql_add(q, " = ");
			sql_int(q, user_id);
		} else {
			/* The members of the units; the user is one of them. */
			sql_add(q, " IN (SELECT `acl_m`.`user_id` FROM `user_business_units` `acl_m`"
				   " WHERE `acl_m`.`business_unit_id`");
			if (lv == ACL_BUSINESS_UNIT)
				acl_sql_in_list(q, c->units, c->n_units);
			else
				acl_sql_in_list(q, c->division, c->n_division);
			sql_add(q, ")");
		}
	} else {
		/* Unit-owned: no user level in Oro, it acts as business_unit. */
		const long long *ids = lv == ACL_DIVISION ? c->division : c->units;
		size_t n = lv == ACL_DIVISION ? c->n_division : c->n_units;
		if (n) {
			sql_ident(q, alias, res->owner_column);
			acl_sql_in_list(q, ids, n);
		} else {
			sql_add(q, "1 = 0");
		}
	}
	sql_add(q, ")");
}

/* Shared records are written only at ACL_GLOBAL (section 4). */
static void shared_excluded(struct sql *q, const struct resource *res, const char *alias)
{
	if (res->ownership == OWN_SHARED) {
		sql_add(q, " AND 1 = 0");
	} else if (res->org_null_is_shared) {
		sql_add(q, " AND ");
		sql_ident(q, alias, res->org_column);
		sql_add(q, " IS NOT NULL");
	}
}

int acl_sql_level(const struct acl_cache *c, const struct resource *res, enum acl_perm p)
{
	if (!c || c->failed)
		return -1;
	int t = acl_sql_type_index(res);
	return t < 0 ? ACL_NONE : c->level[t][p];
}

int acl_sql_restricts(const struct acl_cache *c, const struct resource *res, enum acl_perm p)
{
	int lv = acl_sql_level(c, res, p);
	return lv < 0 || restricts(res, lv);
}

void acl_sql_where(struct sql *q, const struct acl_cache *c, long long user_id,
		   const struct resource *res, const char *alias, enum acl_perm p)
{
	int lv = acl_sql_level(c, res, p);
	if (lv < 0) { /* error recorded; let nothing through meanwhile */
		sql_add(q, " AND 1 = 0");
		return;
	}
	if (p != ACL_VIEW && lv < ACL_GLOBAL)
		shared_excluded(q, res, alias);
	if (!restricts(res, lv))
		return;
	sql_add(q, " AND ");
	predicate(q, c, user_id, res, alias, lv);
}
