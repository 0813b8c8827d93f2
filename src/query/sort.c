/* sort.c: see sort.h. Joined tables get the aliases s<key>_<level>; they
 * carry the organization scope and the user's VIEW level in their ON clause
 * (select_visible), so a sort can never reveal values the user may not see:
 * such related records sort as NULL. */
#include "first.h"
#include "sort.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "query.h"
#include "select.h"
#include "sql.h"

#include <string.h>

static void sort_error(struct request *r, const char *field, size_t n)
{
	struct api_error *e = err_addf(r, 400, "sort constraint",
				       "Sorting by \"%.*s\" field is not supported.", (int)n, field);
	if (e)
		e->parameter = "sort";
}

/* Resolves one key ("-owner.username"); 0, or -1 when not sortable. */
static int resolve(const struct resource *res, const char *s, size_t n, struct sort_key *k)
{
	memset(k, 0, sizeof(*k));
	if (n && s[0] == '-') {
		k->desc = 1;
		s++;
		n--;
	}
	const struct resource *cur = res;
	for (;;) {
		const char *dot = memchr(s, '.', n);
		size_t seg = dot ? (size_t)(dot - s) : n;
		if (seg == 0)
			return -1;
		if (dot) {
			const struct relationship *rel = resource_rel(cur, s, seg);
			if (!rel || rel->kind != REL_TO_ONE || k->depth == 3)
				return -1;
			k->path[k->depth] = rel;
			cur = k->path_res[k->depth] = resource_target(rel);
			k->depth++;
			s = dot + 1;
			n -= seg + 1;
			continue;
		}
		if (seg == 2 && memcmp(s, "id", 2) == 0)
			return 0;
		for (size_t i = 0; i < cur->n_attrs; i++) {
			const struct attribute *a = &cur->attrs[i];
			if (strlen(a->name) == seg && memcmp(a->name, s, seg) == 0) {
				if (a->type == T_TEXT || a->type == T_JSON || (a->flags & A_WO))
					return -1;
				k->attr = a;
				return 0;
			}
		}
		const struct relationship *rel = resource_rel(cur, s, seg);
		if (rel && rel->kind == REL_TO_ONE) {
			k->fk_rel = rel;
			return 0;
		}
		return -1;
	}
}

void sort_parse(struct request *r, const struct resource *res, struct query *q)
{
	const struct qparam *p = query_get(q, "sort");
	if (!p)
		return;
	size_t cap = 1;
	for (const char *c = p->value; *c; c++)
		cap += *c == ',';
	/* Each key may be a join: bounded before anything is resolved. */
	if (cap > (size_t)r->cfg->max_sort_fields) {
		struct api_error *e = err_addf(r, 400, "sort constraint",
					       "Too many sort fields: at most %ld.",
					       r->cfg->max_sort_fields);
		if (e)
			e->parameter = "sort";
		return;
	}
	q->sort = arena_alloc(r->arena, cap * sizeof(*q->sort));
	if (!q->sort)
		return;
	const char *s = p->value;
	for (;;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (resolve(res, s, n, &q->sort[q->n_sort]) < 0)
			sort_error(r, s[0] == '-' ? s + 1 : s, s[0] == '-' && n ? n - 1 : n);
		else
			q->n_sort++;
		if (!e)
			break;
		s = e + 1;
	}
}

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
