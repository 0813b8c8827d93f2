/* filter_sql.c: the SQL of the filters filter.c parsed (see filter.h). Each
 * filter is one predicate on the list's alias. Associations and dotted paths
 * become `fk IN (SELECT x.id FROM target x WHERE ... <scope of x>)`
 * subqueries, so the outer query never joins and related records outside
 * the request's organization or the user's VIEW level never count
 * (section 4: select_visible); for the predicates that hold for a missing
 * value, an invisible related record counts as missing. Values are always
 * bound; identifiers come from the descriptors, aliases from a counter. */
#include "first.h"
#include "filter.h"
#include "select.h"
#include "sql.h"

#include <stdio.h>

struct gen {
	struct request *r;
	struct sql *q;
	unsigned n_alias;
};

/* What a subquery over related records keeps. */
enum cond { C_MATCH, C_NOT_MATCH, C_ALL };

static void new_alias(struct gen *g, char *out, size_t n)
{
	snprintf(out, n, "f%u", ++g->n_alias);
}

static void bind(struct sql *q, enum filter_vtype t, const struct filter_scalar *s)
{
	switch (t) {
	case FV_INT:
	case FV_BOOL:
		sql_int(q, s->i);
		return;
	case FV_STR:
	case FV_ENUM:
		sql_str(q, s->s, s->len);
		return;
	case FV_MONEY: /* exact, and rounded to 4 decimals like money input */
		sql_add(q, "CAST(");
		sql_str(q, s->s, s->len);
		sql_add(q, " AS DECIMAL(65,4))");
		return;
	case FV_DECIMAL:
		sql_add(q, "CAST(");
		sql_str(q, s->s, s->len);
		sql_add(q, " AS DECIMAL(65,30))");
		return;
	case FV_DATETIME:
		sql_add(q, "CAST(");
		sql_str(q, s->s, s->len);
		sql_add(q, " AS DATETIME)");
		return;
	case FV_DATE:
		sql_add(q, "CAST(");
		sql_str(q, s->s, s->len);
		sql_add(q, " AS DATE)");
		return;
	}
}

static void cmp(struct gen *g, const struct filter *f, const char *alias, const char *column,
		const char *op, const struct filter_scalar *s)
{
	sql_ident(g->q, alias, column);
	sql_add(g->q, op);
	bind(g->q, f->vtype, s);
}

static void add_item(struct gen *g, const struct filter *f, const char *alias, const char *column,
		     const struct filter_item *it)
{
	if (it->point) {
		cmp(g, f, alias, column, " = ", &it->lo);
		return;
	}
	if (it->lo.none && it->hi.none) {
		sql_ident(g->q, alias, column);
		sql_add(g->q, " IS NOT NULL");
		return;
	}
	sql_add(g->q, "(");
	if (!it->lo.none)
		cmp(g, f, alias, column, " >= ", &it->lo);
	if (!it->lo.none && !it->hi.none)
		sql_add(g->q, " AND ");
	if (!it->hi.none)
		cmp(g, f, alias, column, it->hi_open ? " < " : " <= ", &it->hi);
	sql_add(g->q, ")");
}

/* alias.column equals one of the values: never true for NULL, and never
 * NULL for a non-NULL column (every bound value is non-NULL). */
static void add_match(struct gen *g, const struct filter *f, const char *alias, const char *column)
{
	size_t points = 0;
	for (size_t i = 0; i < f->n_items; i++)
		points += f->items[i].point ? 1 : 0;
	if (points == f->n_items && f->n_items > 1) {
		sql_ident(g->q, alias, column);
		sql_add(g->q, " IN (");
		for (size_t i = 0; i < f->n_items; i++) {
			if (i)
				sql_add(g->q, ", ");
			bind(g->q, f->vtype, &f->items[i].lo);
		}
		sql_add(g->q, ")");
		return;
	}
	if (f->n_items == 1) {
		add_item(g, f, alias, column, &f->items[0]);
		return;
	}
	sql_add(g->q, "(");
	for (size_t i = 0; i < f->n_items; i++) {
		if (i)
			sql_add(g->q, " OR ");
		add_item(g, f, alias, column, &f->items[i]);
	}
	sql_add(g->q, ")");
}

/* lt, lte, gt, gte against one value; a partial date is its whole period
 * (lte 2016 is up to the end of 2016). */
static void add_order(struct gen *g, const struct filter *f, const char *alias, const char *column)
{
	const struct filter_item *it = &f->items[0];
	const struct filter_scalar *s;
	const char *op;
	switch (f->op) {
	case FOP_LT:
		s = &it->lo;
		op = " < ";
		break;
	case FOP_GTE:
		s = &it->lo;
		op = " >= ";
		break;
	case FOP_LTE:
		s = it->point ? &it->lo : &it->hi;
		op = it->hi_open ? " < " : " <= ";
		break;
	default:
		s = it->point ? &it->lo : &it->hi;
		op = it->hi_open ? " >= " : " > ";
		break;
	}
	if (!s->none) {
		cmp(g, f, alias, column, op, s);
	} else if (f->op == FOP_LT || f->op == FOP_GT) {
		sql_add(g->q, "1 = 0"); /* before year 1 / after year 9999 */
	} else {
		sql_ident(g->q, alias, column);
		sql_add(g->q, " IS NOT NULL");
	}
}

static void add_column(struct gen *g, const struct filter *f, const char *alias)
{
	struct sql *q = g->q;
	const char *c = f->column;
	switch (f->op) {
	case FOP_EQ:
		add_match(g, f, alias, c);
		return;
	case FOP_NEQ:
	case FOP_NEQ_OR_NULL:
		sql_add(q, "(");
		sql_ident(q, alias, c);
		sql_add(q, f->op == FOP_NEQ ? " IS NOT NULL AND NOT (" : " IS NULL OR NOT (");
		add_match(g, f, alias, c);
		sql_add(q, "))");
		return;
	case FOP_LT:
	case FOP_LTE:
	case FOP_GT:
	case FOP_GTE:
		add_order(g, f, alias, c);
		return;
	case FOP_EXISTS:
		sql_ident(q, alias, c);
		sql_add(q, f->flag ? " IS NOT NULL" : " IS NULL");
		return;
	case FOP_EMPTY:
		sql_add(q, "(");
		sql_ident(q, alias, c);
		sql_add(q, f->flag ? " IS NULL OR " : " IS NOT NULL AND ");
		sql_ident(q, alias, c);
		sql_add(q, f->flag ? " = '')" : " <> '')");
		return;
	case FOP_CONTAINS:
	case FOP_STARTS_WITH:
	case FOP_ENDS_WITH:
		cmp(g, f, alias, c, " LIKE ", &f->items[0].lo);
		sql_add(q, " ESCAPE '!'");
		return;
	case FOP_NOT_CONTAINS:
	case FOP_NOT_STARTS_WITH:
	case FOP_NOT_ENDS_WITH:
		cmp(g, f, alias, c, " NOT LIKE ", &f->items[0].lo);
		sql_add(q, " ESCAPE '!'");
		return;
	case FOP_COUNT:
		return;
	}
}

/* "SELECT x.id FROM target x WHERE <cond on x.id> <scope of x>". */
static void add_targets(struct gen *g, const struct filter *f, const struct resource *t, enum cond c)
{
	char x[16];
	new_alias(g, x, sizeof(x));
	sql_add(g->q, "SELECT ");
	sql_ident(g->q, x, t->id_column);
	sql_add(g->q, " FROM ");
	sql_ident(g->q, NULL, t->table);
	sql_add(g->q, " ");
	sql_add(g->q, x);
	sql_add(g->q, " WHERE ");
	if (c == C_ALL) {
		sql_add(g->q, "1 = 1");
	} else {
		sql_add(g->q, c == C_NOT_MATCH ? "NOT (" : "(");
		add_match(g, f, x, t->id_column);
		sql_add(g->q, ")");
	}
	select_visible(g->q, g->r, t, x);
}

/* A to-one association by the related id. The related record counts only
 * when it is visible; one outside the organization is as good as none. */
static void add_to_one(struct gen *g, const struct filter *f, const char *alias)
{
	struct sql *q = g->q;
	const struct resource *t = resource_target(f->rel);
	const char *fk = f->rel->column;
	int null_too = f->op == FOP_NEQ_OR_NULL || (f->op == FOP_EXISTS && !f->flag);
	if (null_too) {
		sql_add(q, "(");
		sql_ident(q, alias, fk);
		sql_add(q, " IS NULL OR ");
	}
	sql_ident(q, alias, fk);
	sql_add(q, null_too ? " NOT IN (" : " IN (");
	add_targets(g, f, t, f->op == FOP_EXISTS ? C_ALL : f->op == FOP_NEQ ? C_NOT_MATCH : C_MATCH);
	sql_add(q, null_too ? "))" : ")");
}

/* "SELECT <owner id> FROM <related, visible, cond>", for contains grouped
 * so that only owners of every given id remain. */
static void add_owners(struct gen *g, const struct filter *f, enum cond c, int all)
{
	struct sql *q = g->q;
	const struct relationship *rel = f->rel;
	const struct resource *t = resource_target(rel);
	char y[16], j[16];
	const char *owner_alias, *owner_col;
	new_alias(g, y, sizeof(y));
	sql_add(q, "SELECT ");
	if (rel->join_table) {
		new_alias(g, j, sizeof(j));
		owner_alias = j;
		owner_col = rel->join_self;
		sql_ident(q, j, rel->join_self);
		sql_add(q, " FROM ");
		sql_ident(q, NULL, rel->join_table);
		sql_add(q, " ");
		sql_add(q, j);
		sql_add(q, ", ");
		sql_ident(q, NULL, t->table);
		sql_add(q, " ");
		sql_add(q, y);
		sql_add(q, " WHERE ");
		sql_ident(q, y, t->id_column);
		sql_add(q, " = ");
		sql_ident(q, j, rel->join_target);
		select_join_scope(q, g->r, rel, j);
	} else {
		owner_alias = y;
		owner_col = rel->target_fk;
		sql_ident(q, y, rel->target_fk);
		sql_add(q, " FROM ");
		sql_ident(q, NULL, t->table);
		sql_add(q, " ");
		sql_add(q, y);
		sql_add(q, " WHERE ");
		sql_ident(q, y, rel->target_fk);
		sql_add(q, " IS NOT NULL"); /* NOT IN must not meet a NULL */
	}
	if (c == C_MATCH) {
		sql_add(q, " AND (");
		add_match(g, f, y, t->id_column);
		sql_add(q, ")");
	}
	select_visible(q, g->r, t, y);
	if (all) {
		sql_add(q, " GROUP BY ");
		sql_ident(q, owner_alias, owner_col);
		sql_add(q, " HAVING COUNT(DISTINCT ");
		sql_ident(q, y, t->id_column);
		sql_add(q, ") = ");
		sql_int(q, (long long)f->n_items);
	}
}

/* A to-many association: eq has any of the ids, neq none of them, contains
 * all of them, not_contains lacks one at least; exists is non-empty. */
static void add_to_many(struct gen *g, const struct filter *f, const char *alias)
{
	struct sql *q = g->q;
	int negated = f->op == FOP_NEQ || f->op == FOP_NEQ_OR_NULL || f->op == FOP_NOT_CONTAINS ||
		      (f->op == FOP_EXISTS && !f->flag);
	sql_ident(q, alias, f->res->id_column);
	sql_add(q, negated ? " NOT IN (" : " IN (");
	add_owners(g, f, f->op == FOP_EXISTS ? C_ALL : C_MATCH,
		   f->op == FOP_CONTAINS || f->op == FOP_NOT_CONTAINS);
	sql_add(q, ")");
}

/* Whether the predicate holds for a missing value (NULL, an empty to-many):
 * then a record whose path is broken (a NULL foreign key on the way)
 * matches too. */
static int null_matching(const struct filter *f)
{
	return f->op == FOP_NEQ_OR_NULL || (f->op == FOP_EXISTS && !f->flag) ||
	       (f->op == FOP_EMPTY && f->flag);
}

/* The filter about rows aliased alias, from hop level of its path on. A
 * hop is "fk IN (SELECT x.id FROM target x WHERE <rest of the path>)"; a
 * predicate that holds for a missing value is written as "fk IS NULL OR fk
 * NOT IN (... WHERE NOT <rest>)", which also lets through a foreign key
 * whose record is not visible. Every predicate written here is TRUE or
 * FALSE for a non-NULL row, never NULL, so NOT (...) is safe. */
static void add_filter(struct gen *g, const struct filter *f, int level, const char *alias)
{
	struct sql *q = g->q;
	if (level == f->depth) {
		if (f->shape == FS_TO_ONE)
			add_to_one(g, f, alias);
		else if (f->shape == FS_TO_MANY)
			add_to_many(g, f, alias);
		else
			add_column(g, f, alias);
		return;
	}
	const struct relationship *rel = f->path[level];
	const struct resource *t = resource_target(rel);
	int null_too = null_matching(f);
	char x[16];
	new_alias(g, x, sizeof(x));
	if (null_too) {
		sql_add(q, "(");
		sql_ident(q, alias, rel->column);
		sql_add(q, " IS NULL OR ");
	}
	sql_ident(q, alias, rel->column);
	sql_add(q, null_too ? " NOT IN (SELECT " : " IN (SELECT ");
	sql_ident(q, x, t->id_column);
	sql_add(q, " FROM ");
	sql_ident(q, NULL, t->table);
	sql_add(q, " ");
	sql_add(q, x);
	sql_add(q, null_too ? " WHERE NOT (" : " WHERE (");
	add_filter(g, f, level + 1, x);
	sql_add(q, ")");
	select_visible(q, g->r, t, x);
	sql_add(q, null_too ? "))" : ")");
}

/* How an index on a filter's column (on the list's own rows) serves it:
 * =, IN, ranges and starts_with read exactly the matching entries
 * (FILTER_RANGE); contains, ends_with and the negated patterns cannot, but
 * their LIKE can be tested on the index's entries instead of the whole
 * rows (FILTER_SCAN: every entry of the organization, each a fraction of a
 * row). */
static int served(const struct filter *f, enum filter_index how)
{
	if (f->depth || f->shape != FS_COLUMN)
		return 0;
	switch (f->op) {
	case FOP_EQ:
	case FOP_LT:
	case FOP_LTE:
	case FOP_GT:
	case FOP_GTE:
	case FOP_STARTS_WITH:
		return how == FILTER_RANGE;
	case FOP_CONTAINS:
	case FOP_NOT_CONTAINS:
	case FOP_NOT_STARTS_WITH:
	case FOP_ENDS_WITH:
	case FOP_NOT_ENDS_WITH:
		return how == FILTER_SCAN;
	default:
		return 0;
	}
}

const struct filter *filter_sql_indexed(const struct filter_set *set, enum filter_index how,
					size_t i, const char **column)
{
	for (const struct filter *f = set ? set->head : NULL; f; f = f->next) {
		if (!served(f, how) || i--)
			continue;
		*column = f->column;
		return f;
	}
	return NULL;
}

void filter_sql_one(struct request *r, struct sql *q, const struct filter *f, const char *alias)
{
	struct gen g = { r, q, 0 };
	sql_add(q, " AND ");
	add_filter(&g, f, 0, alias);
}

void filter_sql(struct request *r, struct sql *q, const struct filter_set *set, const char *alias)
{
	if (!set)
		return;
	struct gen g = { r, q, 0 };
	for (const struct filter *f = set->head; f; f = f->next) {
		sql_add(q, " AND ");
		add_filter(&g, f, 0, alias);
	}
}
