/* linkage.c: see linkage.h. The statement returns (relationship, owner
 * id, related id) triples; they are sorted in C by owner, relationship
 * and related id (integer ids: shorter first, then bytes, which is numeric
 * order) rather than by an ORDER BY in the database, then joined per
 * owner and relationship. */
#include "first.h"
#include "linkage.h"
#include "arena.h"
#include "config.h"
#include "query.h"
#include "req.h"
#include "select.h"
#include "sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One triple of the result: row index, relationship index, related id. */
struct link {
	size_t row;
	size_t rel;
	const char *id;
	size_t len;
};

static int cmp_id(const char *a, size_t al, const char *b, size_t bl)
{
	if (al != bl)
		return al < bl ? -1 : 1;
	return memcmp(a, b, al);
}

static int cmp_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	if (a->rel != b->rel)
		return a->rel < b->rel ? -1 : 1;
	return cmp_id(a->id, a->len, b->id, b->len);
}

/* The batch's rows by id, to find an owner's row by binary search. */
struct owner {
	const char *id;
	size_t len;
	size_t row;
};

static int cmp_owner(const void *pa, const void *pb)
{
	const struct owner *a = pa, *b = pb;
	return cmp_id(a->id, a->len, b->id, b->len);
}

/* The row whose id is (s, len), or n when none. */
static size_t find_row(const struct owner *o, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_id(o[mid].id, o[mid].len, s, len);
		if (c == 0)
			return o[mid].row;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return n;
}

/* One branch: "SELECT k, owner, x.id FROM ... WHERE owner IN (ids)" with
 * the target inside the organization and the user's VIEW level. */
static void add_branch(struct sql *q, struct request *r, const struct resource *res,
		       const struct relationship *rel, size_t k, const struct db_rows *rows,
		       size_t n)
{
	const struct resource *target = resource_target(rel);
	/* k is the relationship's index in our descriptor: a literal. */
	char lit[32];
	snprintf(lit, sizeof(lit), "SELECT %zu, ", k);
	sql_add(q, lit);
	if (rel->join_table)
		sql_ident(q, "j", rel->join_self);
	else
		sql_ident(q, "x", rel->target_fk);
	sql_add(q, ", ");
	sql_ident(q, "x", target->id_column);
	sql_add(q, " FROM ");
	if (rel->join_table) {
		sql_ident(q, NULL, rel->join_table);
		sql_add(q, " j JOIN ");
		sql_ident(q, NULL, target->table);
		sql_add(q, " x ON ");
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
	sql_add(q, " IN (");
	for (size_t i = 0; i < n; i++) {
		const struct db_value *id = &rows->cells[i * rows->ncols];
		if (i)
			sql_add(q, ", ");
		select_bind_id(q, res, id->s, id->len);
	}
	sql_add(q, ")");
	select_visible(q, r, target, "x");
}

/* Joins the count sorted links of one row and relationship into its cell. */
static void fill_cell(struct request *r, struct db_rows *rows, const struct resource *res,
		      const struct link *l, size_t count)
{
	size_t cap = (size_t)r->cfg->max_related_entities;
	if (count > cap)
		count = cap;
	size_t len = 0;
	for (size_t i = 0; i < count; i++)
		len += l[i].len + 1;
	char *s = arena_alloc(r->arena, len);
	size_t pos = 0;
	for (size_t i = 0; i < count; i++) {
		if (i)
			s[pos++] = ',';
		memcpy(s + pos, l[i].id, l[i].len);
		pos += l[i].len;
	}
	s[pos] = '\0';
	struct db_value *cell = &rows->cells[l->row * rows->ncols + select_rel_col(res, l->rel)];
	cell->s = s;
	cell->len = pos;
}

int linkage_load(struct request *r, const struct resource *res, struct db_rows *rows, size_t n,
		 const struct query *query)
{
	struct sql q;
	int branches = 0;
	sql_init(&q, r->arena);
	for (size_t i = 0; n && i < res->n_rels; i++) {
		const struct relationship *rel = &res->rels[i];
		if (rel->kind != REL_TO_MANY || !query_field_wanted(query, res, rel->name))
			continue;
		if (branches++)
			sql_add(&q, " UNION ALL ");
		add_branch(&q, r, res, rel, i, rows, n);
	}
	if (!branches)
		return 0;
	struct db_rows out;
	if (db_query(r, &q, &out) < 0)
		return -1;
	if (out.n == 0)
		return 0;
	struct owner *owners = arena_alloc(r->arena, n * sizeof(*owners));
	for (size_t i = 0; i < n; i++)
		owners[i] = (struct owner){ rows->cells[i * rows->ncols].s,
					    rows->cells[i * rows->ncols].len, i };
	qsort(owners, n, sizeof(*owners), cmp_owner);
	struct link *links = arena_alloc(r->arena, out.n * sizeof(*links));
	size_t m = 0;
	for (size_t i = 0; i < out.n; i++) {
		const struct db_value *c = &out.cells[i * out.ncols];
		size_t row = find_row(owners, n, c[1].s, c[1].len);
		if (row == n || !c[0].s || !c[2].s)
			continue;
		links[m++] = (struct link){ row, (size_t)strtoul(c[0].s, NULL, 10), c[2].s,
					    c[2].len };
	}
	qsort(links, m, sizeof(*links), cmp_link);
	for (size_t i = 0, j; i < m; i = j) {
		for (j = i + 1; j < m && links[j].row == links[i].row && links[j].rel == links[i].rel;)
			j++;
		fill_cell(r, rows, res, &links[i], j - i);
	}
	return 0;
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
