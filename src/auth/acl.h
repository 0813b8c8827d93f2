/* acl.h: roles and access levels (section 4). A user's level for a
 * permission on a type is the highest among its roles of the request's
 * organization and the shared roles; it is loaded once per request (one
 * query, and a second for the organization's business units when a
 * business_unit or division level is in play) and kept in the request's
 * arena; the process's authcache keeps a copy per (user, organization) for
 * at most auth.cache_ttl, so in steady state nothing is read. Checks are SQL
 * predicates appended to the reads and writes, never filters over fetched
 * rows: sql/acl_sql.c writes them from what this loads. Organization
 * isolation stays select_scope's job (select.h). */
#ifndef ACL_H
#define ACL_H
#include "first.h"
#include "acl_sql.h"
#include "req.h"
#include "resource.h"

struct sql;

#define ACL_CACHED_UNITS 128 /* an organization with more units is not cached */

/* What the authcache keeps per (user, organization): acl_cache's data. */
struct acl_cached {
	unsigned char level[ACL_TYPES][4];
	size_t n_units, n_division;
	long long units[ACL_CACHED_UNITS], division[ACL_CACHED_UNITS];
};

/* The user's level for perm on res in the request's organization: the
 * highest among its roles (roles of the organization or shared ones).
 * Loaded on first use (from the authcache, or with one query) and kept in
 * the request (arena); returns -1 on a database error (recorded). */
int acl_level(struct request *r, const struct resource *res, enum acl_perm p);
/* 0 if the level is above none; else records 403 `access denied exception`
 * / `No access to this type of entities.` and returns -1. */
int acl_require_type(struct request *r, const struct resource *res, enum acl_perm p);
/* Appends " AND (...)" restricting `alias` rows of res to those inside the
 * user's level for p (appends nothing at organization level or for shared /
 * org-owned / itself-owned types with a level above none; appends an
 * always-false predicate at none). For CREATE, EDIT and DELETE it also
 * leaves out shared records below ACL_GLOBAL and the records the type's
 * write_scope hook keeps out (users who hold more than the requester).
 * SQL only: bound parameters for ids. */
void acl_where(struct sql *q, struct request *r, const struct resource *res, const char *alias,
	       enum acl_perm p);
/* Appends ", <1 or 0>": a column telling whether the `alias` row is inside
 * the level (for one query that both finds a record and tells 404 from 403). */
void acl_column(struct sql *q, struct request *r, const struct resource *res, const char *alias,
		enum acl_perm p);
/* Records 403 `access denied exception` / `No access to the entity.` */
void acl_deny_entity(struct request *r);
/* Item check: the type check, then select_check_item (select.h): 0 if the
 * record id of res is inside the organization AND the
 * level for p; else records 404 `not found http exception` / `An entity with
 * the requested identifier does not exist.` (outside the organization or
 * missing) or 403 `access denied exception` / `No access to the entity.`
 * (inside the organization, outside the level; the type's
 * write_scope_denied text when its write_scope keeps it out) or the type
 * 403, and returns -1. */
int acl_check_item(struct request *r, const struct resource *res, const char *id, size_t id_len,
		   enum acl_perm p);
/* Creating a record of res: shared types (countries) need ACL_GLOBAL.
 * 0, or -1 with 403 `No access to the entity.` recorded (or a database
 * error). Call after acl_require_type. */
int acl_check_create(struct request *r, const struct resource *res);
/* For creating or re-assigning: is this owner (a user id for OWN_USER, a
 * business unit id for OWN_BUSINESS_UNIT) inside the user's level for p?
 * 1 yes, 0 no, -1 error. Types with other ownership: 1 if the level is
 * above none. */
int acl_owner_allowed(struct request *r, const struct resource *res, enum acl_perm p,
		      long long owner_id);

#endif
