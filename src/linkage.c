/* linkage.c: see linkage.h. */
#include "first.h"
#include "linkage.h"
#include "arena.h"
#include "err.h"
#include "query.h"
#include "req.h"
#include "select.h"
#include "sql.h"

#include <string.h>

/* Orders ids the way SQL orders the integer columns: by length, then bytes
 * (canonical decimals); string ids by bytes. */
static int id_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	if (al != bl)
		return al < bl ? -1 : 1;
	return memcmp(a, b, al);
}

static int load_one(struct request *r, const struct resource *res, const struct relationship *rel,
		    const char *const *ids, size_t n, struct linkage *l)
{
	const struct resource *target = resource_target(rel);
	struct sql q;
	sql_init(&q, r->arena);
	if (rel->join_table) {
		sql_add(&q, "SELECT ");
		sql_ident(&q, "j", rel->join_self);
		sql_add(&q, ", ");
		sql_ident(&q, "t", target->id_column);
		sql_add(&q, " FROM ");
		sql_ident(&q, NULL, rel->join_table);
		sql_add(&q, " j JOIN ");
		sql_ident(&q, NULL, target->table);
		sql_add(&q, " t ON ");
		sql_ident(&q, "t", target->id_column);
		sql_add(&q, " = ");
		sql_ident(&q, "j", rel->join_target);
		sql_add(&q, " WHERE ");
		sql_ident(&q, "j", rel->join_self);
	} else {
		sql_add(&q, "SELECT ");
		sql_ident(&q, "t", rel->target_fk);
		sql_add(&q, ", ");
		sql_ident(&q, "t", target->id_column);
		sql_add(&q, " FROM ");
		sql_ident(&q, NULL, target->table);
		sql_add(&q, " t WHERE ");
		sql_ident(&q, "t", rel->target_fk);
	}
	sql_add(&q, " IN (");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sql_add(&q, ", ");
		select_bind_id(&q, res, ids[i], strlen(ids[i]));
	}
	sql_add(&q, ")");
	select_scope(&q, r, target, "t");
	sql_add(&q, " ORDER BY 1, 2");
	l->rel = rel;
	return db_query(r, &q, &l->rows);
}

int linkage_load(struct request *r, const struct resource *res, const char *const *ids, size_t n,
		 struct linkage **out)
{
	*out = NULL;
	if (res->n_rels == 0)
		return 0;
	struct linkage *ls = arena_alloc(r->arena, res->n_rels * sizeof(*ls));
	if (!ls) {
		err_internal(r, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < res->n_rels; i++) {
		ls[i].rel = &res->rels[i];
		if (res->rels[i].kind != REL_TO_MANY || n == 0 ||
		    !query_field_wanted(r->q, res, res->rels[i].name))
			continue;
		if (load_one(r, res, &res->rels[i], ids, n, &ls[i]) < 0)
			return -1;
	}
	*out = ls;
	return 0;
}

void linkage_range(const struct linkage *l, const char *id, size_t *from, size_t *to)
{
	const struct db_rows *rows = &l->rows;
	size_t idl = strlen(id);
	size_t lo = 0, hi = rows->n;
	while (lo < hi) { /* first row >= id */
		size_t mid = lo + (hi - lo) / 2;
		const struct db_value *v = &rows->cells[mid * rows->ncols];
		if (id_cmp(v->s, v->len, id, idl) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < rows->n) {
		const struct db_value *v = &rows->cells[end * rows->ncols];
		if (id_cmp(v->s, v->len, id, idl) != 0)
			break;
		end++;
	}
	*from = lo;
	*to = end;
}
