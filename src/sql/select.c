/* select.c: see select.h. */
#include "first.h"
#include "select.h"
#include "acl_sql.h"
#include "arena.h"
#include "db.h"
#include "err.h"
#include "linkage.h"
#include "query.h"
#include "req.h"
#include "sql.h"

#include <stdlib.h>
#include <string.h>

int select_attr_visible(const struct attribute *a)
{
	return !(a->flags & A_WO);
}

void select_columns(struct sql *q, struct request *r, const struct resource *res, const char *alias,
		    const struct query *query, int with_title)
{
	sql_ident(q, alias, res->id_column);
	for (size_t i = 0; i < res->n_attrs; i++) {
		if (!select_attr_visible(&res->attrs[i]))
			continue;
		sql_add(q, ", ");
		sql_ident(q, alias, res->attrs[i].column);
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		if (res->rels[i].kind == REL_TO_ONE) {
			sql_add(q, ", ");
			sql_ident(q, alias, res->rels[i].column);
		} else {
			linkage_column(q, r, res, &res->rels[i], alias, query);
		}
	}
	if (with_title) {
		sql_add(q, ", CONCAT_WS(' '");
		for (const char *const *c = res->title_columns; *c; c++) {
			sql_add(q, ", ");
			sql_ident(q, alias, *c);
		}
		sql_add(q, ")");
	}
}

unsigned select_ncols(const struct resource *res)
{
	unsigned n = 1;
	for (size_t i = 0; i < res->n_attrs; i++)
		n += select_attr_visible(&res->attrs[i]) ? 1 : 0;
	return n + (unsigned)res->n_rels;
}

unsigned select_attr_col(const struct resource *res, size_t attr_index)
{
	unsigned c = 1;
	for (size_t i = 0; i < attr_index; i++)
		c += select_attr_visible(&res->attrs[i]) ? 1 : 0;
	return c;
}

unsigned select_rel_col(const struct resource *res, size_t rel_index)
{
	return select_attr_col(res, res->n_attrs) + (unsigned)rel_index;
}

void select_scope(struct sql *q, struct request *r, const struct resource *res, const char *alias)
{
	switch (res->ownership) {
	case OWN_SHARED:
		return;
	case OWN_ITSELF:
		sql_add(q, " AND ");
		sql_ident(q, alias, res->id_column);
		sql_add(q, " = ");
		sql_int(q, r->org_id);
		return;
	case OWN_ORGANIZATION:
	case OWN_BUSINESS_UNIT:
	case OWN_USER:
		sql_add(q, " AND ");
		if (res->org_null_is_shared)
			sql_add(q, "(");
		sql_ident(q, alias, res->org_column);
		sql_add(q, " = ");
		sql_int(q, r->org_id);
		if (res->org_null_is_shared) {
			sql_add(q, " OR ");
			sql_ident(q, alias, res->org_column);
			sql_add(q, " IS NULL)");
		}
		return;
	}
}

void select_join_scope(struct sql *q, struct request *r, const struct relationship *rel,
		       const char *alias)
{
	if (!rel->join_org)
		return;
	sql_add(q, " AND ");
	sql_ident(q, alias, rel->join_org);
	sql_add(q, " = ");
	sql_int(q, r->org_id);
}

void select_visible(struct sql *q, struct request *r, const struct resource *res, const char *alias)
{
	select_scope(q, r, res, alias);
	/* The operation checked its type first, which loaded r->acl. */
	if (!r->acl)
		err_internal(r, "access levels read before they were loaded");
	acl_sql_where(q, r->acl, r->user_id, res, alias, ACL_VIEW);
}

void select_from_id(struct sql *q, struct request *r, const struct resource *res, const char *id,
		    size_t id_len)
{
	sql_add(q, " FROM ");
	sql_ident(q, NULL, res->table);
	/* The id is the primary key (as in select_rows_by_ids): named, MariaDB
	 * does not estimate the organization's range in every index that
	 * starts with it, about a tenth of a single read (issue 14). */
	sql_add(q, " t FORCE INDEX (PRIMARY) WHERE ");
	sql_ident(q, "t", res->id_column);
	sql_add(q, " = ");
	select_bind_id(q, res, id, id_len);
	select_scope(q, r, res, "t");
}

int select_rows_by_ids(struct request *r, const struct resource *res, const char *const *ids,
		       size_t n, const struct query *query, struct db_rows *out)
{
	struct sql q;
	sql_init(&q, r->arena);
	sql_add(&q, "SELECT ");
	select_columns(&q, r, res, "t", query, query && query->meta_title);
	sql_add(&q, " FROM ");
	sql_ident(&q, NULL, res->table);
	/* The id is the primary key: naming it spares the optimizer weighing
	 * every index that starts with the organization (half the statement's
	 * time for a page's includes, issue 14). */
	sql_add(&q, " t FORCE INDEX (PRIMARY) WHERE ");
	sql_ident(&q, "t", res->id_column);
	sql_add(&q, " IN (");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sql_add(&q, ", ");
		select_bind_id(&q, res, ids[i], strlen(ids[i]));
	}
	sql_add(&q, ")");
	select_visible(&q, r, res, "t");
	sql_add(&q, " ORDER BY ");
	sql_ident(&q, "t", res->id_column);
	return db_query(r, &q, out);
}

int select_id_valid(const struct resource *res, const char *id, size_t len)
{
	if (len == 0)
		return -1;
	if (res->id_kind == ID_INT) {
		/* Canonical decimal only: no sign, no leading zero, fits in 63 bits. */
		if (len > 18 || (len > 1 && id[0] == '0'))
			return -1;
		for (size_t i = 0; i < len; i++)
			if (id[i] < '0' || id[i] > '9')
				return -1;
		return 0;
	}
	/* Client ids are fixed-length upper-case codes (ISO 3166-1 alpha-2
	 * for countries). */
	if (len != res->id_max_len)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (id[i] < 'A' || id[i] > 'Z')
			return -1;
	return 0;
}

void select_bind_id(struct sql *q, const struct resource *res, const char *id, size_t len)
{
	if (res->id_kind == ID_INT)
		sql_int(q, strtoll(id, NULL, 10));
	else
		sql_str(q, id, len);
}

/* ", (1 = 1 AND ...)" of one part of acl_where (the level, or the type's
 * write_scope), or ", 0" when the levels did not load. */
static void where_column(struct sql *q, struct request *r, const struct resource *res,
			 const char *alias, enum acl_perm p, int scope)
{
	sql_add(q, ", ");
	if (acl_sql_level(r->acl, res, p) < 0) {
		sql_add(q, "0");
		return;
	}
	sql_add(q, "(1 = 1");
	if (scope)
		res->write_scope(q, r, alias);
	else
		acl_sql_where(q, r->acl, r->user_id, res, alias, p);
	sql_add(q, ")");
}

int select_check_item(struct request *r, const struct resource *res, const char *id, size_t id_len,
		      enum acl_perm p)
{
	int scoped = p != ACL_VIEW && res->write_scope;
	if (select_id_valid(res, id, id_len) == 0) {
		struct sql q;
		sql_init(&q, r->arena);
		sql_add(&q, "SELECT 1");
		where_column(&q, r, res, "t", p, 0);
		if (scoped)
			where_column(&q, r, res, "t", p, 1);
		select_from_id(&q, r, res, id, id_len);
		struct db_rows rows;
		if (db_query(r, &q, &rows) < 0)
			return -1;
		if (rows.n) {
			int in_level = rows.cells[1].s && rows.cells[1].s[0] == '1';
			int in_scope = !scoped || (rows.cells[2].s && rows.cells[2].s[0] == '1');
			if (in_level && in_scope)
				return 0;
			if (in_level)
				err_add(r, ERR_ACCESS_DENIED,
					arena_printf(r->arena, "%s%.*s%s",
						     res->write_scope_denied[0], (int)id_len, id,
						     res->write_scope_denied[1]));
			else
				err_add(r, ERR_ACCESS_DENIED, "No access to the entity.");
			return -1;
		}
	}
	err_add(r, ERR_NOT_FOUND, "An entity with the requested identifier does not exist.");
	return -1;
}
