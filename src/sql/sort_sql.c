/* sort_sql.c: see sort_sql.h. Joined tables get the aliases s<key>_<level>;
 * they carry the organization scope and the user's VIEW level in their ON
 * clause (select_visible), so a sort can never reveal values the user may
 * not see: such related records sort as NULL. */
#include "first.h"
#include "sort_sql.h"
#include "arena.h"
#include "query.h"
#include "select.h"
#include "sql.h"

#include <string.h>

static const char *join_alias(struct request *r, size_t key, int level)
{
	return arena_printf(r->arena, "s%zu_%d", key, level);
}

void sort_sql_joins(struct request *r, struct sql *s, const struct query *q, const char *alias)
{
	for (size_t k = 0; k < q->n_sort; k++) {
		const char *prev = alias;
		for (int i = 0; i < q->sort[k].depth; i++) {
			const struct resource *t = q->sort[k].path_res[i];
			const char *a = join_alias(r, k, i);
			if (!a)
				return;
			sql_add(s, " LEFT JOIN ");
			sql_ident(s, NULL, t->table);
			sql_add(s, " ");
			sql_ident(s, NULL, a);
			sql_add(s, " ON ");
			sql_ident(s, a, t->id_column);
			sql_add(s, " = ");
			sql_ident(s, prev, q->sort[k].path[i]->column);
			select_visible(s, r, t, a);
			prev = a;
		}
	}
}

void sort_sql_order(struct request *r, struct sql *s, const struct query *q,
		    const struct resource *res, const char *alias)
{
	sql_add(s, " ORDER BY ");
	for (size_t k = 0; k < q->n_sort; k++) {
		const struct sort_key *key = &q->sort[k];
		const struct resource *cur = key->depth ? key->path_res[key->depth - 1] : res;
		const char *a = key->depth ? join_alias(r, k, key->depth - 1) : alias;
		const char *col = key->attr ? key->attr->column
				: key->fk_rel ? key->fk_rel->column : cur->id_column;
		if (!a)
			return;
		sql_ident(s, a, col);
		sql_add(s, key->desc ? " DESC" : " ASC");
		if (!key->depth && !key->attr && !key->fk_rel)
			return; /* the id is unique: nothing after it can matter */
		sql_add(s, ", ");
	}
	/* The id breaks ties in the last key's direction, so that an index on
	 * (organization, key) - which ends with the primary key - can deliver
	 * the rows in order and LIMIT stops early, whatever the table size. */
	sql_ident(s, alias, res->id_column);
	sql_add(s, q->n_sort && q->sort[q->n_sort - 1].desc ? " DESC" : " ASC");
}
