/* include_load.c: see include_load.h. One query per include path and
 * page, over the distinct ids the parent rows link to (never one per row). */
#include "first.h"
#include "include_load.h"
#include "arena.h"
#include "err.h"
#include "linkage.h"
#include "query.h"
#include "select.h"

#include <stdlib.h>
#include <string.h>

static int cmp_id(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t xl = strlen(x), yl = strlen(y);
	if (xl != yl)
		return xl < yl ? -1 : 1;
	return strcmp(x, y);
}

/* The distinct related ids of node for the rows (from the to-one foreign
 * key column or the to-many linkage column). */
static const char **related_ids(struct request *r, const struct resource *res,
				const struct db_rows *rows, size_t n,
				const struct include_node *node, size_t *count)
{
	size_t ri = (size_t)(node->rel - res->rels);
	unsigned col = select_rel_col(res, ri);
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		const struct db_value *v = &rows->cells[i * rows->ncols + col];
		for (size_t k = 0; v->s && k < v->len; k++)
			cap += v->s[k] == ',';
		cap += v->s ? 1 : 0;
	}
	const char **ids = arena_alloc(r->arena, (cap + 1) * sizeof(*ids));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const struct db_value *v = &rows->cells[i * rows->ncols + col];
		size_t pos = 0, len;
		const char *id;
		while (linkage_next(v, &pos, &id, &len) && k < cap) {
			ids[k] = arena_strndup(r->arena, id, len);
			k++;
		}
	}
	qsort(ids, k, sizeof(*ids), cmp_id);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || strcmp(ids[u - 1], ids[i]) != 0)
			ids[u++] = ids[i];
	*count = u;
	return ids;
}

static int load_node(struct request *r, const struct query *q, const struct resource *res,
		     const struct db_rows *rows, size_t n, const struct include_node *node,
		     struct included **out)
{
	size_t count = 0;
	const char **ids = related_ids(r, res, rows, n, node, &count);
	if (count == 0)
		return 0;
	const struct resource *t = node->res;
	struct included *inc = arena_alloc(r->arena, sizeof(*inc));
	inc->res = t;
	if (select_rows_by_ids(r, t, ids, count, q, &inc->rows) < 0)
		return -1;
	/* Children first, then this batch: *out is a stack, so the order of
	 * `included` follows the include tree from the top. */
	for (const struct include_node *c = node->children; c; c = c->next)
		if (load_node(r, q, t, &inc->rows, inc->rows.n, c, out) < 0)
			return -1;
	inc->next = *out;
	*out = inc;
	return 0;
}

int include_load(struct request *r, const struct query *q, const struct resource *res,
		 const struct db_rows *rows, size_t n, struct included **out)
{
	*out = NULL;
	if (!q || !q->include || n == 0)
		return 0;
	for (const struct include_node *node = q->include; node; node = node->next)
		if (load_node(r, q, res, rows, n, node, out) < 0)
			return -1;
	return 0;
}
