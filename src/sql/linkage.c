/* linkage.c: see linkage.h. A join table that carries the organization
 * (descriptor join_org) answers alone when the user's VIEW level on the
 * target restricts nothing below the organization; otherwise the target
 * is joined by its primary key for its level. */
#include "first.h"
#include "linkage.h"
#include "acl_sql.h"
#include "config.h"
#include "num.h"
#include "query.h"
#include "req.h"
#include "select.h"
#include "sql.h"

#include <string.h>

/* " <join table> j [FORCE INDEX (<its index for our side>)]" */
static void join_from(struct sql *q, const struct relationship *rel)
{
	sql_ident(q, NULL, rel->join_table);
	sql_add(q, " j");
	if (rel->join_index) {
		sql_add(q, " FORCE INDEX (");
		sql_ident(q, NULL, rel->join_index);
		sql_add(q, ")");
	}
}

/* " AND j.<join_org> = <the row's organization>". The row (alias) is in
 * the request's organization (every statement scopes it): its column says
 * so for a page or a batch without a constant that MariaDB would estimate a
 * range for once per statement (5 % of a page's work, issue 14). */
static void join_scope(struct sql *q, struct request *r, const struct resource *res,
		       const struct relationship *rel, const char *alias)
{
	if (!rel->join_org)
		return;
	if (!res->org_column || res->org_null_is_shared) {
		select_join_scope(q, r, rel, "j");
		return;
	}
	sql_add(q, " AND ");
	sql_ident(q, "j", rel->join_org);
	sql_add(q, " = ");
	sql_ident(q, alias, res->org_column);
}

/* Whether the join table alone answers: it carries the organization (so
 * the schema keeps both ends of a row in it), and the user sees every
 * record of the target's type in the organization (nothing shared from
 * outside it either). Otherwise the target is joined for its level. */
static int join_alone(struct request *r, const struct relationship *rel,
		      const struct resource *target)
{
	return rel->join_org && target->org_column && !target->org_null_is_shared &&
	       acl_sql_restricts(r->acl, target, ACL_VIEW) == 0;
}

void linkage_column(struct sql *q, struct request *r, const struct resource *res,
		    const struct relationship *rel, const char *alias, const struct query *query)
{
	if (!query_field_wanted(query, res, rel->name)) {
		sql_add(q, ", NULL");
		return;
	}
	const struct resource *target = resource_target(rel);
	int alone = rel->join_table && join_alone(r, rel, target);
	/* The ids come from the join table when it has them all. */
	const char *ids_alias = alone ? "j" : "x";
	const char *ids_col = alone ? rel->join_target : target->id_column;
	/* The cap is our own setting, written as a literal: GROUP_CONCAT's
	 * LIMIT takes no placeholder. */
	char limit[NUM_I64_TEXT];
	num_format_i64(r->cfg->max_related_entities, limit);
	sql_add(q, ", (SELECT GROUP_CONCAT(");
	sql_ident(q, ids_alias, ids_col);
	sql_add(q, " ORDER BY ");
	sql_ident(q, ids_alias, ids_col);
	sql_add(q, " SEPARATOR ',' LIMIT ");
	sql_add(q, limit);
	sql_add(q, ") FROM ");
	if (alone) {
		join_from(q, rel);
		sql_add(q, " WHERE ");
		sql_ident(q, "j", rel->join_self);
		sql_add(q, " = ");
		sql_ident(q, alias, res->id_column);
		/* Also what keeps the lookup on the table's index. */
		join_scope(q, r, res, rel, alias);
		sql_add(q, ")");
		return;
	}
	if (rel->join_table) {
		join_from(q, rel);
		sql_add(q, " JOIN ");
		sql_ident(q, NULL, target->table);
		/* Joined by its primary key: named, so that the optimizer does
		 * not weigh the target's organization indexes once per row. */
		sql_add(q, " x FORCE INDEX (PRIMARY) ON ");
		sql_ident(q, "x", target->id_column);
		sql_add(q, " = ");
		sql_ident(q, "j", rel->join_target);
		sql_add(q, " WHERE ");
		sql_ident(q, "j", rel->join_self);
	} else {
		sql_ident(q, NULL, target->table);
		sql_add(q, " x WHERE ");
		sql_ident(q, "x", rel->target_fk);
	}
	sql_add(q, " = ");
	sql_ident(q, alias, res->id_column);
	if (rel->join_table)
		join_scope(q, r, res, rel, alias);
	select_visible(q, r, target, "x");
	sql_add(q, ")");
}

int linkage_next(const struct db_value *v, size_t *pos, const char **id, size_t *len)
{
	if (!v->s || *pos >= v->len)
		return 0;
	const char *s = v->s + *pos;
	const char *comma = memchr(s, ',', v->len - *pos);
	*id = s;
	*len = comma ? (size_t)(comma - s) : v->len - *pos;
	*pos += *len + 1;
	return 1;
}
