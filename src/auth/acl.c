/* acl.c: see acl.h. One query loads the permissions (the
 * highest level per type and permission among the user's roles); a second
 * one, only when a level needs them, the business units of the organization
 * with the user's memberships. The division closure (the user's units and
 * every unit below them) is computed here from parent_id; the result is
 * kept in the authcache per (user, organization). Turning the
 * loaded levels into SQL predicates is sql/acl_sql.c's. */
#include "first.h"
#include "acl.h"
#include "arena.h"
#include "authcache.h"
#include "db.h"
#include "err.h"
#include "select.h"
#include "sql.h"
#include "ttlcache.h"

#include <stdlib.h>
#include <string.h>

static const char *const perm_names[] = { "VIEW", "CREATE", "EDIT", "DELETE" };

/* One business unit of the organization, as loaded. */
struct unit {
	long long id, parent;
	int member, in_division;
};

static int cmp_unit(const void *a, const void *b)
{
	const struct unit *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct unit *find_unit(struct unit *u, size_t n, long long id)
{
	struct unit key = { .id = id };
	return bsearch(&key, u, n, sizeof(*u), cmp_unit);
}

/* Marks the division: a unit is in it when it or one of its ancestors is a
 * member unit. Each unit walks up until a unit already decided (1 in, 2
 * out), then walks the same way again to record the answer: O(n log n) for
 * units sorted by id. A walk is cut after n steps (a parent cycle). */
static void mark_division(struct unit *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		u[i].in_division = u[i].member ? 1 : 0;
	for (size_t i = 0; i < n; i++) {
		struct unit *c = &u[i];
		int answer = 2;
		for (size_t steps = 0; c && steps <= n; steps++) {
			if (c->in_division) {
				answer = c->in_division;
				break;
			}
			c = c->parent ? find_unit(u, n, c->parent) : NULL;
		}
		c = &u[i];
		for (size_t steps = 0; c && !c->in_division && steps <= n; steps++) {
			c->in_division = answer;
			c = c->parent ? find_unit(u, n, c->parent) : NULL;
		}
	}
	for (size_t i = 0; i < n; i++)
		u[i].in_division = u[i].in_division == 1;
}

/* Builds the unit lists from the loaded units. */
static int set_units(struct request *r, struct acl_cache *c, struct unit *u, size_t n)
{
	qsort(u, n, sizeof(*u), cmp_unit); /* for find_unit */
	mark_division(u, n);
	c->units = arena_alloc(r->arena, (n + 1) * sizeof(*c->units));
	c->division = arena_alloc(r->arena, (n + 1) * sizeof(*c->division));
	for (size_t i = 0; i < n; i++) {
		if (u[i].member)
			c->units[c->n_units++] = u[i].id;
		if (u[i].in_division)
			c->division[c->n_division++] = u[i].id;
	}
	return 0;
}

/* Whether level lv of a type owned like res needs the user's units. */
static int needs_units(const struct resource *res, int lv)
{
	if (res->ownership == OWN_USER)
		return lv == ACL_BUSINESS_UNIT || lv == ACL_DIVISION;
	if (res->ownership == OWN_BUSINESS_UNIT)
		return lv > ACL_NONE && lv < ACL_ORGANIZATION;
	return 0;
}

/* The organization's business units with the user's memberships; only
 * for users whose levels need them (a second, small query). */
static int load_units(struct request *r, struct acl_cache *c)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT bu.id, bu.parent_id, ubu.user_id IS NOT NULL"
		    " FROM business_units bu LEFT JOIN user_business_units ubu"
		    " ON ubu.business_unit_id = bu.id AND ubu.user_id = ");
	sql_int(&q, r->user_id);
	sql_add(&q, " WHERE bu.organization_id = ");
	sql_int(&q, r->org_id);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	struct unit *u = arena_alloc(r->arena, (rows.n + 1) * sizeof(*u));
	for (size_t i = 0; i < rows.n; i++) {
		const struct db_value *row = &rows.cells[i * rows.ncols];
		u[i].id = strtoll(row[0].s, NULL, 10);
		u[i].parent = row[1].s ? strtoll(row[1].s, NULL, 10) : 0;
		u[i].member = row[2].s && row[2].s[0] == '1';
	}
	return set_units(r, c, u, rows.n);
}

/* The authcache's key: levels are per (user, organization). */
static void cache_key(const struct request *r, long long key[2])
{
	key[0] = r->user_id;
	key[1] = r->org_id;
}

static struct ttlcache *cache_table(const struct request *r)
{
	return r->cache ? r->cache->acls : NULL;
}

/* Fills c from a cached copy; the unit lists go into the arena. */
static int from_cache(struct request *r, struct acl_cache *c, const struct acl_cached *k)
{
	memcpy(c->level, k->level, sizeof(c->level));
	c->units = arena_alloc(r->arena, (k->n_units + 1) * sizeof(*c->units));
	c->division = arena_alloc(r->arena, (k->n_division + 1) * sizeof(*c->division));
	if (!c->units || !c->division) {
		err_internal(r, "out of memory");
		return -1;
	}
	memcpy(c->units, k->units, k->n_units * sizeof(*c->units));
	memcpy(c->division, k->division, k->n_division * sizeof(*c->division));
	c->n_units = k->n_units;
	c->n_division = k->n_division;
	c->failed = 0;
	return 0;
}

/* Keeps a copy of what load() read at loaded_ns, when the units fit. */
static void to_cache(struct request *r, const struct acl_cache *c, long long loaded_ns)
{
	if (c->n_units > ACL_CACHED_UNITS || c->n_division > ACL_CACHED_UNITS)
		return;
	struct acl_cached *k = arena_alloc(r->arena, sizeof(*k));
	memcpy(k->level, c->level, sizeof(k->level));
	/* No units: the arrays may be NULL, which memcpy may not take even
	 * for 0 bytes (UBSan stops there). */
	if (c->n_units)
		memcpy(k->units, c->units, c->n_units * sizeof(*c->units));
	if (c->n_division)
		memcpy(k->division, c->division, c->n_division * sizeof(*c->division));
	k->n_units = c->n_units;
	k->n_division = c->n_division;
	long long key[2];
	cache_key(r, key);
	ttlcache_put(cache_table(r), key, sizeof(key), k, loaded_ns);
}

/* The permissions of the user's roles in the organization, one row per
 * role, type and permission (the highest is taken here: no GROUP BY, no
 * temporary table); then the units when a level needs them. The operations
 * check the type first, so this memory is taken before any arena_mark of a
 * streamed response (whose release would free it). */
static int load(struct request *r)
{
	struct acl_cache *c = arena_alloc(r->arena, sizeof(*c));
	r->acl = c;
	c->failed = 1; /* until the end: later calls fail without asking again */
	long long key[2];
	cache_key(r, key);
	const struct acl_cached *hit = ttlcache_get(cache_table(r), key, sizeof(key));
	if (hit)
		return from_cache(r, c, hit);
	long long loaded = ttlcache_now();
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT rp.entity_type, rp.permission, rp.level + 0 - 1"
		    " FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id"
		    " AND (ro.organization_id IS NULL OR ro.organization_id = ");
	sql_int(&q, r->org_id);
	sql_add(&q, ") JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = ");
	sql_int(&q, r->user_id);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	size_t n;
	const struct resource *const *all = resources_all(&n);
	for (size_t i = 0; i < rows.n; i++) {
		const struct db_value *row = &rows.cells[i * rows.ncols];
		if (!row[0].s || !row[1].s || !row[2].s)
			continue;
		const struct resource *res = resources_find(row[0].s, row[0].len);
		int t = res ? acl_sql_type_index(res) : -1;
		if (t < 0)
			continue; /* a type this build does not know */
		long lv = strtol(row[2].s, NULL, 10);
		for (int p = 0; p < 4; p++)
			if (strcmp(row[1].s, perm_names[p]) == 0 && lv > c->level[t][p] &&
			    lv <= ACL_GLOBAL)
				c->level[t][p] = (unsigned char)lv;
	}
	int units = 0;
	for (size_t t = 0; t < n && t < ACL_TYPES; t++)
		for (int p = 0; p < 4; p++)
			units = units || needs_units(all[t], c->level[t][p]);
	if (units && load_units(r, c) < 0)
		return -1;
	c->failed = 0;
	to_cache(r, c, loaded);
	return 0;
}

int acl_level(struct request *r, const struct resource *res, enum acl_perm p)
{
	if (!r->acl && load(r) < 0)
		return -1;
	return acl_sql_level(r->acl, res, p);
}

int acl_require_type(struct request *r, const struct resource *res, enum acl_perm p)
{
	int lv = acl_level(r, res, p);
	if (lv < 0)
		return -1;
	if (lv == ACL_NONE) {
		err_add(r, ERR_ACCESS_DENIED, "No access to this type of entities.");
		return -1;
	}
	return 0;
}

void acl_deny_entity(struct request *r)
{
	err_add(r, ERR_ACCESS_DENIED, "No access to the entity.");
}

void acl_where(struct sql *q, struct request *r, const struct resource *res, const char *alias,
	       enum acl_perm p)
{
	acl_level(r, res, p); /* loads on first use; a failure leaves r->acl failed */
	acl_sql_where(q, r->acl, r->user_id, res, alias, p);
	if (p != ACL_VIEW && res->write_scope)
		res->write_scope(q, r, alias);
}

void acl_column(struct sql *q, struct request *r, const struct resource *res, const char *alias,
		enum acl_perm p)
{
	int lv = acl_level(r, res, p);
	sql_add(q, ", ");
	if (lv < 0) {
		sql_add(q, "0");
		return;
	}
	sql_add(q, "(1 = 1");
	acl_where(q, r, res, alias, p);
	sql_add(q, ")");
}

int acl_check_item(struct request *r, const struct resource *res, const char *id, size_t id_len,
		   enum acl_perm p)
{
	if (acl_require_type(r, res, p) < 0)
		return -1;
	return select_check_item(r, res, id, id_len, p);
}

int acl_check_create(struct request *r, const struct resource *res)
{
	if (res->ownership != OWN_SHARED)
		return 0;
	int lv = acl_level(r, res, ACL_CREATE);
	if (lv < 0)
		return -1;
	if (lv >= ACL_GLOBAL)
		return 0;
	acl_deny_entity(r);
	return -1;
}

static int contains(const long long *ids, size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int acl_owner_allowed(struct request *r, const struct resource *res, enum acl_perm p,
		      long long owner_id)
{
	int lv = acl_level(r, res, p);
	if (lv < 0)
		return -1;
	if (lv == ACL_NONE)
		return 0;
	if (lv >= ACL_ORGANIZATION)
		return 1;
	const struct acl_cache *c = r->acl;
	switch (res->ownership) {
	case OWN_SHARED:
	case OWN_ITSELF:
	case OWN_ORGANIZATION:
		return 1;
	case OWN_BUSINESS_UNIT:
		return lv == ACL_DIVISION ? contains(c->division, c->n_division, owner_id)
					  : contains(c->units, c->n_units, owner_id);
	case OWN_USER:
		break;
	}
	if (owner_id == r->user_id)
		return 1;
	const long long *ids = lv == ACL_DIVISION ? c->division : c->units;
	size_t n = lv == ACL_DIVISION ? c->n_division : c->n_units;
	if (lv == ACL_USER || n == 0)
		return 0;
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT 1 FROM `user_business_units` `acl_m` WHERE `acl_m`.`user_id` = ");
	sql_int(&q, owner_id);
	sql_add(&q, " AND `acl_m`.`business_unit_id`");
	acl_sql_in_list(&q, ids, n);
	sql_add(&q, " LIMIT 1");
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	return rows.n ? 1 : 0;
}
