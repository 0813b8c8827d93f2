/* linkage.c: see linkage.h. */
#include "first.h"
#include "linkage.h"
#include "config.h"
#include "query.h"
#include "req.h"
#include "select.h"
#include "sql.h"

#include <stdio.h>
#include <string.h>

void linkage_column(struct sql *q, struct request *r, const struct resource *res,
		    const struct relationship *rel, const char *alias, const struct query *query)
{
	if (!query_field_wanted(query, res, rel->name)) {
		sql_add(q, ", NULL");
		return;
	}
	const struct resource *target = resource_target(rel);
	/* The cap is our own setting, written as a literal: GROUP_CONCAT's
	 * LIMIT takes no placeholder. */
	char limit[64];
	snprintf(limit, sizeof(limit), " SEPARATOR ',' LIMIT %ld)", r->cfg->max_related_entities);
	sql_add(q, ", (SELECT GROUP_CONCAT(");
	sql_ident(q, "x", target->id_column);
	sql_add(q, " ORDER BY ");
	sql_ident(q, "x", target->id_column);
	sql_add(q, limit);
	sql_add(q, " FROM ");
	if (rel->join_table) {
		sql_ident(q, NULL, rel->join_table);
		sql_add(q, " j JOIN ");
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
