/* include.c: see include.h. */
#include "first.h"
#include "include.h"
#include "arena.h"
#include "config.h"
#include "err.h"
#include "jsonapi.h"
#include "linkage.h"
#include "query.h"
#include "select.h"

#include <stdlib.h>
#include <string.h>

static void include_error(struct request *r, const char *detail)
{
	struct api_error *e = err_add(r, 400, "filter constraint", detail);
	if (e)
		e->parameter = "include";
}

/* Adds one dotted path to the tree. */
static void add_path(struct request *r, const struct resource *res, struct query *q,
		     const char *s, size_t n)
{
	int depth = 1;
	for (size_t i = 0; i < n; i++)
		depth += s[i] == '.';
	if (depth > r->cfg->max_include_depth) {
		include_error(r, "The include path is too deep.");
		return;
	}
	struct include_node **list = &q->include;
	const struct resource *cur = res;
	while (n) {
		const char *dot = memchr(s, '.', n);
		size_t seg = dot ? (size_t)(dot - s) : n;
		const struct relationship *rel = resource_rel(cur, s, seg);
		if (!rel || !query_field_wanted(q, cur, rel->name))
			return; /* unknown, or left out by fields[]: not included */
		struct include_node *node = *list;
		while (node && node->rel != rel)
			node = node->next;
		if (!node) {
			node = arena_alloc(r->arena, sizeof(*node));
			if (!node)
				return;
			node->rel = rel;
			node->res = resource_target(rel);
			node->next = *list;
			*list = node;
		}
		cur = node->res;
		list = &node->children;
		if (!dot)
			break;
		s = dot + 1;
		n -= seg + 1;
	}
}

void include_parse(struct request *r, const struct resource *res, struct query *q)
{
	const struct qparam *p = query_get(q, "include");
	if (!p)
		return;
	if (!*p->value) {
		include_error(r, "Expected not empty string value. Given \"\".");
		return;
	}
	const char *v = p->value;
	size_t len = strlen(v);
	if (v[0] == ',' || v[len - 1] == ',' || strstr(v, ",,")) {
		include_error(r, arena_printf(r->arena,
					      "Expected an array of not empty strings. Given \"%s\".", v));
		return;
	}
	for (const char *s = v; s;) {
		const char *e = strchr(s, ',');
		add_path(r, res, q, s, e ? (size_t)(e - s) : strlen(s));
		s = e ? e + 1 : NULL;
	}
}

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
	if (!ids)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct db_value *v = &rows->cells[i * rows->ncols + col];
		size_t pos = 0, len;
		const char *id;
		while (linkage_next(v, &pos, &id, &len) && k < cap) {
			ids[k] = arena_strndup(r->arena, id, len);
			if (!ids[k])
				return NULL;
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

static int load_node(struct request *r, const struct resource *res, const struct db_rows *rows,
		     size_t n, const struct include_node *node, struct included **out)
{
	size_t count = 0;
	const char **ids = related_ids(r, res, rows, n, node, &count);
	if (!ids) {
		err_internal(r, "out of memory");
		return -1;
	}
	if (count == 0)
		return 0;
	const struct resource *t = node->res;
	struct included *inc = arena_alloc(r->arena, sizeof(*inc));
	if (!inc) {
		err_internal(r, "out of memory");
		return -1;
	}
	inc->res = t;
	if (select_rows_by_ids(r, t, ids, count, &inc->rows) < 0)
		return -1;
	/* Children first, then this batch: *out is a stack, so the order of
	 * `included` follows the include tree from the top. */
	for (const struct include_node *c = node->children; c; c = c->next)
		if (load_node(r, t, &inc->rows, inc->rows.n, c, out) < 0)
			return -1;
	inc->next = *out;
	*out = inc;
	return 0;
}

int include_load(struct request *r, const struct resource *res, const struct db_rows *rows,
		 size_t n, struct included **out)
{
	*out = NULL;
	if (!r->q || !r->q->include || n == 0)
		return 0;
	for (const struct include_node *node = r->q->include; node; node = node->next)
		if (load_node(r, res, rows, n, node, out) < 0)
			return -1;
	return 0;
}
/* A set of "type/id" keys, open addressing, in the arena. */
struct seen {
	const char **slot;
	size_t cap;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Adds key; 1 if it was new, 0 if already there, -1 on ENOMEM. */
static int seen_add(struct request *r, struct seen *set, const char *type, const char *id)
{
	const char *key = arena_printf(r->arena, "%s/%s", type, id);
	if (!key)
		return -1;
	size_t i = hash(key) & (set->cap - 1);
	while (set->slot[i]) {
		if (strcmp(set->slot[i], key) == 0)
			return 0;
		i = (i + 1) & (set->cap - 1);
	}
	set->slot[i] = key;
	return 1;
}

void include_render(struct request *r, struct jsonw *w, const struct resource *res,
		    const struct db_rows *rows, size_t n, const struct included *inc)
{
	if (!inc)
		return;
	size_t total = n;
	for (const struct included *b = inc; b; b = b->next)
		total += b->rows.n;
	struct seen set = { NULL, 16 };
	while (set.cap < total * 2)
		set.cap *= 2;
	set.slot = arena_alloc(r->arena, set.cap * sizeof(*set.slot));
	if (!set.slot) {
		w->out->failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		seen_add(r, &set, res->type, rows->cells[i * rows->ncols].s);
	int opened = 0;
	for (const struct included *b = inc; b; b = b->next) {
		for (size_t i = 0; i < b->rows.n; i++) {
			const struct db_value *row = &b->rows.cells[i * b->rows.ncols];
			int fresh = seen_add(r, &set, b->res->type, row[0].s);
			if (fresh < 0) {
				w->out->failed = 1;
				return;
			}
			if (!fresh)
				continue;
			if (!opened++) {
				jw_key(w, "included");
				jw_arr_begin(w);
			}
			jsonapi_resource(r, w, b->res, row);
		}
	}
	if (opened)
		jw_arr_end(w);
}
