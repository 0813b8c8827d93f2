/* grants.c: see grants.h. Levels compare in the ENUM's order (level + 0,
 * 'none' being 1), inside MariaDB, so one statement answers for any number
 * of roles or users. The requester's levels are those of its roles in the
 * request's organization and the shared ones (as acl.c loads them); another
 * user's are all its roles in every organization, since its password,
 * username and enabled flag serve each organization it belongs to. */
#include "first.h"
#include "grants.h"
#include "acl.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "select.h"
#include "sql.h"
#include "write.h"

#include <stdlib.h>
#include <string.h>

/* "(g_rp above none AND the requester holds no role permission on the same
 * type and permission at least as high)": g_rp is a role_permissions row. */
static void exceeds_requester(struct sql *q, struct request *r)
{
	sql_add(q, "(`g_rp`.`level` + 0 > 1 AND NOT EXISTS (SELECT 1 FROM `user_roles` `a_ur`"
		   " JOIN `roles` `a_ro` ON `a_ro`.`id` = `a_ur`.`role_id`"
		   " AND (`a_ro`.`organization_id` IS NULL OR `a_ro`.`organization_id` = ");
	sql_int(q, r->org_id);
	sql_add(q, ") JOIN `role_permissions` `a_rp` ON `a_rp`.`role_id` = `a_ur`.`role_id`"
		   " AND `a_rp`.`entity_type` = `g_rp`.`entity_type`"
		   " AND `a_rp`.`permission` = `g_rp`.`permission`"
		   " AND `a_rp`.`level` + 0 >= `g_rp`.`level` + 0"
		   " WHERE `a_ur`.`user_id` = ");
	sql_int(q, r->user_id);
	sql_add(q, "))");
}

void grants_user_scope(struct sql *q, struct request *r, const char *alias)
{
	sql_add(q, " AND NOT EXISTS (SELECT 1 FROM `user_roles` `g_ur`"
		   " JOIN `role_permissions` `g_rp` ON `g_rp`.`role_id` = `g_ur`.`role_id`"
		   " WHERE `g_ur`.`user_id` = ");
	sql_ident(q, alias, "id");
	sql_add(q, " AND ");
	exceeds_requester(q, r);
	sql_add(q, ")");
}

/* The roles of wr that carry a permission above the requester's. */
static int check_roles(struct request *r, const struct relationship *rel,
		       const struct write_rel *wr)
{
	const struct resource *roles = resource_target(rel);
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT DISTINCT `ro`.`id`, `ro`.`role` FROM `roles` `ro`"
		    " JOIN `role_permissions` `g_rp` ON `g_rp`.`role_id` = `ro`.`id`"
		    " WHERE `ro`.`id` IN (");
	size_t n = 0;
	for (size_t j = 0; j < wr->n; j++) {
		const struct write_ref *ref = &wr->refs[j];
		if (ref->item || select_id_valid(roles, ref->id, ref->len) < 0)
			continue;
		sql_add(&q, n++ ? ", " : "");
		select_bind_id(&q, roles, ref->id, ref->len);
	}
	if (!n)
		return 0;
	sql_add(&q, ") AND ");
	exceeds_requester(&q, r);
	struct db_rows rows;
	if (db_query(r, &q, &rows) < 0)
		return -1;
	int rc = 0;
	for (size_t j = 0; j < wr->n; j++) {
		const struct write_ref *ref = &wr->refs[j];
		for (size_t k = 0; k < rows.n && !ref->item; k++) {
			const struct db_value *row = &rows.cells[k * rows.ncols];
			if (row[0].len != ref->len || memcmp(row[0].s, ref->id, ref->len) != 0)
				continue;
			err_ptr(r, ERR_ACCESS_DENIED,
				arena_printf(r->arena,
					     "The role \"%s\" carries permissions you do not hold:"
					     " you cannot give it.",
					     row[1].s ? row[1].s : ""),
				ref->ptr);
			rc = -1;
		}
	}
	return rc;
}

/* The business units of wr must be inside the requester's users EDIT
 * reach (the units whose members it may edit). */
static int check_units(struct request *r, const struct write_item *it,
		       const struct relationship *rel, const struct write_rel *wr)
{
	const struct resource *units = resource_target(rel);
	int rc = 0;
	for (size_t j = 0; j < wr->n; j++) {
		const struct write_ref *ref = &wr->refs[j];
		if (ref->item || select_id_valid(units, ref->id, ref->len) < 0)
			continue;
		int ok = acl_owner_allowed(r, it->res, ACL_EDIT, strtoll(ref->id, NULL, 10));
		if (ok < 0)
			return -1;
		if (ok)
			continue;
		err_ptr(r, ERR_ACCESS_DENIED,
			arena_printf(r->arena,
				     "The business unit %.*s is outside your reach: you cannot"
				     " add members to it.",
				     (int)ref->len, ref->id),
			ref->ptr);
		rc = -1;
	}
	return rc;
}

int grants_check_user(struct request *r, const struct write_item *it)
{
	int rc = 0;
	for (size_t k = 0; k < it->res->n_rels; k++) {
		const struct relationship *rel = &it->res->rels[k];
		const struct write_rel *wr = &it->rels[k];
		if (!wr->present || !wr->n || rel->kind != REL_TO_MANY)
			continue;
		if (strcmp(rel->target, "userroles") == 0 && check_roles(r, rel, wr) < 0)
			rc = -1;
		else if (strcmp(rel->target, "businessunits") == 0 &&
			 check_units(r, it, rel, wr) < 0)
			rc = -1;
	}
	return rc;
}
